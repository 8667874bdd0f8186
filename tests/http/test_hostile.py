"""Hostile input, each case by name: a clear 4xx or a correct answer, never a 500."""

import logging
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from app.db.models import Article
from tests.articles.test_articles import article, count

JSON = {"content-type": "application/json"}


def test_json_nested_ten_thousand_deep(client: TestClient, ingest_headers: dict[str, str]) -> None:
    body = b"[" * 10_000 + b"]" * 10_000
    response = client.post("/v1/articles", content=body, headers=ingest_headers | JSON)
    assert 400 <= response.status_code < 500
    assert response.headers["content-type"] == "application/problem+json"


def test_invalid_utf8_body(client: TestClient, ingest_headers: dict[str, str]) -> None:
    body = b'{"text": "caf\xe9 \xff\xfe"}'
    response = client.post("/v1/ingest", content=body, headers=ingest_headers | JSON)
    assert response.status_code == 400
    assert response.json()["code"] == "malformed_body"


def test_a_fifty_megabyte_body_is_refused_before_it_is_read(
    client: TestClient, ingest_headers: dict[str, str]
) -> None:
    response = client.post("/v1/ingest", content=b"x" * 50_000_000, headers=ingest_headers | JSON)
    assert response.status_code == 413


@pytest.mark.parametrize(
    "change",
    [
        {"tags": {"Topics": [f"t{n}" for n in range(10_000)]}},
        {"tags": {"Topics": ["x" * 100_000]}},
        {"authors": ["y" * 100_000]},
        {"outlet": {"name": "O", "domain": "not a domain"}},
        {"published_at": "2024-02-30"},
        {"published_at": "99999-01-01T00:00:00"},
        {"published_at": "0001-01-01T00:00:00+01:00"},
        {"published_at": 1_700_000_000_000_000},
        {"title": ["a", "list"]},
        {"tags": ["not", "a", "mapping"]},
    ],
)
def test_absurd_fields_are_422(
    client: TestClient, ingest_headers: dict[str, str], clean_db: Engine, change: dict[str, Any]
) -> None:
    response = client.post("/v1/articles", json=article(**change), headers=ingest_headers)
    assert response.status_code == 422, response.text
    assert count(clean_db, Article) == 0


@pytest.mark.parametrize(
    "params",
    [
        {"limit": -1},
        {"limit": 10**30},
        {"limit": "NaN"},
        {"cursor": "A" * 501},
        {"cursor": "eyJ"},
        {"published_after": "0000-00-00"},
        {"tag": "x" * 1001},
        {"fields": "id,\u0000"},
        {"sort": "title"},
    ],
)
def test_absurd_query_parameters_are_4xx(client: TestClient, params: dict[str, Any]) -> None:
    response = client.get("/v1/articles", params=params)
    assert 400 <= response.status_code < 500, response.text


@pytest.mark.parametrize(
    "path",
    [
        "/v1/articles/0",
        "/v1/articles/-5",
        "/v1/articles/abc",
        "/v1/articles/99999999999999999999999",
    ],
)
def test_absurd_ids(client: TestClient, path: str) -> None:
    assert client.get(path).status_code in (404, 422)


def test_errors_never_show_internals(
    client: TestClient, ingest_headers: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(*_: Any, **__: Any) -> None:
        raise RuntimeError("SELECT secret FROM internals")

    monkeypatch.setattr("app.articles.router.store_article", broken)
    response = client.post("/v1/articles", json=article(), headers=ingest_headers)
    assert response.status_code == 500
    assert response.json()["code"] == "internal_error"
    assert "SELECT" not in response.text and "Traceback" not in response.text


def test_keys_never_reach_the_logs(
    client: TestClient, ingest_headers: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    key = ingest_headers["Authorization"].split()[1]
    client.post("/v1/articles", json=article(), headers=ingest_headers)
    client.post("/v1/articles", json=article(title=""), headers=ingest_headers)
    client.get("/v1/articles", headers={"Authorization": "Bearer not-a-key"})
    assert key not in caplog.text and "not-a-key" not in caplog.text
