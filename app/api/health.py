"""Liveness that means something: the database answers."""

from fastapi import APIRouter, Response
from sqlalchemy import text

from app.api.deps import ReadDep, json_response
from app.schemas import Health

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health, operation_id="health")
async def health(connection: ReadDep) -> Response:
    """200 when the database answers."""
    await connection.execute(text("SELECT 1"))
    return json_response({"status": "ok"})
