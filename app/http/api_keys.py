"""API keys: shown once, stored as a hash, checked on every request (so revocation is
immediate on every worker)."""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from app.db.models import ApiKey, utcnow
from app.errors import Conflict, NotFound

SCOPES = ("read", "ingest", "admin")
KEY_PREFIX = "ndb_"


@dataclass(frozen=True, slots=True)
class KeyInfo:
    name: str
    scopes: tuple[str, ...]
    created_at: datetime
    revoked_at: datetime | None


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()


async def create_key(session: AsyncSession, name: str, scopes: tuple[str, ...]) -> str:
    unknown = set(scopes) - set(SCOPES)
    if unknown:
        raise ValueError(f"unknown scopes: {', '.join(sorted(unknown))}")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    session.add(ApiKey(name=name, key_hash=hash_key(key), scopes=" ".join(scopes)))
    try:
        await session.flush()
    except IntegrityError:
        raise Conflict(f"a key named {name!r} exists already") from None
    return key


async def list_keys(session: AsyncSession) -> list[KeyInfo]:
    rows = await session.execute(
        select(ApiKey.name, ApiKey.scopes, ApiKey.created_at, ApiKey.revoked_at).order_by(
            ApiKey.created_at, ApiKey.id
        )
    )
    return [
        KeyInfo(name, tuple(scopes.split()), created, revoked)
        for name, scopes, created, revoked in rows
    ]


async def revoke_key(session: AsyncSession, name: str) -> None:
    result = await session.execute(
        update(ApiKey)
        .where(ApiKey.name == name, ApiKey.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    if result.rowcount == 0:  # type: ignore[attr-defined]
        raise NotFound(f"no active key named {name!r}")


async def key_scopes(connection: AsyncConnection, key: str) -> frozenset[str] | None:
    """The scopes of a valid, unrevoked key; None for anything else."""
    digest = hash_key(key)
    row = (
        await connection.execute(
            select(ApiKey.key_hash, ApiKey.scopes).where(
                ApiKey.key_hash == digest, ApiKey.revoked_at.is_(None)
            )
        )
    ).first()
    if row is None or not hmac.compare_digest(row.key_hash, digest):
        return None
    return frozenset(row.scopes.split())
