"""Facets: counted from a tag's links (which copy their article's date and outlet) when a tag
leads, from the articles otherwise; the same answers on both engines, after rewrites too."""

import asyncio
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.articles.store import ArticleDraft, rewrite_article
from app.config import Settings
from app.db.engines import open_database
from app.db.models import Article, ArticleTag
from app.db.transactions import run_transaction
from app.vocabulary.resolve import NamedOutlet, NamedTag


def facets(client: TestClient, params: dict[str, str]) -> dict[str, Any]:
    response = client.get(
        "/v1/articles", params=params | {"facets": "outlet,month,topics", "total": "false"}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    counted = {
        name: [(f["slug"], f["count"]) for f in found] for name, found in body["facets"].items()
    }
    return counted | {"over": body["facets_over"]}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (  # a tag alone: its links alone
            {"tag": "hezbollah"},
            {
                "outlet": [("haaretz", 1), ("reuters", 1)],
                "month": [("2024-02", 1), ("2024-01", 1)],
                "topics": [("hezbollah", 2), ("hamas", 1)],
                "over": 2,
            },
        ),
        (  # a tag and dates: still its links alone
            {"tag": "hezbollah", "published_after": "2024-02-01"},
            {
                "outlet": [("haaretz", 1)],
                "month": [("2024-02", 1)],
                "topics": [("hamas", 1), ("hezbollah", 1)],
                "over": 1,
            },
        ),
        (  # a tag and another filter: its links joined to the articles
            {"tag": "hezbollah", "outlet": "reuters"},
            {
                "outlet": [("reuters", 1)],
                "month": [("2024-01", 1)],
                "topics": [("hezbollah", 1)],
                "over": 1,
            },
        ),
        (  # no tag: the articles
            {"outlet": "reuters"},
            {
                "outlet": [("reuters", 2)],
                "month": [("2024-01", 2)],
                "topics": [("hamas", 1), ("hezbollah", 1)],
                "over": 2,
            },
        ),
        (
            {},
            {
                "outlet": [("reuters", 2), ("al-monitor", 1), ("haaretz", 1)],
                "month": [("2024-03", 1), ("2024-02", 1), ("2024-01", 2)],
                "topics": [("hamas", 2), ("hezbollah", 2), ("iran", 1)],
                "over": 4,
            },
        ),
    ],
)
def test_facets_with_and_without_a_leading_tag(
    client: TestClient, corpus: dict[str, int], params: dict[str, str], expected: dict[str, Any]
) -> None:
    assert facets(client, params) == expected


def test_a_rewritten_article_moves_its_links_to_its_new_outlet(
    client: TestClient, corpus: dict[str, int], database_url: str, clean_db: Engine
) -> None:
    draft = ArticleDraft(
        title="Story A report",
        body="Drone attacks rose near the border.",
        published_at=date(2024, 2, 1),
        outlet=NamedOutlet("Haaretz"),
        tags=(NamedTag("Topics", "Hezbollah"),),
    )

    async def rewrite(session: AsyncSession) -> None:
        await rewrite_article(session, corpus["a"], draft)

    async def main() -> None:
        async with open_database(Settings(_env_file=None, database_url=database_url)) as database:
            await run_transaction(database, rewrite)

    asyncio.run(main())
    found = facets(client, {"tag": "hezbollah"})
    assert (found["outlet"], found["month"]) == ([("haaretz", 2)], [("2024-02", 2)])
    with clean_db.connect() as connection:
        copies = connection.execute(
            select(ArticleTag.outlet_id, Article.outlet_id).join(
                Article, Article.id == ArticleTag.article_id
            )
        ).all()
    assert copies and all(link == article for link, article in copies)


def test_a_batch_writes_each_link_with_its_article_outlet(
    client: TestClient, ingest_headers: dict[str, str]
) -> None:
    items = [
        {
            "url": f"https://example.com/batch/{number}",
            "title": f"Batch story {number}",
            "body": f"Piece number {number} on the port, the convoy and the ceasefire talks.",
            "published_at": f"2024-0{number + 1}-02",
            "outlet": outlet,
            "tags": {"Topics": ["Ports"]},
        }
        for number, outlet in enumerate(["Reuters", "Haaretz", "Reuters"])
    ]
    response = client.post("/v1/articles/batch", json=items, headers=ingest_headers)
    assert response.status_code == 200, response.text
    found = facets(client, {"tag": "ports"})
    assert found["outlet"] == [("reuters", 2), ("haaretz", 1)]
    assert found["month"] == [("2024-03", 1), ("2024-02", 1), ("2024-01", 1)]
