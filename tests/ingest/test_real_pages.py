"""The saved real pages (tests/ingest/pipeline/html/pages) sent as a scraper sends them,
filed through the real app on both engines, and checked field by field against their
hand-checked labels and bodies."""

import gzip
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.ingest.pipeline.scoring import norm, shingle_f1

PAGES = Path(__file__).resolve().parent / "pipeline" / "html"
LABELS: dict[str, dict[str, Any]] = json.loads((PAGES / "expected_metadata.json").read_text())
BODIES: dict[str, dict[str, Any]] = json.loads((PAGES / "expected_bodies.json").read_text())


def _html(page: str) -> str:
    return gzip.decompress((PAGES / "pages" / f"{page}.html.gz").read_bytes()).decode()


def _ingest(client: TestClient, headers: dict[str, str], page: str, url: str) -> Any:
    response = client.post("/v1/ingest", json={"html": _html(page), "url": url}, headers=headers)
    assert response.status_code == 201, response.text[:500]
    stored = client.get(f"/v1/articles/{response.json()['article']['id']}")
    assert stored.status_code == 200
    return stored.json()


@pytest.mark.parametrize("page", sorted(LABELS), ids=lambda page: page[:12])
def test_a_saved_page_is_filed_as_labelled(
    client: TestClient, ingest_headers: dict[str, str], page: str
) -> None:
    want = LABELS[page]
    article = _ingest(client, ingest_headers, page, want["url"])
    assert norm(article["title"]) == norm(want["title"])
    assert sorted(norm(a["name"]) for a in article["authors"]) == sorted(map(norm, want["authors"]))
    # An agency-only byline is the credit; any other credit is one the page prints beside its
    # people ("By Eric Song, IGN Staff"), never invented.
    if want["agency"]:
        assert norm(article["credit"]) == norm(want["agency"])
    else:
        assert article["credit"] is None or article["credit"] in _html(page)
    assert norm(article["outlet"]["name"]) == norm(want["outlet"])
    if want["published"]:
        published = date.fromisoformat(article["published_at"][:10])
        assert abs((published - date.fromisoformat(want["published"])).days) <= 1
    assert article["body"]


@pytest.mark.parametrize("page", sorted(BODIES), ids=lambda page: page[:12])
def test_a_saved_page_keeps_its_article_text(
    client: TestClient, ingest_headers: dict[str, str], page: str
) -> None:
    want = BODIES[page]
    article = _ingest(client, ingest_headers, page, want["url"])
    assert article["body"].startswith(want["first"])
    # The last paragraph as extracted; the text pipeline may have split it where the page
    # glued sentences ("on Wednesday.The stabbing").
    closing = article["body"].split("\n\n")[-3:]
    assert any(paragraph.startswith(want["last"]) for paragraph in closing)
    assert shingle_f1(want["body"], article["body"]) >= want["min_f1"]
