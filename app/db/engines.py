"""Engines: a writer, and a reader that may point at a replica. Transactions on the writer are
opened by app.db.transactions alone."""

import logging
import os
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import anyio
import anyio.to_thread
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.util import greenlet_spawn

from app.config import Settings
from app.db.replica import has_replayed

T = TypeVar("T")
log = logging.getLogger("newsdb")
READ_THREADS = 4
REPLICA_RETRY_SECONDS = 5.0
SQLITE_MMAP_BYTES = 1 << 30
SQLITE_CACHE_KIB = 16 * 1024

_ASYNC_DRIVERS = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+psycopg"}
_SYNC_DRIVERS = {"sqlite": "sqlite", "postgresql": "postgresql+psycopg"}


def _with_driver(url: str, drivers: dict[str, str]) -> URL:
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend not in drivers:
        raise ValueError(f"unsupported database {backend!r}: use SQLite or PostgreSQL")
    if backend == "sqlite":
        parsed = _readable_on_read_only_disk(parsed)
    return parsed.set(drivername=drivers[backend])


def _readable_on_read_only_disk(url: URL) -> URL:
    """A SQLite file on a read-only file system cannot even be read the usual way: WAL mode
    wants to create its shared-memory file beside it. Opened immutable (or read-only when a
    WAL file was left behind, whose pages an immutable reader would miss), reads work and
    writes fail as read-only, which clients are told."""
    path = url.database
    if not path or path == ":memory:" or path.startswith("file:"):
        return url
    try:
        mounted_read_only = os.statvfs(os.path.dirname(os.path.abspath(path))).f_flag & os.ST_RDONLY
    except OSError:  # no such folder: let SQLite say so
        return url
    if not mounted_read_only:
        return url
    mode = {"mode": "ro"} if os.path.exists(f"{path}-wal") else {"immutable": "1"}
    return url.set(database=f"file:{path}", query={**mode, "uri": "true"})


def sync_url(url: str) -> URL:
    return _with_driver(url, _SYNC_DRIVERS)


def async_url(url: str) -> URL:
    return _with_driver(url, _ASYNC_DRIVERS)


def _configure_sqlite(
    engine: Engine, busy_timeout_ms: int, begin: str | None, foreign_keys: bool = True
) -> None:
    """WAL so readers never wait for the writer; BEGIN IMMEDIATE on the writer so that two
    writers queue on the busy timeout instead of failing when a read lock would be upgraded;
    no BEGIN at all on the reader (each read statement sees a committed state, and a page
    saves the driver round trips)."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # Pages come from the OS page cache by mmap instead of a copy per read, and each
        # connection keeps a larger cache of its own (16 MB) for the indexes a listing walks.
        cursor.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")
        cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
        cursor.close()

    if begin is None:
        return

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql(begin)


POSTGRES_CONNECT_TIMEOUT_S = 5


def is_sqlite(url: str | URL) -> bool:
    return make_url(str(url) if isinstance(url, URL) else url).get_backend_name() == "sqlite"


def _make_async_engine(url: str, settings: Settings, *, writer: bool) -> AsyncEngine:
    """The reader sends each statement on its own: no BEGIN and ROLLBACK around a page, and
    no ping before it (a connection the server dropped fails one request and the pool starts
    afresh) — on PostgreSQL those were three round trips beside the query's one."""
    options: dict[str, Any] = {}
    if not is_sqlite(url):
        options["pool_size"] = settings.db_pool_size
        options["pool_pre_ping"] = writer
        # A server that does not answer (a partition, a stopped postmaster) fails a request in
        # seconds with a 503 instead of holding it for the system's TCP timeout.
        options["connect_args"] = {"connect_timeout": POSTGRES_CONNECT_TIMEOUT_S}
        if not writer:
            options["isolation_level"] = "AUTOCOMMIT"
    if not writer:
        options["pool_reset_on_return"] = None  # nothing to roll back without BEGIN
    engine = create_async_engine(async_url(url), **options)
    if is_sqlite(url):
        begin = "BEGIN IMMEDIATE" if writer else None
        _configure_sqlite(engine.sync_engine, settings.sqlite_busy_timeout_ms, begin)
    return engine


def make_sync_engine(url: str, busy_timeout_ms: int = 30_000, *, migrating: bool = False) -> Engine:
    """For the command line, tests and migrations. Migrating on SQLite turns foreign keys off:
    a batch migration rebuilds a table by dropping it, which would cascade to its children."""
    engine = create_engine(sync_url(url))
    if is_sqlite(url):
        _configure_sqlite(engine, busy_timeout_ms, "BEGIN IMMEDIATE", foreign_keys=not migrating)
    return engine


def _make_sqlite_reader(url: str, settings: Settings) -> Engine:
    """SQLite reads run on the plain driver, without BEGIN: each statement sees a committed
    state, and a page saves the round trips."""
    engine = create_engine(
        sync_url(url), pool_reset_on_return=None, pool_size=settings.db_pool_size
    )
    _configure_sqlite(engine, settings.sqlite_busy_timeout_ms, None)
    return engine


class Database:
    """One per process: built at start-up, disposed at shutdown."""

    def __init__(self, settings: Settings) -> None:
        self.writer = _make_async_engine(settings.database_url, settings, writer=True)
        self.reader = _make_async_engine(settings.database_url, settings, writer=False)
        self.replica = (
            _make_async_engine(settings.database_read_url, settings, writer=False)
            if settings.database_read_url
            else None
        )
        # Writer sessions: app.db.transactions opens, commits and retries them.
        self.sessions = async_sessionmaker(self.writer, expire_on_commit=False)
        self.sqlite_reader = (
            _make_sqlite_reader(settings.database_url, settings)
            if is_sqlite(settings.database_url)
            else None
        )
        self._limiter: anyio.CapacityLimiter | None = None
        self._replica_retry_at = 0.0
        # How long a write waits for SQLite's lock in all, retries included.
        self.lock_wait_seconds = settings.sqlite_busy_timeout_ms / 1000

    @asynccontextmanager
    async def read(self, after: str | None = None) -> AsyncIterator[AsyncConnection]:
        """A connection for reads: to the replica when there is one that answers and, if the
        client has written (`after`, a WAL position), has replayed its write; else the
        primary."""
        if self.replica is not None and time.monotonic() >= self._replica_retry_at:
            connection = self.replica.connect()
            try:
                await connection.start()
            except DBAPIError as error:
                # Not every read should wait for a dead replica's connect timeout.
                self._replica_retry_at = time.monotonic() + REPLICA_RETRY_SECONDS
                log.warning("the read replica does not answer, reading the primary: %s", error)
            else:
                try:
                    if after is None or await has_replayed(connection, after):
                        yield connection
                        return
                finally:
                    await connection.close()
        async with self.reader.connect() as connection:
            yield connection

    async def run_read(
        self, work: Callable[..., T], *args: Any, scan: bool = False, after: str | None = None
    ) -> T:
        """`work(connection, *args)` on a read connection. On PostgreSQL the async driver
        yields to other requests while it waits. On SQLite a read that walks an index runs
        right here, since handing it to a thread cost as much as the query (and passing the
        GIL to and fro with the event loop cost more); one that may scan many rows (`scan`)
        runs in a worker thread, which lets the event loop serve other requests meanwhile."""
        if self.sqlite_reader is None:
            if self.replica is None:
                # Checkout, work and return in one greenlet: an AsyncConnection spawns one for
                # each, 4 a read instead of 1 (detail 400 → 330 µs of CPU in-process).
                return await greenlet_spawn(_read, self.reader.sync_engine, work, *args)
            async with self.read(after) as connection:
                return await connection.run_sync(work, *args)
        if scan:
            return await anyio.to_thread.run_sync(
                _read, self.sqlite_reader, work, *args, limiter=self._read_threads()
            )
        return _read(self.sqlite_reader, work, *args)

    def _read_threads(self) -> anyio.CapacityLimiter:
        # Few threads: dozens of them passing the GIL back and forth cost more CPU than the
        # queries (a limiter must be made inside the running event loop).
        if self._limiter is None:
            self._limiter = anyio.CapacityLimiter(READ_THREADS)
        return self._limiter

    @asynccontextmanager
    async def read_primary(self) -> AsyncIterator[AsyncConnection]:
        """For reads that must not lag (key checks)."""
        async with self.reader.connect() as connection:
            yield connection

    async def dispose(self) -> None:
        if self.sqlite_reader is not None:
            self.sqlite_reader.dispose()
        await self.writer.dispose()
        await self.reader.dispose()
        if self.replica is not None:
            await self.replica.dispose()


def _read(engine: Engine, work: Callable[..., T], *args: Any) -> T:
    with engine.connect() as connection:
        return work(connection, *args)


@asynccontextmanager
async def open_database(settings: Settings) -> AsyncIterator[Database]:
    """A Database for as long as the block runs (a command, the application's lifespan)."""
    database = Database(settings)
    try:
        yield database
    finally:
        await database.dispose()
