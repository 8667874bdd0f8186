"""Idempotency-Key replay and per-caller rate limits, as pure ASGI middleware."""

import asyncio
import contextlib
import hashlib
import time
from collections.abc import Awaitable, Callable

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.db.engines import Database
from app.db.models import utcnow
from app.db.transactions import run_transaction
from app.http import guard_store
from app.http.problems import database_problem, problem

IDEMPOTENT_METHODS = {"POST", "PATCH", "PUT"}
MAX_IDEMPOTENCY_KEY = 200


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope["headers"]:
        if key == name:
            return bytes(value)
    return None


# Settlements waiting for the database to come back; kept so that they are not collected.
_pending_settlements: set[asyncio.Task[None]] = set()
SETTLE_RETRY_SECONDS = 0.25


def _settle_when_back(
    database: Database, settle: Callable[[AsyncSession], Awaitable[None]]
) -> None:
    """The database went away during the request: keep its outcome (or forget the key, after a
    failure) as soon as the database is back, or every retry would get 409 until
    IN_FLIGHT_EXPIRY."""

    async def retry() -> None:
        deadline = time.monotonic() + guard_store.IN_FLIGHT_EXPIRY.total_seconds()
        while time.monotonic() < deadline:
            await asyncio.sleep(SETTLE_RETRY_SECONDS)
            with contextlib.suppress(DBAPIError):
                await run_transaction(database, settle)
                return

    task = asyncio.create_task(retry())
    _pending_settlements.add(task)
    task.add_done_callback(_pending_settlements.discard)


def caller_of(scope: Scope) -> str:
    """Who is asking: the hash of their key, or their address when they send none."""
    authorization = _header(scope, b"authorization")
    if authorization:
        return "key:" + hashlib.sha256(authorization).hexdigest()
    client = scope.get("client")
    return "ip:" + (client[0] if client else "unknown")


class IdempotencyKeys:
    """A write retried with the same Idempotency-Key gets the first response again; the same
    key with another body is refused (422); a retry racing the first gets 409."""

    def __init__(self, app: ASGIApp, database: Callable[[], Database]) -> None:
        self.app = app
        self.database = database

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = _idempotency_key(scope)
        if key is None:
            await self.app(scope, receive, send)
            return
        if not key or len(key) > MAX_IDEMPOTENCY_KEY:
            await _invalid_key()(scope, receive, send)
            return
        body = await _whole_body(receive)
        caller = caller_of(scope)
        database = self.database()
        fingerprint = guard_store.digest(
            scope["method"].encode() + scope["path"].encode() + b"\n" + body
        )

        async def claim(session: AsyncSession) -> guard_store.Claim:
            return await guard_store.claim(session, caller, key, fingerprint)

        try:
            claimed = await run_transaction(database, claim)
        except DBAPIError as error:
            await database_problem(error)(scope, receive, send)
            return
        if claimed.outcome == "proceed":
            await self._serve_and_keep(scope, body, send, database, caller, key)
        else:
            await _answer_seen_key(claimed, scope, receive, send)

    async def _serve_and_keep(
        self, scope: Scope, body: bytes, send: Send, database: Database, caller: str, key: str
    ) -> None:
        sent = False

        async def replay_body() -> Message:
            nonlocal sent
            if sent:
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        status, content_type, chunks = 500, "", []

        async def capture(message: Message) -> None:
            nonlocal status, content_type
            if message["type"] == "http.response.start":
                status = message["status"]
                content_type = (
                    dict(message.get("headers", [])).get(b"content-type") or b""
                ).decode()
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, replay_body, capture)
        finally:
            response = b"".join(chunks).decode("utf-8", "replace")

            async def settle(session: AsyncSession) -> None:
                await guard_store.settle(session, caller, key, status, content_type, response)

            try:
                await run_transaction(database, settle)
            except DBAPIError:
                _settle_when_back(database, settle)


def _idempotency_key(scope: Scope) -> str | None:
    """The Idempotency-Key of a write that may carry one; None for anything else."""
    if scope["type"] != "http" or scope["method"] not in IDEMPOTENT_METHODS:
        return None
    key = _header(scope, b"idempotency-key")
    return None if key is None else key.decode("latin-1").strip()


def _invalid_key() -> Response:
    return problem(
        422,
        "invalid_idempotency_key",
        "Invalid Idempotency-Key",
        f"an Idempotency-Key is 1 to {MAX_IDEMPOTENCY_KEY} characters",
    )


async def _whole_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    more = True
    while more:
        message = await receive()
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False) and message["type"] == "http.request"
    # Joined once: adding chunk by chunk copies a 16 MB page's body quadratically.
    return b"".join(chunks)


async def _answer_seen_key(
    claimed: guard_store.Claim, scope: Scope, receive: Receive, send: Send
) -> None:
    """A key sent before: with another request (422), while the first is still being served
    (409), or after it was answered (that answer again)."""
    if claimed.outcome == "mismatch":
        await problem(
            422,
            "idempotency_key_reused",
            "Idempotency-Key reused",
            "this Idempotency-Key was sent before with another request",
        )(scope, receive, send)
    elif claimed.outcome == "in_flight":
        await problem(
            409,
            "idempotency_key_in_flight",
            "Request in progress",
            "the first request with this Idempotency-Key is still being served; retry shortly",
            headers={"Retry-After": "1"},
        )(scope, receive, send)
    elif claimed.replay is not None:
        await _replay(claimed.replay, send)


async def _replay(replay: guard_store.Replay, send: Send) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": replay.status_code,
            "headers": [
                (b"content-type", replay.content_type.encode()),
                (b"idempotent-replayed", b"true"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": replay.body.encode()})


class RateLimit:
    """At most `per_minute` requests a minute per key (or per address without one), counted in
    the database so the limit holds across workers; 429 with Retry-After beyond it."""

    def __init__(self, app: ASGIApp, database: Callable[[], Database], per_minute: int) -> None:
        self.app = app
        self.database = database
        self.per_minute = per_minute

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] == "/health":
            await self.app(scope, receive, send)
            return
        now = utcnow()
        bucket = caller_of(scope)

        async def count(session: AsyncSession) -> int:
            return await guard_store.count_request(session, bucket, now)

        try:
            requests = await run_transaction(self.database(), count)
        except DBAPIError as error:
            await database_problem(error)(scope, receive, send)
            return
        if requests > self.per_minute:
            retry_after = str(60 - now.second)
            await problem(
                429,
                "rate_limited",
                "Too many requests",
                f"at most {self.per_minute} requests a minute; retry in {retry_after} s",
                headers={"Retry-After": retry_after},
            )(scope, receive, send)
            return
        await self.app(scope, receive, send)
