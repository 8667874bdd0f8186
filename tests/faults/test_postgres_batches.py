"""PostgreSQL restarting in the middle of a batch. `POST /v1/articles/batch` is one
transaction: all of it or none. `POST /v1/ingest/batch` is a transaction per item: what it
answers is what is stored. Either way, sending the batch again files each piece once."""

import threading
import time
from typing import Any

import httpx
from sqlalchemy import func, select, text

from app.db.engines import make_sync_engine
from app.db.models import Article, ArticleAuthor, ArticleSource
from tests.faults.conftest import Cluster, ingest_key, serving
from tests.faults.load import PROBLEM, article

# Enough for the restart to land mid-batch: structured items are filed ~10x faster than raw.
STRUCTURED_PIECES = 400
RAW_PIECES = 150


def structured_batch() -> list[dict[str, Any]]:
    return [article(f"batch-{n}") for n in range(STRUCTURED_PIECES)]


def raw_batch() -> list[dict[str, Any]]:
    return [
        {
            "text": f"May 1, 2024 | Faults Daily\nRaw piece {n}\nThe body of raw piece {n}.\n",
            "url": f"https://faults.example/raw-{n}",
            "authors": ["A. Writer"],
        }
        for n in range(RAW_PIECES)
    ]


def test_structured_batch_is_all_or_nothing_across_a_restart(
    cluster: Cluster, pg_database: str
) -> None:
    items = structured_batch()
    with serving(pg_database) as base:
        # With an Idempotency-Key, whose first request dies with the database: its retry must
        # be served once the database is back, not refused as still in flight.
        headers = _auth(pg_database) | {"Idempotency-Key": "batch-1"}
        client = httpx.Client(base_url=base, headers=headers, timeout=120)
        answer = _post_during_restart(
            client, "/v1/articles/batch", items, cluster, lambda: _writing(pg_database)
        )
        assert answer.status_code == 503, answer.text
        assert answer.headers["content-type"] == PROBLEM
        assert answer.json()["code"] == "database_unavailable"
        assert _articles(pg_database) == 0  # not one item of the interrupted batch

        again = _resend(client, "/v1/articles/batch", items)
        assert "idempotent-replayed" not in again.headers
        assert again.json()["created"] == STRUCTURED_PIECES
        assert again.json()["existing"] == again.json()["failed"] == 0
        replayed = _resend(client, "/v1/articles/batch", items)
        assert replayed.headers["idempotent-replayed"] == "true"
        assert replayed.json() == again.json()
        unkeyed = client.post("/v1/articles/batch", json=items, headers={"Idempotency-Key": "2"})
        assert (unkeyed.json()["created"], unkeyed.json()["existing"]) == (0, STRUCTURED_PIECES)
    assert _articles(pg_database) == STRUCTURED_PIECES
    _assert_whole(pg_database, STRUCTURED_PIECES)


def test_ingest_batch_keeps_what_it_answered_across_a_restart(
    cluster: Cluster, pg_database: str
) -> None:
    items = raw_batch()
    with serving(pg_database) as base:
        client = httpx.Client(base_url=base, headers=_auth(pg_database), timeout=120)
        answer = _post_during_restart(
            client, "/v1/ingest/batch", items, cluster, lambda: _articles(pg_database) >= 5
        )
        assert answer.status_code == 200, answer.text
        first = answer.json()["results"]
        failed = [result for result in first if result["status"] == "error"]
        assert failed, "the restart came too late to interrupt the batch"
        assert {result["error"]["code"] for result in failed} == {"database_unavailable"}
        created = {r["index"]: r["article_id"] for r in first if r["status"] == "created"}
        assert _articles(pg_database) >= len(created)

        again = _resend(client, "/v1/ingest/batch", items).json()["results"]
        assert [r["status"] for r in again].count("error") == 0
        for index, article_id in created.items():
            assert (again[index]["status"], again[index]["article_id"]) == ("existing", article_id)
    assert _articles(pg_database) == RAW_PIECES
    _assert_whole(pg_database, RAW_PIECES)


def _post_during_restart(
    client: httpx.Client, path: str, items: list[dict[str, Any]], cluster: Cluster, begun: Any
) -> httpx.Response:
    """Send the batch, restart the database once `begun()` says it is being filed."""
    answers: list[httpx.Response] = []
    sender = threading.Thread(target=lambda: answers.append(client.post(path, json=items)))
    sender.start()
    deadline = time.monotonic() + 60
    while not begun():
        assert time.monotonic() < deadline and sender.is_alive(), "the batch was not filed"
        time.sleep(0.05)
    cluster.restart()
    sender.join(timeout=120)
    assert answers, "no answer to the batch"
    return answers[0]


def _resend(client: httpx.Client, path: str, items: list[dict[str, Any]]) -> httpx.Response:
    """As a client should: again after Retry-After, while the answer is a 503 (a worker's first
    request after the restart may still meet a connection from before it) or a 409 (the first
    attempt's key is not settled yet). A key left in flight would answer 409 for a minute."""
    for _ in range(10):
        answer = client.post(path, json=items)
        if "retry-after" not in answer.headers:
            assert answer.status_code == 200, answer.text
            return answer
        time.sleep(float(answer.headers["retry-after"]))
    raise AssertionError(f"{path} still answers 503")


def _auth(database_url: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {ingest_key(database_url)}"}


def _writing(database_url: str) -> bool:
    """A transaction of the server's is inserting articles and has not committed yet (the
    idempotency claim before it writes too, but not there)."""
    engine = make_sync_engine(database_url)
    with engine.connect() as connection:
        writing = connection.execute(
            text(
                "SELECT count(*) FROM pg_locks WHERE relation = 'articles'::regclass "
                "AND mode = 'RowExclusiveLock' AND granted AND pid <> pg_backend_pid()"
            )
        ).scalar_one()
    engine.dispose()
    return bool(writing)


def _articles(database_url: str) -> int:
    engine = make_sync_engine(database_url)
    with engine.connect() as connection:
        count = connection.execute(select(func.count()).select_from(Article)).scalar_one()
    engine.dispose()
    return int(count)


def _assert_whole(database_url: str, articles: int) -> None:
    """Every article has its author and the payload it came from: none half-written."""
    engine = make_sync_engine(database_url)
    with engine.connect() as connection:
        for model in (ArticleAuthor, ArticleSource):
            linked = select(func.count(func.distinct(model.article_id)))
            assert connection.execute(linked).scalar_one() == articles
    engine.dispose()
