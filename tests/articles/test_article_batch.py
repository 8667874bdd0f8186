"""POST /v1/articles/batch through HTTP on every backend: each item is decided as if the items
were posted one by one, and the set-wise writes keep search, tags and timelines right."""

import json
import random
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from app.articles import create, matching
from app.articles.store import prepare
from app.db.models import Article, ArticleSource, ArticleTag, Outlet, Tag
from tests.articles.test_articles import article, count

URL = "/v1/articles/batch"


TEXT = (
    "militias moved drones toward the border at dawn while envoys met in the capital to talk "
    "about a ceasefire that neither side trusts and the port stayed closed to every convoy"
)


def item(number: int, **overrides: Any) -> dict[str, Any]:
    """A distinct article: its own URL, title and (long) body."""
    words = random.Random(number).choices(TEXT.split(), k=120)
    return (
        article(
            url=f"https://example.com/story/{number}",
            title=f"Story number {number}",
            body=" ".join(words) + ".",
        )
        | overrides
    )


def rescrape(body: str) -> str:
    """The same text, scraped a little differently (a word lost at the start: 2 bits apart)."""
    return body.split(" ", 1)[1]


def post(client: TestClient, headers: dict[str, str], items: list[Any]) -> dict[str, Any]:
    response = client.post(URL, json=items, headers=headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


def statuses(body: dict[str, Any]) -> list[tuple[str, str | None]]:
    return [(r["status"], r["matched_by"]) for r in body["results"]]


def test_created_existing_and_invalid_come_back_in_order(
    client: TestClient, ingest_headers: dict[str, str], clean_db: Engine
) -> None:
    items = [item(1), {"title": "no body"}, item(2), "not an object", item(1), item(3, url="ftp:x")]
    body = post(client, ingest_headers, items)
    assert statuses(body) == [
        ("created", None),
        ("invalid", None),
        ("created", None),
        ("invalid", None),
        ("existing", "url"),
        ("invalid", None),
    ]
    results = body["results"]
    assert [r["index"] for r in results] == list(range(6))
    assert (body["created"], body["existing"], body["failed"]) == (2, 1, 3)
    assert results[1]["error"]["code"] == "validation_error"
    assert "body" in results[1]["error"]["detail"]
    assert results[4]["article_id"] == results[0]["article_id"]
    assert count(clean_db, Article) == 2
    # Each item's own JSON is kept: the repeat sent the same, so one source per article.
    assert count(clean_db, ArticleSource) == 2
    stored = client.get(f"/v1/articles/{results[2]['article_id']}").json()
    assert stored["url"] == "https://example.com/story/2"
    assert stored["title"] == "Story number 2"
    assert [a["name"] for a in stored["authors"]] == ["Seth J. Frantzman", "Jane Roe"]
    assert [t["slug"] for t in stored["tags"]] == [
        "iran",
        "israel-at-war",
        "kataib-hezbollah",
        "iraq",
    ]


def test_a_batch_stores_what_single_posts_store(
    client: TestClient, ingest_headers: dict[str, str]
) -> None:
    single = client.post("/v1/articles", json=article(), headers=ingest_headers).json()
    batched = post(client, ingest_headers, [article(url="https://example.com/b", title="B")])
    stored = client.get(f"/v1/articles/{batched['results'][0]['article_id']}").json()
    for field in ("id", "url", "title", "created_at", "updated_at"):
        single.pop(field), stored.pop(field)
    assert stored == single


@pytest.fixture(params=[250, 2], ids=["one chunk", "across chunks"])
def chunked(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """A batch filed as one chunk, and as chunks of two."""
    monkeypatch.setattr(create, "CHUNK", request.param)


@pytest.mark.usefixtures("chunked")
def test_in_batch_duplicates_point_at_the_first(
    client: TestClient, ingest_headers: dict[str, str], clean_db: Engine
) -> None:
    no_url = item(5, url=None)
    near = item(6, url="https://example.com/amp/6", title="Six (AMP)")
    near["body"] = rescrape(item(6)["body"])
    copy = item(7, url="https://news.yahoo.com/7", outlet="Yahoo News")
    items = [item(6), near, no_url, dict(no_url), item(7), copy, item(6, title="Other title")]
    body = post(client, ingest_headers, items)
    assert statuses(body) == [
        ("created", None),
        ("existing", "fingerprint"),
        ("created", None),
        ("existing", "outlet+title+day"),
        ("created", None),
        ("created", None),
        ("existing", "url"),
    ]
    ids = [r["article_id"] for r in body["results"]]
    assert ids[1] == ids[6] == ids[0] and ids[3] == ids[2]
    assert client.get(f"/v1/articles/{ids[5]}").json()["syndicated_from"] == ids[4]
    assert count(clean_db, Article) == 4


def test_pieces_already_stored_are_found_by_every_rule(
    client: TestClient, ingest_headers: dict[str, str], clean_db: Engine
) -> None:
    by_url = client.post("/v1/articles", json=item(1), headers=ingest_headers).json()
    by_key = client.post("/v1/articles", json=item(2, url=None), headers=ingest_headers).json()
    by_body = client.post("/v1/articles", json=item(3), headers=ingest_headers).json()
    rescraped = item(3, url="https://example.com/amp/3", title="Three again")
    rescraped["body"] = rescrape(rescraped["body"])
    items = [
        item(1, url="https://www.example.com/story/1/?utm_source=rss"),
        item(2, url="https://example.com/story/2"),
        rescraped,
        item(4),
    ]
    body = post(client, ingest_headers, items)
    assert statuses(body) == [
        ("existing", "url"),
        ("existing", "outlet+title+day"),
        ("existing", "fingerprint"),
        ("created", None),
    ]
    assert [r["article_id"] for r in body["results"][:3]] == [
        by_url["id"],
        by_key["id"],
        by_body["id"],
    ]
    # The piece stored without a URL takes the one it was sent with later, as a single POST does.
    assert client.get(f"/v1/articles/{by_key['id']}").json()["url"] == items[1]["url"]
    assert count(clean_db, Article) == 4


def test_batched_articles_are_searchable_tagged_and_counted(
    client: TestClient, ingest_headers: dict[str, str], clean_db: Engine
) -> None:
    items = [
        item(n, published_at=f"2024-03-0{1 + n % 2}", tags={"Topics": ["Hamas", f"Topic {n}"]})
        for n in range(6)
    ]
    items[4]["body"] += " A zephyrine drone."
    post(client, ingest_headers, items)
    found = client.get("/v1/articles", params={"q": "zephyrine"}).json()
    assert [a["title"] for a in found["items"]] == ["Story number 4"]
    tagged = client.get("/v1/articles", params={"tag": "hamas", "limit": 100}).json()
    assert tagged["total"] == 6
    timeline = client.get(
        "/v1/taxonomies/topics/tags/hamas/timeline", params={"interval": "day"}
    ).json()
    assert [(b["start"], b["count"]) for b in timeline["buckets"]] == [
        ("2024-03-01", 3),
        ("2024-03-02", 3),
    ]
    assert count(clean_db, Tag) == 7 and count(clean_db, ArticleTag) == 12


def test_ndjson_is_accepted(client: TestClient, ingest_headers: dict[str, str]) -> None:
    # A line separator inside a string is part of the item, not the end of a line.
    lines = "\n".join(
        json.dumps(item(n, title=f"Story\u2028number {n}"), ensure_ascii=False) for n in range(3)
    )
    response = client.post(
        URL,
        content=lines.encode(),
        headers=ingest_headers | {"content-type": "application/x-ndjson"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["created"] == 3


def test_an_unreadable_url_sinks_only_its_item(
    client: TestClient, ingest_headers: dict[str, str], clean_db: Engine
) -> None:
    bad = "https://example.com:99999/a"
    body = post(client, ingest_headers, [item(1), item(2, url=bad)])
    assert statuses(body) == [("created", None), ("invalid", None)]
    assert body["results"][1]["error"]["code"] == "invalid_input"
    assert count(clean_db, Article) == 1
    single = client.post("/v1/articles", json=item(3, url=bad), headers=ingest_headers)
    assert single.status_code == 422
    assert single.json()["code"] == "invalid_input"


def test_outlets_are_filed_as_single_posts_file_them(
    client: TestClient, ingest_headers: dict[str, str], clean_db: Engine
) -> None:
    """The first spelling of a name is stored, and a known domain wins over a new name."""
    first = client.post("/v1/articles", json=item(1, outlet="Foo"), headers=ingest_headers)
    assert first.status_code == 201
    body = post(
        client,
        ingest_headers,
        [
            item(2, outlet={"name": "Foo", "domain": "foo.com"}),
            item(3, outlet={"name": "Bar", "domain": "foo.com"}),
            item(4, outlet="yahoo news"),
            item(5, outlet="Yahoo News"),
        ],
    )
    outlets = [
        client.get(f"/v1/articles/{r['article_id']}").json()["outlet"] for r in body["results"]
    ]
    assert [(o["name"], o["domain"]) for o in outlets] == [
        ("Foo", "foo.com"),
        ("Foo", "foo.com"),
        ("yahoo news", None),
        ("yahoo news", None),
    ]
    assert count(clean_db, Outlet) == 2


@pytest.mark.parametrize(
    ("body", "code"),
    [(b"[{not json", "invalid_input"), (b'{"title": "an object"}', "invalid_input")],
)
def test_a_body_that_is_not_a_batch_is_a_422_problem(
    client: TestClient, ingest_headers: dict[str, str], body: bytes, code: str
) -> None:
    response = client.post(
        URL, content=body, headers=ingest_headers | {"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == code


def test_a_batch_over_the_limit_is_refused_whole(
    make_client: Any, ingest_headers: dict[str, str], clean_db: Engine
) -> None:
    client = make_client(max_batch_items=2)
    response = client.post(URL, json=[item(1), item(2), item(3)], headers=ingest_headers)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "batch_too_large"
    assert count(clean_db, Article) == 0


def test_a_batch_needs_an_ingest_key(client: TestClient) -> None:
    response = client.post(URL, json=[item(1)])
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"


def test_a_piece_stored_concurrently_is_found_item_by_item(
    client: TestClient,
    ingest_headers: dict[str, str],
    clean_db: Engine,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Another scraper stores a piece between the batch's lookup and its insert: the chunk
    conflicts, and is filed again item by item."""
    stored = client.post("/v1/articles", json=item(2), headers=ingest_headers).json()
    around = matching.Pieces.around.__func__  # type: ignore[attr-defined]
    calls: list[int] = []

    async def blind_first(cls: Any, session: Any, probes: Any) -> Any:
        calls.append(len(probes))
        return matching.Pieces() if len(calls) == 1 else await around(cls, session, probes)

    monkeypatch.setattr(matching.Pieces, "around", classmethod(blind_first))
    body = post(client, ingest_headers, [item(1), item(2), item(3)])
    assert statuses(body) == [("created", None), ("existing", "url"), ("created", None)]
    assert body["results"][1]["article_id"] == stored["id"]
    assert count(clean_db, Article) == 3


def test_a_url_too_long_once_normalised_sinks_only_its_item(
    client: TestClient, ingest_headers: dict[str, str], clean_db: Engine
) -> None:
    # Under the 2,048-character limit as sent, over it once percent-encoded: refused before
    # the database sees it, on both engines (SQLite would have stored it, PostgreSQL refused).
    long_url = "https://example.com/" + "é" * 1_000
    body = post(client, ingest_headers, [item(1), item(2, url=long_url), item(3)])
    assert statuses(body) == [("created", None), ("invalid", None), ("created", None)]
    assert body["results"][1]["error"]["code"] == "invalid_input"
    assert count(clean_db, Article) == 2
    single = client.post("/v1/articles", json=item(4, url=long_url), headers=ingest_headers)
    assert single.status_code == 422


@pytest.mark.usefixtures("chunked")
def test_chunks_prepared_off_the_loop_answer_item_for_item(
    client: TestClient, ingest_headers: dict[str, str], clean_db: Engine
) -> None:
    """Each chunk is prepared in a worker thread, then filed: invalid items in later chunks,
    and a duplicate of an item filed two chunks earlier, get the answers one chunk gives."""
    near = item(1, url="https://example.com/amp/1", title="One (AMP)")
    near["body"] = rescrape(item(1)["body"])
    items = [
        item(1),
        item(2),
        item(3),
        {"title": "no body"},
        near,
        item(4, url="https://example.com:99999/a"),
        item(2, url="https://www.example.com/story/2?utm_source=rss"),
    ]
    body = post(client, ingest_headers, items)
    ids = [r["article_id"] for r in body["results"]]
    assert body == {
        "created": 3,
        "existing": 2,
        "failed": 2,
        "results": [
            {
                "index": 0,
                "status": "created",
                "article_id": ids[0],
                "matched_by": None,
                "error": None,
            },
            {
                "index": 1,
                "status": "created",
                "article_id": ids[1],
                "matched_by": None,
                "error": None,
            },
            {
                "index": 2,
                "status": "created",
                "article_id": ids[2],
                "matched_by": None,
                "error": None,
            },
            {
                "index": 3,
                "status": "invalid",
                "article_id": None,
                "matched_by": None,
                "error": {
                    "code": "validation_error",
                    "detail": "body: Field required; published_at: Field required; "
                    "outlet: Field required",
                },
            },
            {
                "index": 4,
                "status": "existing",
                "article_id": ids[0],
                "matched_by": "fingerprint",
                "error": None,
            },
            {
                "index": 5,
                "status": "invalid",
                "article_id": None,
                "matched_by": None,
                "error": {
                    "code": "invalid_input",
                    "detail": "the url 'https://example.com:99999/a' cannot be read: "
                    "Port out of range 0-65535",
                },
            },
            {
                "index": 6,
                "status": "existing",
                "article_id": ids[1],
                "matched_by": "url",
                "error": None,
            },
        ],
    }
    assert len(set(ids[:3])) == 3
    assert count(clean_db, Article) == 3
    assert count(clean_db, ArticleSource) == 5


class _Deadlock(Exception):
    sqlstate = "40P01"


def test_a_database_error_in_a_chunk_runs_the_batch_again(
    client: TestClient,
    ingest_headers: dict[str, str],
    clean_db: Engine,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A deadlock while a chunk is filed reaches the transaction's retry: the whole batch is
    filed again, and every item once."""
    monkeypatch.setattr(create, "CHUNK", 2)
    file_chunk = create._file_chunk
    calls: list[int] = []

    async def deadlock_first(session: Any, chunk: Any, probes: Any) -> Any:
        calls.append(len(chunk))
        if len(calls) == 1:
            raise OperationalError("INSERT", {}, _Deadlock("deadlock detected"))
        return await file_chunk(session, chunk, probes)

    monkeypatch.setattr(create, "_file_chunk", deadlock_first)
    body = post(client, ingest_headers, [item(1), item(2), item(3)])
    assert statuses(body) == [("created", None)] * 3
    assert calls == [2, 2, 1]
    assert count(clean_db, Article) == 3


def test_a_failure_preparing_a_later_chunk_stores_nothing(
    client: TestClient,
    ingest_headers: dict[str, str],
    clean_db: Engine,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(create, "CHUNK", 2)

    def broken(draft: Any) -> Any:
        if draft.title == "Story number 3":
            raise RuntimeError("a bug in preparation")
        return prepare(draft)

    monkeypatch.setattr(create, "prepare", broken)
    response = client.post(URL, json=[item(1), item(2), item(3)], headers=ingest_headers)
    assert response.status_code == 500
    assert response.json()["code"] == "internal_error"
    assert count(clean_db, Article) == 0
