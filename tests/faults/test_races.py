"""Races across the processes of `newsdb serve --workers 2` on PostgreSQL that
tests/test_concurrency.py (structured posts) leaves out: raw scrapes and batches of the same
pieces at the same moment, one Idempotency-Key sent twice at once, and a rate limit that
holds across workers."""

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from app.db.engines import make_sync_engine
from app.db.models import Article, Author, Outlet, Tag
from tests.faults.conftest import ingest_key, serving
from tests.faults.load import PROBLEM, article
from tests.test_concurrency import _article, _raw

CLIENTS = 8
PIECES = 10  # what tests.test_concurrency's pieces come to, whatever the client


def at_once(clients: int, send: Callable[[int], Any]) -> list[Any]:
    """`send(client)` from every client, released together."""
    barrier = threading.Barrier(clients)

    def released(client: int) -> Any:
        barrier.wait(timeout=60)
        return send(client)

    with ThreadPoolExecutor(max_workers=clients) as pool:
        return list(pool.map(released, range(clients)))


def assert_each_piece_once(database_url: str) -> None:
    engine = make_sync_engine(database_url)
    with engine.connect() as connection:
        counts = [
            connection.execute(select(func.count()).select_from(model)).scalar_one()
            for model in (Article, Outlet, Author, Tag)
        ]
    engine.dispose()
    assert counts == [PIECES, 1, 4, 6]


def test_raw_scrapes_of_the_same_pieces_at_once(pg_database: str) -> None:
    headers = {"Authorization": f"Bearer {ingest_key(pg_database)}"}
    with serving(pg_database) as base:

        def scrape(client: int) -> list[int]:
            with httpx.Client(base_url=base, headers=headers, timeout=60) as http:
                return [
                    http.post("/v1/ingest", json=_raw(_article(n, client))).status_code
                    for n in range(PIECES)
                ]

        statuses = [status for sent in at_once(CLIENTS, scrape) for status in sent]
    assert sorted(set(statuses)) == [200, 201]
    assert statuses.count(201) == PIECES
    assert_each_piece_once(pg_database)


def test_batches_of_the_same_pieces_at_once(pg_database: str) -> None:
    """Structured and raw batches alike, each client's spelling of the URLs its own."""
    headers = {"Authorization": f"Bearer {ingest_key(pg_database)}"}
    with serving(pg_database) as base:

        def post_batch(client: int) -> dict[str, Any]:
            pieces = [_article(n, client) for n in range(PIECES)]
            path, items = (
                ("/v1/ingest/batch", [_raw(p) for p in pieces])
                if client % 4 == 3
                else ("/v1/articles/batch", pieces)
            )
            answer = httpx.post(f"{base}{path}", json=items, headers=headers, timeout=60)
            assert answer.status_code == 200, answer.text
            result: dict[str, Any] = answer.json()
            return result

        answers = at_once(CLIENTS, post_batch)
    assert [answer["failed"] for answer in answers] == [0] * CLIENTS
    assert sum(answer["created"] for answer in answers) == PIECES
    assert sum(answer["existing"] for answer in answers) == PIECES * (CLIENTS - 1)
    assert_each_piece_once(pg_database)


def test_one_idempotency_key_sent_twice_at_once(pg_database: str) -> None:
    headers = {"Authorization": f"Bearer {ingest_key(pg_database)}"}
    with serving(pg_database) as base:
        for attempt in range(5):
            keyed = headers | {"Idempotency-Key": f"twice-{attempt}"}
            assert_processed_once(base, article(f"twice-{attempt}"), keyed)
    engine = make_sync_engine(pg_database)
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(Article)).scalar_one() == 5
    engine.dispose()


def assert_processed_once(base: str, piece: dict[str, Any], headers: dict[str, str]) -> None:
    """One of the two is served; the other replays its answer or is told it is in flight."""
    answers = at_once(2, lambda _: httpx.post(f"{base}/v1/articles", json=piece, headers=headers))
    served = [a for a in answers if "idempotent-replayed" not in a.headers]
    assert [a.status_code for a in served if a.status_code != 409] == [201]
    for answer in answers:
        if answer.status_code == 409:
            assert answer.headers["content-type"] == PROBLEM
            assert answer.json()["code"] == "idempotency_key_in_flight"
        elif answer not in served:
            assert answer.json() == served[0].json()


def test_the_rate_limit_holds_across_workers(pg_database: str) -> None:
    limit = 20
    with serving(pg_database, RATE_LIMIT_PER_MINUTE=str(limit)) as base:
        # The limit counts per key per clock minute: a burst that straddles two minutes is
        # sent again, with a new key.
        for _ in range(3):
            minute = datetime.now(UTC).replace(second=0, microsecond=0)
            answers = burst(base, ingest_key(pg_database), 2 * limit)
            if datetime.now(UTC).replace(second=0, microsecond=0) == minute:
                break
        else:
            pytest.fail("every burst straddled two minutes")
    limited = [answer for answer in answers if answer.status_code == 429]
    assert len(answers) - len(limited) == limit
    assert all(answer.status_code == 200 for answer in answers if answer not in limited)
    for answer in limited:
        assert answer.json()["code"] == "rate_limited"
        assert 0 < int(answer.headers["retry-after"]) <= 60


def burst(base: str, key: str, requests: int) -> list[httpx.Response]:
    """`requests` reads with one key, from every client at once."""

    def read(_: int) -> list[httpx.Response]:
        headers = {"Authorization": f"Bearer {key}"}
        with httpx.Client(base_url=base, headers=headers, timeout=60) as http:
            return [http.get("/v1/articles") for _ in range(requests // CLIENTS)]

    return [answer for sent in at_once(CLIENTS, read) for answer in sent]
