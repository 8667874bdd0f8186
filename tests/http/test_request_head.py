"""A request's URL and headers have documented limits, held by real servers: `newsdb serve`
(uvicorn with httptools, as deployed) and uvicorn with h11 (what runs where httptools is not
installed), both with newsdb's server options. Past the limits, and for a request the server
cannot read at all, the answer is the documented problem, never the HTTP server's own
text/plain 400."""

import contextlib
import json
import socket
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.db.migrate import upgrade
from app.http.middleware import MAX_HEADERS_BYTES, MAX_URL_BYTES
from app.main import create_app
from tests.conftest import newsdb_command, newsdb_env
from tests.http.test_contract import Contract
from tests.servers import free_port, serving

H11 = (
    "import sys, uvicorn\n"
    "from app.http.server import SERVER_OPTIONS\n"
    "options = SERVER_OPTIONS | {'http': 'app.http.server:ProblemH11Protocol'}\n"
    "uvicorn.run('app.main:create_app', factory=True, port=int(sys.argv[1]),"
    " log_level='warning', **options)\n"
)


@pytest.fixture(scope="module", params=["newsdb serve", "uvicorn with h11"])
def server(request: pytest.FixtureRequest) -> Iterator[int]:
    """A server on a free port, on a migrated SQLite database: its port."""
    folder = Path(tempfile.mkdtemp(prefix="newsdb-head-"))
    url = f"sqlite:///{folder / 'head.sqlite3'}"
    upgrade(url)
    port = free_port()
    command = (
        newsdb_command("serve", "--port", str(port), "--log-level", "warning")
        if request.param == "newsdb serve"
        else [sys.executable, "-c", H11, str(port)]
    )
    try:
        with serving(
            command,
            port,
            newsdb_env(DATABASE_URL=url),
            cwd=tempfile.gettempdir(),  # no stray .env
            stdout=None,
        ):
            yield port
    finally:
        with contextlib.suppress(OSError):
            for path in folder.iterdir():
                path.unlink()
            folder.rmdir()


@pytest.fixture(scope="module")
def contract() -> Contract:
    return Contract(create_app().openapi())


def _exchange(port: int, request: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send a raw request; the answer's status, headers and body."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        with contextlib.suppress(OSError):  # a server may stop reading a head it refuses
            sock.sendall(request)
        received = b""
        with contextlib.suppress(ConnectionResetError):
            while chunk := sock.recv(65536):
                received += chunk
                if b"\r\n\r\n" in received:
                    head, _, body = received.partition(b"\r\n\r\n")
                    length = [
                        int(line.split(b":", 1)[1])
                        for line in head.lower().split(b"\r\n")
                        if line.startswith(b"content-length:")
                    ]
                    if length and len(body) >= length[0]:
                        break
    head, _, body = received.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {name.lower(): value.strip() for name, _, value in (x.partition(":") for x in lines)}
    return int(status_line.split(" ")[1]), headers, body


def _get(path: str, headers: dict[str, str] | None = None) -> bytes:
    lines = [f"GET {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def _padded(path: str, size: int) -> str:
    """`path?pad=xxx…`, `size` bytes in all."""
    return f"{path}?pad=" + "x" * (size - len(path) - len("?pad="))


def _problem(contract: Contract, answer: tuple[int, dict[str, str], bytes], status: int) -> Any:
    got, headers, body = answer
    assert got == status, (got, headers, body[:300])
    assert headers["content-type"] == "application/problem+json", headers
    assert headers["x-content-type-options"] == "nosniff"
    problem = json.loads(body)
    contract.validate(problem, "#/components/schemas/Problem", contract.open)
    assert problem["status"] == status
    return problem


def test_a_url_over_the_limit_is_a_414_problem(server: int, contract: Contract) -> None:
    assert _exchange(server, _get(_padded("/health", MAX_URL_BYTES)))[0] == 200
    for size in (MAX_URL_BYTES + 1, 200_000):
        answer = _exchange(server, _get(_padded("/v1/articles", size)))
        assert _problem(contract, answer, 414)["code"] == "uri_too_long"
    for path in ("/health", "/v1/articles", "/v1/articles/{article_id}"):
        for method in contract.document["paths"][path]:
            assert "414" in contract.document["paths"][path][method]["responses"]


def test_headers_over_the_limit_are_a_431_problem(server: int, contract: Contract) -> None:
    # `X-Pad: …` and its line end, beside the request's own (Host, Connection) lines.
    own = len("host") + len("127.0.0.1") + len("connection") + len("close") + 8
    fits = {"X-Pad": "y" * (MAX_HEADERS_BYTES - own - len("x-pad") - 4)}
    assert _exchange(server, _get("/health", fits))[0] == 200
    for size in (len(fits["X-Pad"]) + 1, 300_000):
        answer = _exchange(server, _get("/health", {"X-Pad": "y" * size}))
        assert _problem(contract, answer, 431)["code"] == "header_too_large"
    many = {f"X-{n}": "y" * 100 for n in range(1_000)}
    assert _problem(contract, _exchange(server, _get("/health", many)), 431)


def test_a_request_the_server_cannot_read_is_a_400_problem(server: int, contract: Contract) -> None:
    for garbage in (b"GARBAGE\r\n\r\n", b"GET /health HTTP/1.1\r\nNo colon here\r\n\r\n"):
        answer = _exchange(server, garbage)
        assert _problem(contract, answer, 400)["code"] == "malformed_request"
    assert (
        "malformed_request"
        in contract.document["paths"]["/health"]["get"]["responses"]["400"]["description"]
    )
