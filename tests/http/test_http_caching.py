"""ETags, 304s, Cache-Control and CORS: what a frontend needs from the API."""

from typing import Any

from fastapi.testclient import TestClient


def test_gets_carry_an_etag_and_answer_304_when_unchanged(
    client: TestClient, corpus: dict[str, int], ingest_headers: dict[str, str]
) -> None:
    first = client.get("/v1/articles")
    etag = first.headers["etag"]
    assert etag.startswith('W/"') and first.headers["cache-control"] == "public, no-cache"
    again = client.get("/v1/articles", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    client.post(
        "/v1/articles",
        json={"title": "New", "body": "New body.", "published_at": "2025-01-01", "outlet": "O"},
        headers=ingest_headers,
    )
    changed = client.get("/v1/articles", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag


def test_errors_and_writes_get_no_etag(client: TestClient, ingest_headers: dict[str, str]) -> None:
    assert "etag" not in client.get("/v1/articles/12345").headers
    created = client.post(
        "/v1/articles",
        json={"title": "T", "body": "B", "published_at": "2025-01-01", "outlet": "O"},
        headers=ingest_headers,
    )
    assert "etag" not in created.headers


def test_private_caching_when_reads_need_a_key(make_client: Any) -> None:
    client = make_client(require_key_for_reads=True)
    assert client.get("/health").headers["cache-control"] == "private, no-cache"


def test_cors_allows_configured_origins_only(make_client: Any) -> None:
    client = make_client(cors_origins=["https://front.example"])
    preflight = client.options(
        "/v1/articles",
        headers={
            "Origin": "https://front.example",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "Authorization, If-None-Match",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "https://front.example"
    simple = client.get("/v1/articles", headers={"Origin": "https://front.example"})
    assert simple.headers["access-control-allow-origin"] == "https://front.example"
    assert "etag" in simple.headers["access-control-expose-headers"].lower()
    other = client.get("/v1/articles", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers
