"""A database that cannot take writes: read-only (SQLite on a read-only mount, PostgreSQL
with read-only transactions) or out of disk (SQLite on a full file system). Writes get a
problem with a stable code (503 `database_read_only`, 507 `storage_full`), reads keep
working, and nothing is half-written."""

import errno
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text

from app.config import Settings
from app.db.engines import make_sync_engine
from app.db.migrate import upgrade
from app.db.models import Article, ArticleSource, ArticleTag, IdempotencyRecord
from app.main import create_app
from tests.faults.conftest import Cluster, ingest_key, serving, tmpfs
from tests.faults.load import PROBLEM, article

BIG_BODY = "A paragraph that takes room. " * 20_000  # ~600 kB: more than a full disk has left


def seeded(database_url: str) -> dict[str, str]:
    """Migrated, with one article stored: the headers of an ingest key."""
    upgrade(database_url)
    headers = {"Authorization": f"Bearer {ingest_key(database_url)}"}
    settings = Settings(_env_file=None, database_url=database_url)
    with TestClient(create_app(settings)) as client:
        assert client.post("/v1/articles", json=article("seed"), headers=headers).is_success
    return headers


def rows(database_url: str) -> tuple[int, ...]:
    engine = make_sync_engine(database_url)
    with engine.connect() as connection:
        counts = tuple(
            connection.execute(select(func.count()).select_from(model)).scalar_one()
            for model in (Article, ArticleSource, ArticleTag, IdempotencyRecord)
        )
    engine.dispose()
    return counts


def assert_refused(answer: httpx.Response, status: int, code: str, retry_after: str | None) -> None:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == PROBLEM
    assert answer.json()["code"] == code
    assert answer.headers.get("retry-after") == retry_after


def assert_writes_refused(base: str, headers: dict[str, str], *expected: Any) -> None:
    """Every way of writing is refused alike; reads still serve the seeded article."""
    with httpx.Client(base_url=base, headers=headers, timeout=60) as http:
        piece = article("refused") | {"body": BIG_BODY}
        keyed = headers | {"Idempotency-Key": "refused-1"}
        assert_refused(http.post("/v1/articles", json=piece), *expected)
        assert_refused(http.post("/v1/articles", json=piece, headers=keyed), *expected)
        assert_refused(http.post("/v1/articles/batch", json=[piece]), *expected)
        scrape = {"text": f"May 1, 2024 | Faults Daily\nRefused\n{BIG_BODY}\n"}
        items = http.post("/v1/ingest/batch", json=[scrape]).json()
        assert items["results"][0]["error"]["code"] == expected[1]
        assert http.get("/health").json() == {"status": "ok"}
        listed = http.get("/v1/articles").json()
        assert [item["title"] for item in listed["items"]] == ["Piece seed"]


@pytest.fixture
def small_disk() -> Iterator[Path]:
    with tmpfs("4m") as disk:
        yield disk


def test_sqlite_on_a_read_only_mount(small_disk: Path) -> None:
    database_url = f"sqlite:///{small_disk / 'newsdb.sqlite3'}"
    headers = seeded(database_url)
    before = rows(database_url)
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    with serving(database_url, workers=1) as base:
        assert_writes_refused(base, headers, 503, "database_read_only", "30")
    assert rows(database_url) == before


def test_sqlite_on_a_full_disk(small_disk: Path) -> None:
    database_url = f"sqlite:///{small_disk / 'newsdb.sqlite3'}"
    headers = seeded(database_url)
    before = rows(database_url)
    with serving(database_url, workers=1) as base:
        filler = fill(small_disk / "filler")
        assert_writes_refused(base, headers, 507, "storage_full", None)
        assert rows(database_url) == before
        filler.unlink()
        stored = httpx.post(f"{base}/v1/articles", json=article("later"), headers=headers)
        assert stored.status_code == 201, stored.text


def fill(path: Path) -> Path:
    """Write until the file system says it is full."""
    refused: OSError | None = None
    with path.open("wb", buffering=0) as filler:
        for _ in range(10_000):  # 64 kB at a time: far more than the disk holds
            try:
                filler.write(bytes(65536))
            except OSError as error:
                refused = error
                break
    assert refused is not None and refused.errno == errno.ENOSPC
    assert os.statvfs(path.parent).f_bavail == 0
    return path


def test_postgres_read_only(cluster: Cluster, pg_database: str) -> None:
    headers = seeded(pg_database)
    before = rows(pg_database)
    name = pg_database.rsplit("/", 1)[1]
    admin = cluster.admin()
    with admin.connect() as connection:
        connection.execute(text(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on'))
    admin.dispose()
    with serving(pg_database) as base:
        assert_writes_refused(base, headers, 503, "database_read_only", "30")
    assert rows(pg_database) == before
