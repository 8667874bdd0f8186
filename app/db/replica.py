"""Reads from a PostgreSQL replica without losing one's own writes.

A replica lags the primary by a little. A client that writes and then reads (a scraper that
posts an article and fetches it back) must see its write, and no process may remember who
wrote what (there may be many). So the position travels with the client: every successful
write answers with the primary's WAL position after the commit (`Newsdb-LSN`); a read that
sends it back (`Newsdb-Min-LSN`) is served by the replica only once the replica has replayed
that far, and by the primary until then."""

import logging
import re

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from app.errors import InvalidInput

log = logging.getLogger("newsdb")

LSN_HEADER = "Newsdb-LSN"
MIN_LSN_HEADER = "Newsdb-Min-LSN"
_LSN = re.compile(r"[0-9A-Fa-f]{1,8}/[0-9A-Fa-f]{1,8}")
LSN_PATTERN = f"^{_LSN.pattern}$"


def parse_lsn(value: str) -> str:
    """A WAL position as PostgreSQL writes it (`16/B374D848`), or a 422."""
    if not _LSN.fullmatch(value.strip()):
        raise InvalidInput(
            f"{MIN_LSN_HEADER} must be a WAL position like 16/B374D848, "
            f"as sent in {LSN_HEADER}; got {value[:40]!r}"
        )
    return value.strip()


async def has_replayed(connection: AsyncConnection, lsn: str) -> bool:
    """Whether this server holds every write up to `lsn`. A server that is not replaying WAL
    (not a standby) says NULL: it may be any database, so it is not trusted to have it."""
    replayed = await connection.scalar(
        text("SELECT pg_last_wal_replay_lsn() >= CAST(:lsn AS pg_lsn)"), {"lsn": lsn}
    )
    return bool(replayed)


async def primary_position(engine: AsyncEngine) -> str:
    async with engine.connect() as connection:
        return str(await connection.scalar(text("SELECT pg_current_wal_lsn()")))


async def replica_status(replica: AsyncEngine) -> dict[str, object]:
    """For /health: whether the replica answers, and how far behind it is."""
    try:
        async with replica.connect() as connection:
            lag = await connection.scalar(
                text("SELECT extract(epoch FROM now() - pg_last_xact_replay_timestamp())")
            )
    except DBAPIError as error:
        log.warning("the read replica does not answer: %s", error.orig)
        return {"status": "unreachable", "lag_seconds": None}
    return {"status": "ok", "lag_seconds": None if lag is None else round(float(lag), 3)}
