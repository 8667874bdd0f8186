"""Shapes every route shares: problem details and health."""

from typing import Any

from pydantic import BaseModel, Field


class ReplicaHealth(BaseModel):
    status: str = Field(description="ok, or unreachable (reads then go to the primary)")
    lag_seconds: float | None = Field(
        default=None, description="Since the last replayed commit; null when idle or unknown"
    )


class Health(BaseModel):
    status: str
    replica: ReplicaHealth | None = Field(
        default=None, description="Only when DATABASE_READ_URL names a read replica"
    )


class Problem(BaseModel):
    """RFC 9457 problem details; `code` is stable and meant for programs."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    code: str
    errors: list[dict[str, Any]] | None = None
