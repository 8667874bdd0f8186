"""A server killed with SIGKILL in the middle of a batch ingest loses nothing it confirmed and
leaves nothing half-written: each batch item is its own transaction. Re-sending the batch after
a restart completes it, and the database holds exactly the expected articles."""

import os
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, func, select

from app.db.engines import make_sync_engine
from app.db.models import Article, ArticleAuthor, ArticleSource, ArticleTag
from tests.conftest import (
    ROOT,
    create_postgres_database,
    drop_postgres_database,
    newsdb_command,
    newsdb_env,
)
from tests.servers import free_port, local_url, start, stop, wait_until_answering

RAW = (ROOT / "tests/fixtures/jpost-iran-proxies.raw.txt").read_text(encoding="utf-8")
ITEMS = [
    {
        "text": RAW.replace("Iranian militias", f"Militias ({n})"),
        # One body, many outlets (each with a site of its own, since an outlet is known by its
        # domain too): syndicated copies, each stored.
        "url": f"https://e{n}.com/{n}",
        "authors": ["Seth J. Frantzman"],
        "outlet": f"Outlet {n}",
    }
    for n in range(120)
]
TAGS_PER_ARTICLE = 31  # the fixture's tag lines, without a loaded vocabulary


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'crash.sqlite3'}"
        return
    url = create_postgres_database()
    yield url
    drop_postgres_database(url)


def _serve(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    process = start(newsdb_command("serve", "--port", str(port), "--log-level", "warning"), env)
    wait_until_answering(f"{local_url(port)}/health", process)
    return process


def test_sigkill_mid_batch_then_resend(database_url: str) -> None:
    env = newsdb_env(DATABASE_URL=database_url)
    subprocess.run(newsdb_command("migrate"), env=env, check=True, capture_output=True)
    key = subprocess.run(
        newsdb_command("keys", "create", "crash"),
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()[-1]
    port = free_port()
    headers = {"Authorization": f"Bearer {key}"}
    url = f"http://127.0.0.1:{port}/v1/ingest/batch"

    server = _serve(env, port)
    outcome: list[object] = []
    sender = threading.Thread(target=lambda: outcome.append(_post(url, headers)), daemon=True)
    sender.start()
    engine = make_sync_engine(database_url)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # kill once some, not all, items are in
        with engine.connect() as connection:
            stored = connection.execute(select(func.count()).select_from(Article)).scalar_one()
        if stored >= 5:
            break
        time.sleep(0.05)
    os.kill(server.pid, signal.SIGKILL)
    server.wait()
    sender.join(timeout=30)
    assert outcome and isinstance(outcome[0], Exception)  # the client saw the connection die

    with engine.connect() as connection:
        partial = connection.execute(select(func.count()).select_from(Article)).scalar_one()
    assert 0 < partial < len(ITEMS)
    _assert_whole(engine, partial)

    server = _serve(env, port)
    try:
        result = _post(url, headers)
        assert not isinstance(result, Exception)
        statuses = [item["status"] for item in result["results"]]
        assert statuses.count("existing") == partial
        assert statuses.count("created") == len(ITEMS) - partial
    finally:
        stop(server)
    _assert_whole(engine, len(ITEMS))
    engine.dispose()


def _post(url: str, headers: dict[str, str]) -> dict[str, list[dict[str, str]]] | Exception:
    try:
        response = httpx.post(url, json=ITEMS, headers=headers, timeout=120)
        response.raise_for_status()
        result: dict[str, list[dict[str, str]]] = response.json()
        return result
    except httpx.HTTPError as error:
        return error


def _assert_whole(engine: Engine, articles: int) -> None:
    """Every stored article is complete: its tags, its author, its raw text."""
    with engine.connect() as connection:

        def count(model: Any) -> int:
            return connection.execute(select(func.count()).select_from(model)).scalar_one()

        assert count(Article) == articles
        assert count(ArticleTag) == articles * TAGS_PER_ARTICLE
        assert count(ArticleAuthor) == articles
        assert count(ArticleSource) == articles
