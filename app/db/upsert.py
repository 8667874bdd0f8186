"""Race-safe get-or-create: the database's unique constraints decide, not process locks. And
many rows in one statement on either engine."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnDefault, Result, Table, bindparam, column, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import Insert
from sqlalchemy.sql.elements import ColumnElement

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
        await insert_rows(session, table, ordered, ignore_conflicts=True)


async def insert_rows(
    session: AsyncSession,
    table: Table | Any,
    rows: Sequence[dict[str, Any]],
    *,
    ignore_conflicts: bool = False,
    returning: Sequence[ColumnElement[Any]] = (),
) -> Result[*tuple[Any, ...]]:
    """The rows (all with the same keys) in input order, in one statement.

    On PostgreSQL each column goes as one array and the statement selects from their unnest:
    psycopg runs an executemany as one statement per row (each its own executor start-up and
    statement triggers), and the multi-row VALUES that SQLAlchemy builds instead for RETURNING
    carries thousands of placeholders, whose text psycopg parses again for every batch."""
    target: Table = table if isinstance(table, Table) else table.__table__
    postgres = dialect_name(session) == "postgresql"
    statement = dialect_insert(session, target)
    parameters: Any = rows
    if postgres:
        names, parameters = _columns(target, rows)
        arrays = [
            bindparam(f"u_{name}", type_=postgresql.ARRAY(target.c[name].type)) for name in names
        ]
        unnested = func.unnest(*arrays).table_valued(*map(column, names)).render_derived()
        statement = statement.from_select(names, select(*(unnested.c[name] for name in names)))
    if ignore_conflicts:
        statement = statement.on_conflict_do_nothing()
    if returning:
        return await session.execute(statement.returning(*returning), parameters)
    return await session.execute(statement, parameters)


def _columns(
    table: Table, rows: Sequence[dict[str, Any]]
) -> tuple[list[str], dict[str, list[Any]]]:
    """Column names and one array of values per column; a column the rows leave out that has a
    Python-side default gets it for each row, as an executemany would."""
    names = list(rows[0])
    arrays = {f"u_{name}": [row[name] for row in rows] for name in names}
    for target in table.columns:
        default = target.default
        if target.name in names or not isinstance(default, ColumnDefault):
            continue
        names.append(target.name)
        arrays[f"u_{target.name}"] = [
            default.arg(None) if default.is_callable else default.arg for _ in rows
        ]
    return names, arrays
