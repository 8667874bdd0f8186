"""Liveness that means something: the database answers."""

from fastapi import APIRouter, Response
from sqlalchemy import text

from app.db.replica import replica_status
from app.http.deps import DatabaseDep, json_response
from app.http.problems import PROBLEM_RESPONSES
from app.http.schemas import Health

router = APIRouter(tags=["health"])


@router.get(
    "/health",
    response_model=Health,
    operation_id="health",
    responses={503: PROBLEM_RESPONSES[503], 400: PROBLEM_RESPONSES[400]},
)
async def health(database: DatabaseDep) -> Response:
    """200 when the primary answers; with a read replica, how the replica is doing too (reads
    fall back to the primary while it does not answer)."""
    async with database.read_primary() as connection:
        await connection.execute(text("SELECT 1"))
    if database.replica is None:
        return json_response({"status": "ok"})
    return json_response({"status": "ok", "replica": await replica_status(database.replica)})
