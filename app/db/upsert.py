"""Race-safe get-or-create: the database's unique constraints decide, not process locks."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import Insert

from app.db.types import dialect_name


def dialect_insert(session: AsyncSession, table: Table | Any) -> postgresql.Insert | sqlite.Insert:
    """An INSERT in the session's dialect, for its ON CONFLICT clauses."""
    if dialect_name(session) == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def insert_ignoring_conflicts(session: AsyncSession, table: Table | Any) -> Insert:
    """`INSERT ... ON CONFLICT DO NOTHING` in the session's dialect; the caller re-selects."""
    return dialect_insert(session, table).on_conflict_do_nothing()


async def insert_missing(
    session: AsyncSession, table: Table | Any, rows: Sequence[dict[str, Any]]
) -> None:
    """Insert the rows that don't collide with a unique constraint. Rows go in a fixed order so
    that two transactions inserting overlapping sets wait for each other instead of deadlocking."""
    if rows:
        ordered = sorted(rows, key=lambda row: tuple(str(value) for value in row.values()))
        await session.execute(insert_ignoring_conflicts(session, table), ordered)
