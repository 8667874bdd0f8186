"""Transactions: the one place that opens, commits, rolls back and retries them.

Routers, the command line and the HTTP guards hand a unit of work, `work(session)`, to
`run_transaction`; services take the session they are given and only flush. One request or
one command step is one transaction, committed once at the end (or, for a dry run, rolled back),
and run again from the start when the database asks for it."""

import asyncio
import random
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.engines import Database
from app.errors import is_database_busy

T = TypeVar("T")
ATTEMPTS = 5
# PostgreSQL's serialisation failure and deadlock: gone when the transaction simply runs again.
_RETRIED_SQLSTATES = frozenset({"40001", "40P01"})


async def run_transaction(
    database: Database,
    work: Callable[[AsyncSession], Awaitable[T]],
    *,
    dry_run: bool = False,
    attempts: int = ATTEMPTS,
) -> T:
    """`work(session)` in one transaction on the writer, committed when it returns (with
    `dry_run`, rolled back: everything is done and nothing kept) and rolled back when it raises.
    It runs again from the start if the database asks for a retry; a SQLite lock is waited for
    SQLITE_BUSY_TIMEOUT_MS in all, not that long again per retry."""
    started = time.monotonic()
    for attempt in range(1, attempts + 1):
        try:
            return await _run_once(database, work, dry_run)
        except DBAPIError as error:
            waited = time.monotonic() - started
            if attempt == attempts or not _worth_retrying(error, waited, database):
                raise
            await asyncio.sleep(random.uniform(0.01, 0.05) * 2**attempt)
    raise AssertionError("unreachable")


async def _run_once(
    database: Database, work: Callable[[AsyncSession], Awaitable[T]], dry_run: bool
) -> T:
    async with database.sessions() as session:
        if dry_run:
            try:
                return await work(session)
            finally:
                await session.rollback()
        async with session.begin():
            return await work(session)


def _worth_retrying(error: DBAPIError, waited: float, database: Database) -> bool:
    """Deadlocks and serialisation failures (PostgreSQL) and a busy file (SQLite) go away when
    the transaction is run again; a busy file, only while the lock wait is not used up."""
    if is_database_busy(error):
        return waited < database.lock_wait_seconds
    return getattr(error.orig, "sqlstate", None) in _RETRIED_SQLSTATES


def run_sync_transaction(engine: Engine, work: Callable[[Connection], T]) -> T:
    """`work(connection)` in one transaction on a plain engine (the command line's bulk loads):
    committed when it returns, rolled back when it raises. Not retried: a bulk load is all or
    nothing, and its input may not be read twice."""
    with engine.begin() as connection:
        return work(connection)
