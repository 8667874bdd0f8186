"""Pure ASGI middleware: cheap enough for every request."""

import xxhash
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.http.problems import problem

SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-resource-policy", b"cross-origin"),
]


# The request's head: its URL (path and query string, as sent) and its header lines. uvicorn's
# httptools parser reads URLs up to 65,535 bytes; `newsdb serve` lets h11 (uvicorn's other
# parser) read a head up to MAX_HEAD_BYTES, and answers past that as RequestHeadLimits does.
MAX_URL_BYTES = 65_535
MAX_HEADERS_BYTES = 65_536
MAX_HEAD_BYTES = MAX_URL_BYTES + MAX_HEADERS_BYTES + 1_024  # + the request line's other words
URI_TOO_LONG = (
    414,
    "uri_too_long",
    "URI too long",
    f"the URL (path and query string, as sent) is over {MAX_URL_BYTES} bytes",
)
HEADER_TOO_LARGE = (
    431,
    "header_too_large",
    "Request headers too large",
    f"the request's header lines are over {MAX_HEADERS_BYTES} bytes together",
)


def url_bytes(scope: Scope) -> int:
    path = scope.get("raw_path") or scope["path"].encode()
    query = scope.get("query_string", b"")
    return len(path) + (len(query) + 1 if query else 0)


def header_bytes(headers: list[tuple[bytes, bytes]]) -> int:
    """`Name: value` and the line end, for each header."""
    return sum(len(name) + len(value) + 4 for name, value in headers)


class RequestHeadLimits:
    """414 `uri_too_long` for a URL over MAX_URL_BYTES, 431 `header_too_large` for header lines
    over MAX_HEADERS_BYTES together: limits a client can read in the OpenAPI document."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            refused = None
            if url_bytes(scope) > MAX_URL_BYTES:
                refused = URI_TOO_LONG
            elif header_bytes(scope["headers"]) > MAX_HEADERS_BYTES:
                refused = HEADER_TOO_LARGE
            if refused is not None:
                await problem(*refused, headers={"Connection": "close"})(scope, receive, send)
                return
        await self.app(scope, receive, send)


class BodySizeLimit:
    """Refuse bodies over the limit: at once when Content-Length says so, otherwise as soon as
    the streamed bytes pass it, so a huge body is never read whole."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.max_bytes
        for name, value in scope["headers"]:
            if name == b"content-length" and value.isdigit() and int(value) > limit:
                response = problem(
                    413,
                    "payload_too_large",
                    "Request body too large",
                    _too_large(limit).detail,
                    headers={"Connection": "close"},
                )
                await response(scope, receive, send)
                return
        await self.app(scope, _counting_receive(receive, limit), send)


def _too_large(limit: int) -> HTTPException:
    # An HTTPException passes through FastAPI's body parsing (anything else becomes a 400).
    return HTTPException(
        413, f"the request body is over the limit of {limit} bytes (MAX_BODY_BYTES)"
    )


def _counting_receive(receive: Receive, limit: int) -> Receive:
    seen = 0

    async def counted() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise _too_large(limit)
        return message

    return counted


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class ConditionalGet:
    """A weak ETag on every successful GET, `304 Not Modified` when the client has it already,
    and a Cache-Control that makes caches revalidate (cheap, thanks to the ETag)."""

    def __init__(self, app: ASGIApp, cache_control: str) -> None:
        self.app = app
        self.cache_control = cache_control.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        chunks: list[bytes] = []

        async def buffered(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            assert start is not None
            await self._finish(scope, start, b"".join(chunks), send)

        await self.app(scope, receive, buffered)

    async def _finish(self, scope: Scope, start: Message, body: bytes, send: Send) -> None:
        headers = [(k, v) for k, v in start.get("headers", []) if k != b"content-length"]
        status = start["status"]
        if status == 200:
            # A 128-bit non-cryptographic hash: it tells versions apart, nobody forges it, and
            # hashing a 30 kB page costs 0.5 µs (blake2b took 28 µs, a tenth of a page's work).
            etag = b'W/"' + xxhash.xxh3_128_hexdigest(body).encode() + b'"'
            headers += [(b"etag", etag), (b"cache-control", self.cache_control)]
            wanted = dict(scope["headers"]).get(b"if-none-match", b"")
            if etag in [tag.strip() for tag in wanted.split(b",")] or wanted.strip() == b"*":
                status, body = 304, b""
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body if status != 304 else b""})
