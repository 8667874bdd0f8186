"""Several server processes against one database, several scrapers posting overlapping
articles at the same moment: one row per piece, outlet, author and tag; no 5xx."""

import subprocess
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from app.db.engines import make_sync_engine
from app.db.models import Article, Author, Outlet, Tag
from tests.conftest import (
    create_postgres_database,
    drop_postgres_database,
    newsdb_command,
    newsdb_env,
)
from tests.servers import free_port, local_url, serving

WORKERS = 2


@pytest.fixture(params=["sqlite", "postgresql"])
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str, str]]:
    """(base URL, API key, database URL) of `newsdb serve --workers 2`."""
    if request.param == "sqlite":
        database_url = f"sqlite:///{tmp_path / 'concurrent.sqlite3'}"
    else:
        database_url = create_postgres_database()
    env = newsdb_env(DATABASE_URL=database_url)
    subprocess.run(newsdb_command("migrate"), env=env, check=True, capture_output=True)
    key = subprocess.run(
        newsdb_command("keys", "create", "race"),
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()[-1]
    port = free_port()
    serve = newsdb_command(
        "serve", "--port", str(port), "--workers", str(WORKERS), "--log-level", "warning"
    )
    try:
        with serving(serve, port, env, stdout=None, stderr=None):
            yield local_url(port), key, database_url
    finally:
        if request.param == "postgresql":
            drop_postgres_database(database_url)


def _article(number: int, client: int) -> dict[str, Any]:
    piece = number % 10  # ten pieces, each posted by every client, with varying URLs
    return {
        "url": f"https://www.example.com/piece/{piece}?utm_source=client{client}",
        "title": f"Piece {piece}",
        "body": f"Body of piece {piece}.",
        "published_at": "2024-05-01",
        "outlet": ["The Daily", "the daily", "THE DAILY"][client % 3],
        "authors": [f"Author {piece % 3}", "Shared Author"],
        "tags": {"Topics": [f"Fresh Tag {piece % 4}", "Everywhere"], "Regions": ["Levant"]},
    }


def _raw(piece: dict[str, Any]) -> dict[str, Any]:
    """The same piece as a scraper's raw text, with the fields it knows sent explicitly."""
    text = f"May 1, 2024 | {piece['outlet']}\n{piece['title']}\n{piece['body']}\n"
    return {"text": text, "url": piece["url"], "authors": piece["authors"], "tags": piece["tags"]}


def test_overlapping_posts_from_many_clients_store_each_piece_once(
    server: tuple[str, str, str],
) -> None:
    base, key, database_url = server
    headers = {"Authorization": f"Bearer {key}"}

    def scraper(client: int) -> list[int]:
        statuses = []
        with httpx.Client(base_url=base, headers=headers, timeout=60) as http:
            for number in range(10):
                statuses.append(
                    http.post("/v1/articles", json=_article(number, client)).status_code
                )
        return statuses

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = [status for result in pool.map(scraper, range(8)) for status in result]
    assert all(status in (200, 201) for status in statuses), sorted(set(statuses))
    assert statuses.count(201) == 10

    engine = make_sync_engine(database_url)
    with engine.connect() as connection:

        def count(model: Any) -> int:
            return connection.execute(select(func.count()).select_from(model)).scalar_one()

        assert count(Article) == 10
        assert count(Outlet) == 1
        assert count(Author) == 4
        assert count(Tag) == 6
    engine.dispose()
