"""uvicorn's HTTP protocols, answering what they refuse themselves as problems: a request the
server cannot read, or whose URL or head is over what its parser takes, gets the
application/problem+json answer every other refusal gets (uvicorn's own is a text/plain 400),
before the app sees it. `newsdb serve` runs `HttpProtocol`: the httptools one when httptools is
installed (as uvicorn[standard] installs it), else the h11 one."""

import asyncio
from http import HTTPStatus
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from app.http.middleware import (
    HEADER_TOO_LARGE,
    MAX_HEAD_BYTES,
    MAX_URL_BYTES,
    SECURITY_HEADERS,
    URI_TOO_LONG,
)
from app.http.problems import PROBLEM_MEDIA_TYPE, problem_json

MALFORMED = (
    400,
    "malformed_request",
    "Malformed request",
    "the request is not HTTP/1.1 the server can read",
)
Refusal = tuple[int, str, str, str]


def _headers(body: bytes) -> list[tuple[bytes, bytes]]:
    return [
        (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
        *SECURITY_HEADERS,
    ]


def _target_bytes(head: bytes) -> int:
    """The length of the request target in a head as received (all of it, when the request
    line has not ended)."""
    line = head.split(b"\r\n", 1)[0]
    words = line.split(b" ")
    return len(words[1]) if len(words) > 1 else len(line)


class ProblemH11Protocol(H11Protocol):
    def send_400_response(self, msg: str) -> None:
        head = self.conn.trailing_data[0]
        refused: Refusal = MALFORMED
        if _target_bytes(head) > MAX_URL_BYTES:
            refused = URI_TOO_LONG
        elif len(head) > MAX_HEAD_BYTES:
            refused = HEADER_TOO_LARGE
        status, *_ = refused
        body = problem_json(*refused)
        reason = HTTPStatus(status).phrase.encode()
        for event in (
            h11.Response(status_code=status, headers=_headers(body), reason=reason),
            h11.Data(data=body),
            h11.EndOfMessage(),
        ):
            self.transport.write(self.conn.send(event))
        self.transport.close()


HttpProtocol: type[asyncio.Protocol]
try:
    from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol
except ImportError:  # no httptools: uvicorn runs h11
    HttpProtocol = ProblemH11Protocol
else:

    class ProblemHttpToolsProtocol(HttpToolsProtocol):
        def send_400_response(self, msg: str) -> None:
            # httptools reads URLs up to 65,535 bytes: past that, the URL read so far says why.
            url: bytes = getattr(self, "url", b"")
            refused = URI_TOO_LONG if len(url) > MAX_URL_BYTES else MALFORMED
            status, *_ = refused
            body = problem_json(*refused)
            lines = [*self.server_state.default_headers, *_headers(body)]
            self.transport.write(
                STATUS_LINE[status]
                + b"".join(name + b": " + value + b"\r\n" for name, value in lines)
                + b"\r\n"
                + body
            )
            self.transport.close()

    HttpProtocol = ProblemHttpToolsProtocol


# What `newsdb serve` passes to uvicorn.run: these protocols, and h11 (when it runs) reading a
# head as long as the app's limits allow.
SERVER_OPTIONS: dict[str, Any] = {
    "http": "app.http.server:HttpProtocol",
    "h11_max_incomplete_event_size": MAX_HEAD_BYTES,
}
