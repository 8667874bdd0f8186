"""Request-scoped dependencies: the database, and who is calling."""

import json
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Annotated, Any, TypeVar

import orjson
from fastapi import Depends, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.config import Settings
from app.db.engines import Database
from app.db.replica import LSN_PATTERN, MIN_LSN_HEADER, parse_lsn
from app.errors import BatchTooLarge, Forbidden, InvalidInput, Unauthorized
from app.http.api_keys import key_scopes

T = TypeVar("T")

_bearer = HTTPBearer(auto_error=False, description="An API key from `newsdb keys create`")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


# Dependencies are `async def` even with nothing to await: FastAPI runs a plain `def`
# dependency in its thread pool, a thread hop per dependency per request.


async def get_database(request: Request) -> Database:
    database: Database = request.app.state.database
    return database


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


DatabaseDep = Annotated[Database, Depends(get_database)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


class Reader:
    """Runs a read service, `work(connection, *args, **kwargs)`, on the read engine: `read(...)`
    for one that walks an index, `read.scan(...)` for one that may count or scan many rows."""

    def __init__(self, database: Database, after: str | None) -> None:
        self.database = database
        self.after = after

    async def __call__(self, work: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        bound = partial(work, **kwargs) if kwargs else work
        return await self.database.run_read(bound, *args, after=self.after)

    async def scan(self, work: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        bound = partial(work, **kwargs) if kwargs else work
        return await self.database.run_read(bound, *args, scan=True, after=self.after)


async def get_reader(request: Request) -> Reader:
    """A reader for a route that reads: reads are open unless REQUIRE_KEY_FOR_READS is set,
    then any valid key will do. Its headers are read by hand, since every parameter FastAPI
    solves costs every request (a declared header took 12 µs, a tenth of an article's read):
    `Authorization`, so that the OpenAPI document shows reads as open, as they are by default,
    and `Newsdb-Min-LSN`, which the document gets from MIN_LSN_PARAMETER."""
    database: Database = request.app.state.database
    settings: Settings = request.app.state.settings
    if settings.require_key_for_reads:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        credentials = (
            HTTPAuthorizationCredentials(scheme=scheme, credentials=token.strip())
            if scheme.lower() == "bearer"
            else None
        )
        await _scopes(database, credentials)
    after = request.headers.get(MIN_LSN_HEADER)
    return Reader(database, parse_lsn(after) if after is not None else None)


_MIN_LSN_DESCRIPTION = (
    "The `Newsdb-LSN` a write answered with: with a read replica, this read is served by the "
    "replica only once it holds that write"
)
# The header `get_reader` reads, as the OpenAPI document shows it on every route that reads.
MIN_LSN_PARAMETER: dict[str, Any] = {
    "name": MIN_LSN_HEADER,
    "in": "header",
    "required": False,
    "description": _MIN_LSN_DESCRIPTION,
    "schema": {"type": "string", "pattern": LSN_PATTERN, "description": _MIN_LSN_DESCRIPTION},
}
ReaderDep = Annotated[Reader, Depends(get_reader)]


async def _scopes(
    database: Database, credentials: HTTPAuthorizationCredentials | None
) -> frozenset[str]:
    if credentials is None or not credentials.credentials:
        raise Unauthorized("send an API key as `Authorization: Bearer <key>`")
    async with database.read_primary() as connection:
        scopes = await key_scopes(connection, credentials.credentials)
    if scopes is None:
        raise Unauthorized("the API key is unknown or revoked")
    return scopes


def require_scope(scope: str) -> Callable[..., Awaitable[frozenset[str]]]:
    async def check(database: DatabaseDep, credentials: Credentials) -> frozenset[str]:
        scopes = await _scopes(database, credentials)
        if scope not in scopes and "admin" not in scopes:
            raise Forbidden(f"this key lacks the {scope!r} scope")
        return scopes

    return check


IngestKey = Annotated[frozenset[str], Depends(require_scope("ingest"))]
AdminKey = Annotated[frozenset[str], Depends(require_scope("admin"))]


def json_response(data: Any, status_code: int = 200) -> Response:
    """orjson straight to bytes: the routes' `response_model` documents the shape."""
    return Response(orjson.dumps(data), status_code=status_code, media_type="application/json")


NDJSON_TYPES = ("application/x-ndjson", "application/ndjson", "application/jsonl")


async def batch_items(request: Request, settings: Settings) -> list[Any]:
    """A batch's items: a JSON array, or NDJSON (one item a line), at most MAX_BATCH_ITEMS."""
    text = (await request.body()).decode("utf-8", "replace")
    content_type = request.headers.get("content-type", "")
    try:
        if content_type.split(";")[0].strip().lower() in NDJSON_TYPES:
            # "\n" only: splitlines() would also cut at U+2028 and the like inside strings.
            items = [json.loads(line) for line in text.split("\n") if line.strip()]
        else:
            items = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise InvalidInput(f"the batch is not valid JSON or NDJSON: {error}") from None
    if not isinstance(items, list):
        raise InvalidInput("a batch is a JSON array of items, or NDJSON, one per line")
    limit = settings.max_batch_items
    if len(items) > limit:
        raise BatchTooLarge(
            f"a batch holds at most {limit} items (MAX_BATCH_ITEMS); got {len(items)}"
        )
    return items
