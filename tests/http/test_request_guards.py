"""Idempotency-Key replays and rate limits."""

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from app.db.models import Article
from tests.articles.test_articles import article, count


def test_a_retry_with_the_same_key_gets_the_first_response(
    client: TestClient, ingest_headers: dict[str, str], clean_db: Engine
) -> None:
    headers = ingest_headers | {"Idempotency-Key": "retry-1"}
    first = client.post("/v1/articles", json=article(), headers=headers)
    again = client.post("/v1/articles", json=article(), headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    # Without the key the same piece is recognised as stored: 200.
    assert client.post("/v1/articles", json=article(), headers=ingest_headers).status_code == 200
    assert count(clean_db, Article) == 1


def test_the_same_key_with_another_body_is_refused(
    client: TestClient, ingest_headers: dict[str, str]
) -> None:
    headers = ingest_headers | {"Idempotency-Key": "k"}
    assert client.post("/v1/articles", json=article(), headers=headers).status_code == 201
    other = client.post("/v1/articles", json=article(title="Other"), headers=headers)
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"


def test_keys_are_scoped_to_the_caller(
    client: TestClient, ingest_headers: dict[str, str], admin_headers: dict[str, str]
) -> None:
    first = client.post(
        "/v1/articles", json=article(), headers=ingest_headers | {"Idempotency-Key": "k"}
    )
    other_caller = client.post(
        "/v1/articles",
        json=article(url="https://e.com/x"),
        headers=admin_headers | {"Idempotency-Key": "k"},
    )
    assert (first.status_code, other_caller.status_code) == (201, 201)


def test_an_error_response_is_replayed_too_but_not_a_server_error(
    client: TestClient, ingest_headers: dict[str, str]
) -> None:
    headers = ingest_headers | {"Idempotency-Key": "bad"}
    first = client.post("/v1/articles", json=article(title=""), headers=headers)
    again = client.post("/v1/articles", json=article(title=""), headers=headers)
    assert first.status_code == again.status_code == 422
    assert too_long_key(client, ingest_headers).status_code == 422


def too_long_key(client: TestClient, headers: dict[str, str]) -> Any:
    return client.post(
        "/v1/articles", json=article(), headers=headers | {"Idempotency-Key": "x" * 201}
    )


def test_rate_limit_is_off_by_default_and_429s_when_set(
    make_client: Any, client: TestClient, ingest_headers: dict[str, str]
) -> None:
    assert all(client.get("/v1/articles").status_code == 200 for _ in range(30))
    limited = make_client(rate_limit_per_minute=5)
    statuses = [limited.get("/v1/articles").status_code for _ in range(7)]
    assert statuses == [200] * 5 + [429, 429]
    refused = limited.get("/v1/articles")
    assert refused.json()["code"] == "rate_limited"
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    # A key is its own bucket, and /health is never limited.
    assert limited.get("/v1/articles", headers=ingest_headers).status_code == 200
    assert limited.get("/health").status_code == 200
