"""An article's excerpt is written with its body (one article, a batch, a rewrite) and lists
show it as stored, on both engines."""

import asyncio
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.ext.asyncio import AsyncSession

from app.articles.create import draft_from
from app.articles.schemas import ArticleCreate
from app.articles.store import rewrite_article
from app.config import Settings
from app.db.engines import open_database
from app.db.transactions import run_transaction

# A first paragraph longer than an excerpt: cut at the last whole word before 280 characters,
# its trailing comma dropped, an ellipsis added.
LONG_OPENING = "Drones, " * 40
CUT = ("Drones, " * 35)[:-2] + "…"


def article(number: int, body: str) -> dict[str, Any]:
    return {
        "url": f"https://example.com/{number}",
        "title": f"Report {number}",
        "body": body,
        "published_at": f"2024-01-0{number}T10:00:00Z",
        "outlet": "Reuters",
    }


def excerpts(client: TestClient) -> dict[str, str]:
    response = client.get("/v1/articles", params={"fields": "title,excerpt"})
    assert response.status_code == 200, response.text
    return {item["title"]: item["excerpt"] for item in response.json()["items"]}


def test_lists_show_the_excerpt_written_with_one_article_or_a_batch(
    client: TestClient, ingest_headers: dict[str, str]
) -> None:
    body = LONG_OPENING + "\n\nA second paragraph."
    one = client.post("/v1/articles", json=article(1, body), headers=ingest_headers)
    assert one.status_code == 201, one.text
    batch = client.post(
        "/v1/articles/batch",
        json=[article(2, "Short opening.\n\nNot in the excerpt."), article(3, "One line only.")],
        headers=ingest_headers,
    )
    assert batch.status_code == 200 and batch.json()["created"] == 2, batch.text
    assert excerpts(client) == {
        "Report 1": CUT,
        "Report 2": "Short opening.",
        "Report 3": "One line only.",
    }
    assert "excerpt" not in client.get(f"/v1/articles/{one.json()['id']}").json()


def test_a_rewritten_body_gets_its_new_excerpt(
    client: TestClient, ingest_headers: dict[str, str], database_url: str
) -> None:
    created = client.post("/v1/articles", json=article(1, "Old opening."), headers=ingest_headers)
    article_id = created.json()["id"]
    draft = draft_from(ArticleCreate.model_validate(article(1, "New opening.\n\nMore.")))

    async def rewrite(session: AsyncSession) -> None:
        await rewrite_article(session, article_id, draft)

    async def main() -> None:
        async with open_database(Settings(_env_file=None, database_url=database_url)) as db:
            await run_transaction(db, rewrite)

    asyncio.run(main())
    assert excerpts(client) == {"Report 1": "New opening."}
