"""Idempotency keys and rate limits, kept in the database so every worker sees the same."""

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import IdempotencyRecord, RateLimitWindow, utcnow
from app.db.upsert import dialect_insert, insert_ignoring_conflicts

# A first request that never finished (its worker was killed) stops blocking retries after this.
IN_FLIGHT_EXPIRY = timedelta(seconds=60)
IDEMPOTENCY_RETENTION = timedelta(hours=24)


def digest(data: bytes | str) -> str:
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


@dataclass(frozen=True, slots=True)
class Replay:
    status_code: int
    content_type: str
    body: str


@dataclass(frozen=True, slots=True)
class Claim:
    """What to do with a request carrying an Idempotency-Key."""

    outcome: str  # "proceed" | "replay" | "mismatch" | "in_flight"
    replay: Replay | None = None


async def claim(session: AsyncSession, caller: str, key: str, request_sha256: str) -> Claim:
    now = utcnow()
    await session.execute(
        delete(IdempotencyRecord).where(
            IdempotencyRecord.caller == caller,
            IdempotencyRecord.key == key,
            IdempotencyRecord.status_code.is_(None),
            IdempotencyRecord.created_at < now - IN_FLIGHT_EXPIRY,
        )
    )
    inserted = await session.execute(
        insert_ignoring_conflicts(session, IdempotencyRecord)
        .values(caller=caller, key=key, request_sha256=request_sha256, created_at=now)
        .returning(IdempotencyRecord.id)
    )
    if inserted.scalar_one_or_none() is not None:
        return Claim("proceed")
    record = (
        await session.execute(
            select(IdempotencyRecord).where(
                IdempotencyRecord.caller == caller, IdempotencyRecord.key == key
            )
        )
    ).scalar_one()
    if record.request_sha256 != request_sha256:
        return Claim("mismatch")
    if record.status_code is None:
        return Claim("in_flight")
    return Claim("replay", Replay(record.status_code, record.content_type or "", record.body or ""))


async def settle(
    session: AsyncSession, caller: str, key: str, status_code: int, content_type: str, body: str
) -> None:
    """Keep the response for retries; a server error is not kept, so a retry runs again."""
    where = (IdempotencyRecord.caller == caller, IdempotencyRecord.key == key)
    if status_code >= 500:
        await session.execute(delete(IdempotencyRecord).where(*where))
        return
    await session.execute(
        update(IdempotencyRecord)
        .where(*where)
        .values(status_code=status_code, content_type=content_type, body=body)
    )
    await session.execute(
        delete(IdempotencyRecord).where(
            IdempotencyRecord.created_at < utcnow() - IDEMPOTENCY_RETENTION
        )
    )


async def count_request(session: AsyncSession, bucket: str, now: datetime) -> int:
    """Count this request in the caller's current minute; returns the minute's count so far."""
    window = now.replace(second=0, microsecond=0)
    statement = (
        dialect_insert(session, RateLimitWindow)
        .values(bucket=bucket, window_start=window, count=1)
        .on_conflict_do_update(
            index_elements=["bucket", "window_start"],
            set_={"count": RateLimitWindow.count + 1},
        )
        .returning(RateLimitWindow.count)
    )
    count = (await session.execute(statement)).scalar_one()
    if count == 1:  # once a minute per caller: forget old windows
        await session.execute(
            delete(RateLimitWindow).where(
                RateLimitWindow.window_start < window - timedelta(minutes=5)
            )
        )
    return int(count)
