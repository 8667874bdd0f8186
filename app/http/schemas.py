"""Shapes every route shares: problem details and health."""

from typing import Any, Literal

from pydantic import BaseModel, Field
from pydantic.json_schema import SkipJsonSchema


class ReplicaHealth(BaseModel):
    status: Literal["ok", "unreachable"] = Field(
        description="ok, or unreachable (reads then go to the primary)"
    )
    lag_seconds: float | None = Field(
        description="Since the last replayed commit; null when idle, unknown or unreachable"
    )


class Health(BaseModel):
    status: Literal["ok"]
    replica: ReplicaHealth | SkipJsonSchema[None] = Field(
        default=None, description="Only when DATABASE_READ_URL names a read replica"
    )


class Problem(BaseModel):
    """RFC 9457 problem details; `code` is stable and meant for programs."""

    type: str = Field(description="Always about:blank: `code` says what happened")
    title: str
    status: int
    detail: str
    code: str
    errors: list[dict[str, Any]] | SkipJsonSchema[None] = Field(
        default=None, description="Only for `validation_error` and `malformed_json`: each error"
    )
