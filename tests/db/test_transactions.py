"""The one transaction helper: commits, rolls back (a dry run, an error), and runs a unit of work
again when the database asks for it, within the SQLite lock wait."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from app.config import Settings
from app.db.engines import open_database
from app.db.models import ApiKey
from app.db.transactions import run_transaction
from app.errors import DatabaseBusy, database_failure, is_database_busy

T = TypeVar("T")


class DriverError(Exception):
    """What a driver raises: PostgreSQL's carry a SQLSTATE, SQLite's an error name."""

    def __init__(self, sqlstate: str | None = None, sqlite_errorname: str | None = None) -> None:
        super().__init__("database is locked" if sqlite_errorname else "could not serialize")
        self.sqlstate = sqlstate
        self.sqlite_errorname = sqlite_errorname


def run(
    database_url: str, work: Callable[[AsyncSession], Awaitable[T]], **options: bool
) -> tuple[T, int]:
    """`work` through run_transaction: its result and how many attempts it took."""
    attempts = 0

    async def counted(session: AsyncSession) -> T:
        nonlocal attempts
        attempts += 1
        return await work(session)

    async def main() -> T:
        settings = Settings(_env_file=None, database_url=database_url)
        async with open_database(settings) as database:
            return await run_transaction(database, counted, **options)

    return asyncio.run(main()), attempts


async def add_key(session: AsyncSession) -> str:
    session.add(ApiKey(name="k", key_hash="h", scopes="ingest"))
    await session.flush()
    return "added"


def keys(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(ApiKey)) or 0)


def test_a_unit_of_work_is_committed(database_url: str, clean_db: Engine) -> None:
    assert run(database_url, add_key) == ("added", 1)
    assert keys(clean_db) == 1


def test_a_dry_run_does_the_work_and_keeps_nothing(database_url: str, clean_db: Engine) -> None:
    assert run(database_url, add_key, dry_run=True) == ("added", 1)
    assert keys(clean_db) == 0


def test_a_failing_unit_of_work_is_rolled_back(database_url: str, clean_db: Engine) -> None:
    async def fails(session: AsyncSession) -> None:
        await add_key(session)
        raise ValueError("no")

    with pytest.raises(ValueError, match="no"):
        run(database_url, fails)
    assert keys(clean_db) == 0


def failing_first(error: DriverError) -> Callable[[AsyncSession], Awaitable[str]]:
    calls = 0

    async def work(session: AsyncSession) -> str:
        nonlocal calls
        calls += 1
        if calls == 1:
            await add_key(session)  # rolled back before the second attempt
            raise DBAPIError("INSERT", {}, error)
        return await add_key(session)

    return work


@pytest.mark.parametrize("sqlstate", ["40001", "40P01"])
def test_a_serialisation_failure_or_deadlock_runs_the_work_again(
    database_url: str, clean_db: Engine, sqlstate: str
) -> None:
    assert run(database_url, failing_first(DriverError(sqlstate=sqlstate))) == ("added", 2)
    assert keys(clean_db) == 1


def test_a_busy_sqlite_file_is_retried_within_the_lock_wait(
    database_url: str, clean_db: Engine
) -> None:
    busy = DriverError(sqlite_errorname="SQLITE_BUSY")
    assert run(database_url, failing_first(busy)) == ("added", 2)
    assert keys(clean_db) == 1


def test_a_busy_sqlite_file_past_the_lock_wait_is_not_retried(
    database_url: str, clean_db: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SQLITE_BUSY_TIMEOUT_MS", "0")
    with pytest.raises(DBAPIError):
        run(database_url, failing_first(DriverError(sqlite_errorname="SQLITE_BUSY")))
    assert keys(clean_db) == 0


def test_other_database_errors_are_not_retried(database_url: str, clean_db: Engine) -> None:
    with pytest.raises(DBAPIError):
        run(database_url, failing_first(DriverError(sqlstate="25006")))  # read-only


def test_one_test_tells_a_busy_file_for_retries_and_for_clients() -> None:
    for name in ("SQLITE_BUSY", "SQLITE_BUSY_SNAPSHOT"):
        error = DBAPIError("BEGIN IMMEDIATE", {}, DriverError(sqlite_errorname=name))
        assert is_database_busy(error)
        assert isinstance(database_failure(error), DatabaseBusy)
    assert not is_database_busy(DBAPIError("SELECT 1", {}, DriverError(sqlstate="40001")))
