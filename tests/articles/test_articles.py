"""POST/GET /v1/articles through HTTP, on every backend."""

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from app.db.models import Article, ArticleSource, Author, Outlet, Tag
from tests.conftest import add_key


def article(**overrides: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "url": "https://www.example.com/world/iran-proxies",
        "title": "How will Iran’s proxies respond?",
        "subtitle": "Militias ramp up drone attacks.",
        "body": "First paragraph.\n\n\nSecond\u00a0paragraph.\r\nThird.",
        "published_at": "2024-11-06",
        "outlet": {"name": "The Example Post", "domain": "example.com"},
        "authors": ["Seth J. Frantzman", {"name": "Jane Roe", "bio": "is a reporter."}],
        "tags": {"Issues": ["Iran", "Israel at War"], "Topics": ["Kata'ib Hezbollah", "Iraq"]},
    }
    payload.update(overrides)
    return payload


def count(engine: Engine, model: Any) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(model)).scalar_one()


def test_create_returns_the_article_in_the_contract_shape(
    client: TestClient, ingest_headers: dict[str, str]
) -> None:
    response = client.post("/v1/articles", json=article(), headers=ingest_headers)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["url"] == "https://example.com/world/iran-proxies"
    assert body["title"] == "How will Iran’s proxies respond?"
    assert body["body"] == "First paragraph.\n\nSecond paragraph.\n\nThird."
    assert body["published_at"] == "2024-11-06"
    assert body["outlet"] == {
        "id": body["outlet"]["id"],
        "name": "The Example Post",
        "slug": "the-example-post",
        "domain": "example.com",
    }
    assert [a["name"] for a in body["authors"]] == ["Seth J. Frantzman", "Jane Roe"]
    assert body["authors"][1]["bio"] == "is a reporter."
    assert [(t["taxonomy"], t["taxonomy_slug"], t["name"], t["slug"]) for t in body["tags"]] == [
        ("Issues", "issues", "Iran", "iran"),
        ("Issues", "issues", "Israel at War", "israel-at-war"),
        ("Topics", "topics", "Kata'ib Hezbollah", "kataib-hezbollah"),
        ("Topics", "topics", "Iraq", "iraq"),
    ]
    assert body["created_at"].endswith("Z")
    assert client.get(f"/v1/articles/{body['id']}").json() == body


def test_a_time_of_day_is_kept_in_utc(client: TestClient, ingest_headers: dict[str, str]) -> None:
    response = client.post(
        "/v1/articles",
        json=article(published_at="2024-11-06T14:30:00+02:00"),
        headers=ingest_headers,
    )
    assert response.json()["published_at"] == "2024-11-06T12:30:00Z"


@pytest.mark.parametrize(
    ("sent", "written"),
    [
        ("2024-11-06T14:30:00.25+02:00", "2024-11-06T12:30:00.250000Z"),
        ("2024-11-06T00:00:00Z", "2024-11-06T00:00:00Z"),
        ("0999-01-02", "0999-01-02"),
    ],
)
def test_times_are_written_by_the_database_as_python_writes_them(
    client: TestClient, ingest_headers: dict[str, str], clean_db: Engine, sent: str, written: str
) -> None:
    """Items are JSON the database builds: its dates must read as `isoformat()` + "Z" would,
    microseconds only when there are some, on every engine."""
    created = client.post("/v1/articles", json=article(published_at=sent), headers=ingest_headers)
    assert created.status_code == 201, created.text
    body = client.get(f"/v1/articles/{created.json()['id']}").json()
    assert body["published_at"] == written
    with clean_db.connect() as connection:
        stored = connection.execute(select(Article.created_at, Article.updated_at)).one()
    assert [body["created_at"], body["updated_at"]] == [t.isoformat() + "Z" for t in stored]
    item = client.get("/v1/articles", params={"fields": "id,published_at,created_at"}).json()
    assert item["items"] == [{key: body[key] for key in ("id", "published_at", "created_at")}]


@pytest.mark.parametrize(
    "same_url",
    [
        "https://www.example.com/world/iran-proxies?utm_source=twitter&fbclid=abc",
        "https://EXAMPLE.com/world/iran-proxies/",
        "http://www.example.com/world/iran-proxies#comments",
    ],
)
def test_the_same_piece_by_url_is_stored_once(
    client: TestClient, ingest_headers: dict[str, str], clean_db: Engine, same_url: str
) -> None:
    first = client.post("/v1/articles", json=article(), headers=ingest_headers)
    again = client.post(
        "/v1/articles", json=article(url=same_url, body="Re-scraped."), headers=ingest_headers
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["body"] == first.json()["body"]
    assert count(clean_db, Article) == 1
    assert count(clean_db, ArticleSource) == 2  # both payloads kept, as received


def test_a_retried_identical_post_keeps_one_source(
    client: TestClient, ingest_headers: dict[str, str], clean_db: Engine
) -> None:
    for _ in range(3):
        client.post("/v1/articles", json=article(), headers=ingest_headers)
    assert count(clean_db, ArticleSource) == 1


def test_without_url_the_same_outlet_title_and_day_is_the_same_piece(
    client: TestClient, ingest_headers: dict[str, str], clean_db: Engine
) -> None:
    first = client.post("/v1/articles", json=article(url=None), headers=ingest_headers)
    same = client.post(
        "/v1/articles",
        json=article(
            url=None,
            title="How will Iran's proxies respond",
            outlet="the example post",
            published_at="2024-11-06T09:00:00Z",
        ),
        headers=ingest_headers,
    )
    other_day = client.post(
        "/v1/articles", json=article(url=None, published_at="2024-11-07"), headers=ingest_headers
    )
    assert (first.status_code, same.status_code, other_day.status_code) == (201, 200, 201)
    assert same.json()["id"] == first.json()["id"]
    # A later post with the URL fills it in on the stored piece.
    with_url = client.post("/v1/articles", json=article(), headers=ingest_headers)
    assert with_url.status_code == 200
    assert with_url.json()["id"] == first.json()["id"]
    assert with_url.json()["url"] == "https://example.com/world/iran-proxies"
    assert count(clean_db, Article) == 2


def test_names_are_found_regardless_of_case_spacing_and_quotes(
    client: TestClient, ingest_headers: dict[str, str], clean_db: Engine
) -> None:
    client.post("/v1/articles", json=article(), headers=ingest_headers)
    second = client.post(
        "/v1/articles",
        json=article(
            url="https://example.com/other",
            outlet="  the   example POST ",
            authors=["seth j.  frantzman"],
            tags={"issues": ["IRAN"], "“Topics”": ["Kata’ib  hezbollah", "kataib hezbollah"]},
        ),
        headers=ingest_headers,
    )
    assert second.status_code == 201
    tags = second.json()["tags"]
    assert [t["name"] for t in tags] == ["Iran", "Kata'ib Hezbollah"]
    assert count(clean_db, Outlet) == 1
    assert count(clean_db, Author) == 2
    assert count(clean_db, Tag) == 4


def test_list_is_newest_first_and_the_cursor_pages_without_gaps(
    client: TestClient, ingest_headers: dict[str, str]
) -> None:
    days = ["2024-01-03", "2024-01-01", "2024-01-02", "2024-01-02", "2024-01-05"]
    for number, day in enumerate(days):
        response = client.post(
            "/v1/articles",
            json=article(url=f"https://example.com/{number}", published_at=day),
            headers=ingest_headers,
        )
        assert response.status_code == 201
    seen: list[tuple[str, int]] = []
    cursor = None
    for arrived in range(10):
        params: dict[str, Any] = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = client.get("/v1/articles", params=params).json()
        assert page["total"] == 5 + arrived
        seen += [(item["published_at"], item["id"]) for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
        # An article arriving mid-paging (newer than everything) must not shift the pages.
        client.post(
            "/v1/articles",
            json=article(url=f"https://example.com/new{arrived}", published_at="2030-01-01"),
            headers=ingest_headers,
        )
    assert seen == sorted(seen, reverse=True)
    assert len({article_id for _, article_id in seen}) == 5


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 101}, {"limit": "ten"}])
def test_list_rejects_bad_limits(client: TestClient, params: dict[str, Any]) -> None:
    response = client.get("/v1/articles", params=params)
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"


@pytest.mark.parametrize("cursor", ["garbage", "WzEsMl0", "bnVsbA", "!!!"])
def test_a_forged_cursor_is_a_400(client: TestClient, cursor: str) -> None:
    response = client.get("/v1/articles", params={"cursor": cursor})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_cursor"


def test_missing_article_is_a_404_problem(client: TestClient) -> None:
    response = client.get("/v1/articles/12345")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "not_found"


def test_writes_need_a_key_with_the_ingest_scope(client: TestClient, clean_db: Engine) -> None:
    no_key = client.post("/v1/articles", json=article())
    wrong_key = client.post("/v1/articles", json=article(), headers={"Authorization": "Bearer x"})
    reader = {"Authorization": f"Bearer {add_key(clean_db, 'reader', 'read')}"}
    read_only = client.post("/v1/articles", json=article(), headers=reader)
    assert [r.status_code for r in (no_key, wrong_key, read_only)] == [401, 401, 403]
    assert no_key.json()["code"] == "unauthorized"
    assert read_only.json()["code"] == "forbidden"
    assert count(clean_db, Article) == 0


def test_reads_can_require_a_key(make_client: Any, clean_db: Engine) -> None:
    client = make_client(require_key_for_reads=True)
    assert client.get("/v1/articles").status_code == 401
    reader = {"Authorization": f"Bearer {add_key(clean_db, 'reader', 'read')}"}
    assert client.get("/v1/articles", headers=reader).status_code == 200


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": "   "}, "title"),
        ({"title": None}, "title"),
        ({"body": "\n \n"}, "body"),
        ({"published_at": "2024-02-30"}, "published_at"),
        ({"published_at": "99999-01-01"}, "published_at"),
        ({"published_at": "yesterday"}, "published_at"),
        ({"title": "x" * 1001}, "title"),
        ({"url": "javascript:alert(1)"}, "url"),
        ({"outlet": ""}, "outlet"),
        ({"tags": {"Topics": [f"tag {n}" for n in range(501)]}}, "tags"),
        ({"authors": ["a"] * 51}, "authors"),
        ({"surprise": 1}, "surprise"),
    ],
)
def test_invalid_input_is_a_422_problem_and_writes_nothing(
    client: TestClient,
    ingest_headers: dict[str, str],
    clean_db: Engine,
    change: dict[str, Any],
    field: str,
) -> None:
    response = client.post("/v1/articles", json=article(**change), headers=ingest_headers)
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["code"] == "validation_error"
    assert response.headers["content-type"] == "application/problem+json"
    assert any(field in error["loc"] for error in problem["errors"])
    assert count(clean_db, Article) == 0


def test_malformed_json_is_a_problem(client: TestClient, ingest_headers: dict[str, str]) -> None:
    response = client.post(
        "/v1/articles",
        content=b'{"title": ',
        headers=ingest_headers | {"content-type": "application/json"},
    )
    assert response.status_code == 422
    assert response.json()["code"] == "malformed_json"


def test_a_body_over_the_limit_is_a_413(make_client: Any, ingest_headers: dict[str, str]) -> None:
    client = make_client(max_body_bytes=10_000)
    response = client.post(
        "/v1/articles", json=article(body="word " * 5_000), headers=ingest_headers
    )
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"


def test_nul_bytes_are_dropped_and_lone_surrogates_refused(
    client: TestClient, ingest_headers: dict[str, str], clean_db: Engine
) -> None:
    headers = ingest_headers | {"content-type": "application/json"}
    nul = (
        '{"title": "Nul\\u0000 byte", "body": "Body\\u0000 text.", "published_at": "2024-11-06",'
        ' "outlet": "O\\u0000utlet", "tags": {"T": ["a\\u0000b"]}}'
    )
    response = client.post("/v1/articles", content=nul.encode(), headers=headers)
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["title"], body["body"], body["outlet"]["name"]) == (
        "Nul byte",
        "Body text.",
        "Outlet",
    )
    assert body["tags"][0]["name"] == "ab"
    surrogate = '{"title": "\\ud800", "body": "b", "published_at": "2024-11-06", "outlet": "o"}'
    response = client.post("/v1/articles", content=surrogate.encode(), headers=headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "title"]
    assert count(clean_db, Article) == 1


def test_right_to_left_and_emoji_round_trip(
    client: TestClient, ingest_headers: dict[str, str]
) -> None:
    text = "إيران والعراق 🇮🇷 — מלחמה"
    response = client.post(
        "/v1/articles",
        json=article(title=text, body=text, tags={"Topics": [text]}),
        headers=ingest_headers,
    )
    assert response.status_code == 201
    stored = client.get(f"/v1/articles/{response.json()['id']}").json()
    assert (stored["title"], stored["body"], stored["tags"][0]["name"]) == (text, text, text)


def test_concurrent_scrapers_posting_the_same_piece_get_one_row(
    client: TestClient, ingest_headers: dict[str, str], clean_db: Engine
) -> None:
    def post(number: int) -> int:
        payload = article(
            url=f"https://example.com/race?utm_source={number}",
            tags={"Topics": ["Brand New Tag", f"Tag {number % 3}"]},
        )
        status: int = client.post("/v1/articles", json=payload, headers=ingest_headers).status_code
        return status

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(post, range(16)))
    assert sorted(statuses) == [200] * 15 + [201]
    assert count(clean_db, Article) == 1
    assert count(clean_db, Outlet) == 1
    assert count(clean_db, Tag) == 2  # "Brand New Tag" and the first "Tag n" to arrive


def test_a_streamed_body_over_the_limit_is_a_413(
    make_client: Any, ingest_headers: dict[str, str]
) -> None:
    client = make_client(max_body_bytes=10_000)

    def chunks() -> Any:
        for _ in range(100):
            yield b"x" * 1_000

    response = client.post(
        "/v1/articles",
        content=chunks(),
        headers=ingest_headers | {"content-type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"


LONG_BODY = " ".join(
    f"Sentence {n} reports that the militias moved drones toward the border at dawn."
    for n in range(12)
)


def test_a_near_identical_body_at_the_same_outlet_is_the_same_piece(
    client: TestClient, ingest_headers: dict[str, str], clean_db: Engine
) -> None:
    first = client.post("/v1/articles", json=article(body=LONG_BODY), headers=ingest_headers)
    rescraped = client.post(
        "/v1/articles",
        json=article(
            url="https://example.com/amp/world/iran-proxies",
            title="Iran proxies (AMP)",
            body=LONG_BODY.replace("Sentence 3", "Sentence three") + " Advertisement",
        ),
        headers=ingest_headers,
    )
    assert (first.status_code, rescraped.status_code) == (201, 200)
    assert rescraped.json()["id"] == first.json()["id"]
    assert count(clean_db, Article) == 1


def test_the_same_body_at_another_outlet_is_a_syndicated_copy(
    client: TestClient, ingest_headers: dict[str, str], clean_db: Engine
) -> None:
    original = client.post("/v1/articles", json=article(body=LONG_BODY), headers=ingest_headers)
    copy = client.post(
        "/v1/articles",
        json=article(
            url="https://news.yahoo.com/iran-proxies", outlet="Yahoo News", body=LONG_BODY
        ),
        headers=ingest_headers,
    )
    second_copy = client.post(
        "/v1/articles",
        json=article(url="https://msn.com/iran-proxies", outlet="MSN", body=LONG_BODY),
        headers=ingest_headers,
    )
    assert (original.status_code, copy.status_code, second_copy.status_code) == (201, 201, 201)
    assert original.json()["syndicated_from"] is None
    assert copy.json()["syndicated_from"] == original.json()["id"]
    assert second_copy.json()["syndicated_from"] == original.json()["id"]
    assert count(clean_db, Article) == 3


def test_short_bodies_alike_are_not_taken_for_the_same_piece(
    client: TestClient, ingest_headers: dict[str, str]
) -> None:
    stub = "Subscribe to read the full article."
    first = client.post("/v1/articles", json=article(body=stub), headers=ingest_headers)
    other = client.post(
        "/v1/articles",
        json=article(url="https://example.com/other", title="Other", body=stub),
        headers=ingest_headers,
    )
    assert (first.status_code, other.status_code) == (201, 201)


def test_a_structured_post_states_language_and_credit(
    client: TestClient, ingest_headers: dict[str, str]
) -> None:
    sent = article(language="en", credit="Associated Press", authors=[])
    created = client.post("/v1/articles", json=sent, headers=ingest_headers)
    assert created.status_code == 201, created.text
    stored = client.get(f"/v1/articles/{created.json()['id']}").json()
    assert (stored["language"], stored["credit"]) == ("en", "Associated Press")
    listed = client.get("/v1/articles", params={"fields": "id,language,credit"}).json()["items"]
    assert listed == [{"id": stored["id"], "language": "en", "credit": "Associated Press"}]
    wrong = article(url="https://e.com/2", language="English")
    refused = client.post("/v1/articles", json=wrong, headers=ingest_headers)
    assert refused.status_code == 422 and refused.json()["code"] == "validation_error"
