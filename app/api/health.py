"""Liveness that means something: the database answers."""

from fastapi import APIRouter, Response
from sqlalchemy import Connection, text

from app.api.deps import ReaderDep, json_response
from app.schemas import Health

router = APIRouter(tags=["health"])


def _ping(connection: Connection) -> None:
    connection.execute(text("SELECT 1"))


@router.get("/health", response_model=Health, operation_id="health")
async def health(read: ReaderDep) -> Response:
    """200 when the database answers."""
    await read(_ping)
    return json_response({"status": "ok"})
