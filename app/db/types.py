"""What services share about the database: `Executor`, what a read runs on; `JSON`, what a
service answers with; and `dialect_name`, which engine a connection or session talks to."""

from typing import Any

from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import Session

# Reads run on a plain connection in a worker thread, or on a write session's connection.
Executor = Connection | Session
# A service's answer, as the API sends it.
JSON = dict[str, Any]


def dialect_name(db: Executor | AsyncSession | AsyncConnection) -> str:
    """ "sqlite" or "postgresql"."""
    if isinstance(db, Session | AsyncSession):
        return db.get_bind().dialect.name
    return db.dialect.name
