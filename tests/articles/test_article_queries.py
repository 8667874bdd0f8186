"""GET /v1/articles filters, search, sorts, facets and fields, on both engines."""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, insert, select, update

from app.articles import matches, search
from app.db.models import ArticleTag, Tag, TagAlias


def names(client: TestClient, params: Any) -> list[str]:
    response = client.get("/v1/articles", params=params)
    assert response.status_code == 200, response.text
    return [item["title"].split()[1].lower() for item in response.json()["items"]]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["d", "c", "b", "a"]),
        ({"tag": "iran"}, ["d", "b", "a"]),
        ({"tag": "issues:iran"}, ["b", "a"]),
        ({"tag": "topics:iran"}, ["d"]),
        ({"tag": ["issues:iran", "topics:hamas"]}, ["b"]),
        ({"tag": ["hamas", "issues:iran"]}, ["b"]),  # the rarer tag second
        ({"tag": ["hezbollah", "hamas", "israel"]}, ["c"]),
        ({"tag": "topics:hamas|topics:hezbollah"}, ["c", "b", "a"]),
        ({"tag": "hezbollah", "exclude_tag": "hamas"}, ["a"]),
        ({"exclude_tag": ["israel", "syria"]}, ["a"]),
        # Excluded while walking a tag's index: probed per article met.
        ({"tag": "hezbollah", "exclude_tag": ["hamas", "israel"]}, ["a"]),
        ({"tag": "iran", "exclude_tag": ["israel", "syria"]}, ["a"]),
        ({"tag": "no-such-tag"}, []),
        ({"outlet": "reuters"}, ["b", "a"]),
        ({"outlet": ["reuters", "al-monitor"]}, ["d", "b", "a"]),
        ({"exclude_outlet": "reuters"}, ["d", "c"]),
        ({"author": "ann-lee"}, ["c", "a"]),
        ({"exclude_author": "bo-chan"}, ["d", "a"]),
        ({"published_after": "2024-01-05", "published_before": "2024-02-10"}, ["c", "b"]),
        ({"sort": "published_at"}, ["a", "b", "c", "d"]),
        ({"tag": "iran", "outlet": "reuters", "author": "bo-chan"}, ["b"]),
    ],
)
def test_filters_combine(
    client: TestClient, corpus: dict[str, int], params: Any, expected: list[str]
) -> None:
    assert names(client, params) == expected


def test_aliases_and_descendants_resolve(
    client: TestClient, corpus: dict[str, int], clean_db: Engine
) -> None:
    with clean_db.begin() as connection:
        tags = dict(connection.execute(select(Tag.slug, Tag.id).where(Tag.taxonomy_id == 2)).all())
        connection.execute(
            insert(TagAlias).values(taxonomy_id=2, slug="hizbullah", tag_id=tags["hezbollah"])
        )
        connection.execute(
            update(Tag).where(Tag.id == tags["hamas"]).values(parent_id=tags["hezbollah"])
        )
    assert names(client, {"tag": "topics:hizbullah"}) == ["c", "a"]
    assert names(client, {"tag": "topics:hezbollah", "include_descendants": "true"}) == [
        "c",
        "b",
        "a",
    ]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("drone", ["d", "c", "a"]),
        ('"drone attacks"', ["c", "a"]),
        ("hostages OR rockets", ["c", "b"]),
        ("drone -rockets", ["d", "a"]),
        ("DRONES", ["d", "c", "a"]),
        ("nothing-matches-this", []),
    ],
)
@pytest.mark.parametrize("walking", [False, True], ids=["fetching hits", "walking dates"])
def test_full_text_search(
    client: TestClient,
    corpus: dict[str, int],
    monkeypatch: pytest.MonkeyPatch,
    q: str,
    expected: list[str],
    walking: bool,
) -> None:
    # Both plans a date-ordered page of hits can take must find the same articles.
    monkeypatch.setattr(search, "walk_by_date", lambda *_: walking)
    got = names(client, {"q": q})
    if q == "DRONES":  # stemming differs: PostgreSQL stems, FTS5 unicode61 doesn't
        assert set(got) <= set(expected)
    else:
        assert got == expected


def test_search_snippets_are_escaped_and_marked(client: TestClient, corpus: dict[str, int]) -> None:
    item = client.get("/v1/articles", params={"q": "officials"}).json()["items"][0]
    assert "<mark>" in item["snippet"] and "</mark>" in item["snippet"]
    assert "<script>" not in item["snippet"]


def test_relevance_sort_pages_with_its_cursor(client: TestClient, corpus: dict[str, int]) -> None:
    first = client.get(
        "/v1/articles", params={"q": "drone", "sort": "relevance", "limit": 2}
    ).json()
    assert len(first["items"]) == 2 and first["total"] == 3
    rest = client.get(
        "/v1/articles",
        params={"q": "drone", "sort": "relevance", "limit": 2, "cursor": first["next_cursor"]},
    ).json()
    seen = [i["id"] for i in first["items"]] + [i["id"] for i in rest["items"]]
    assert sorted(seen) == sorted([corpus["a"], corpus["c"], corpus["d"]])
    assert rest["next_cursor"] is None
    # A cursor from another sort is refused, not misread.
    wrong = client.get("/v1/articles", params={"cursor": first["next_cursor"]})
    assert wrong.status_code == 400


@pytest.mark.parametrize(
    "q",
    [
        '"',
        "'",
        "*",
        "NEAR(",
        "a AND",
        "title:x",
        "-",
        "--",
        "OR",
        "\\",
        "'; DROP TABLE articles; --",
        "%",
        "_",
        "(((",
        "😀",
        "ﷺ",
        "a" * 500,
        "\u202e",
        "^foo",
        "{}",
        "NOT",
    ],
)
def test_any_search_text_gets_an_answer(client: TestClient, corpus: dict[str, int], q: str) -> None:
    response = client.get("/v1/articles", params={"q": q})
    assert response.status_code == 200, response.text
    assert client.get("/v1/articles", params={"q": q, "sort": "relevance"}).status_code == 200


def test_relevance_without_q_is_a_422(client: TestClient) -> None:
    response = client.get("/v1/articles", params={"sort": "relevance"})
    assert response.status_code == 422


@pytest.mark.parametrize("day", ["2024-02-30", "99999-01-01", "yesterday"])
def test_invalid_dates_are_422(client: TestClient, day: str) -> None:
    assert client.get("/v1/articles", params={"published_after": day}).status_code == 422


def test_facets_count_the_filtered_set(client: TestClient, corpus: dict[str, int]) -> None:
    body = client.get(
        "/v1/articles", params={"tag": "issues:iran", "facets": "topics,issues,outlet,author,month"}
    ).json()
    facets = body["facets"]
    assert facets["topics"] == [
        {"slug": "hamas", "name": "Hamas", "count": 1},
        {"slug": "hezbollah", "name": "Hezbollah", "count": 1},
    ]
    assert facets["issues"][0] == {"slug": "iran", "name": "Iran", "count": 2}
    assert facets["outlet"] == [{"slug": "reuters", "name": "Reuters", "count": 2}]
    assert {a["slug"] for a in facets["author"]} == {"ann-lee", "bo-chan"}
    assert facets["month"] == [{"slug": "2024-01", "name": "2024-01", "count": 2}]


def test_items_carry_an_excerpt_and_fields_choose(
    client: TestClient, corpus: dict[str, int]
) -> None:
    item = client.get("/v1/articles", params={"tag": "syria"}).json()["items"][0]
    assert "body" not in item
    assert item["excerpt"].startswith("Militias in Syria")
    assert item["tags"] and item["authors"] == [] and item["outlet"]["slug"] == "al-monitor"
    trimmed = client.get("/v1/articles", params={"tag": "syria", "fields": "id,title,body"}).json()
    assert set(trimmed["items"][0]) == {"id", "title", "body"}
    bad = client.get("/v1/articles", params={"fields": "id,password"})
    assert bad.status_code == 422 and "password" in bad.json()["detail"]


@pytest.mark.parametrize(
    ("params", "total", "exact", "months"),
    [
        ({}, 2, False, {"2024-03": 1, "2024-02": 1}),  # d and c of four
        ({"tag": "iran"}, 2, False, {"2024-03": 1, "2024-01": 1}),  # d and b of d, b, a
        ({"tag": "issues:iran"}, 2, True, {"2024-01": 2}),  # exactly the limit
        ({"tag": "hamas", "outlet": "reuters"}, 1, True, {"2024-01": 1}),
    ],
)
def test_counting_stops_past_the_limit_and_facets_count_the_newest(
    client: TestClient,
    corpus: dict[str, int],
    monkeypatch: pytest.MonkeyPatch,
    params: dict[str, str],
    total: int,
    exact: bool,
    months: dict[str, int],
) -> None:
    monkeypatch.setattr(matches, "COUNT_LIMIT", 2)
    body = client.get("/v1/articles", params=params | {"facets": "month"}).json()
    assert (body["total"], body["total_exact"]) == (total, exact)
    assert body["facets_over"] == total
    assert {month["slug"]: month["count"] for month in body["facets"]["month"]} == months


def test_total_can_be_skipped(client: TestClient, corpus: dict[str, int]) -> None:
    skipped = client.get("/v1/articles", params={"total": "false"}).json()
    assert skipped["total"] is None and skipped["total_exact"] is None
    assert client.get("/v1/articles", params={"tag": "hamas"}).json()["total"] == 2


@pytest.mark.parametrize("sort", ["-published_at", "published_at"])
@pytest.mark.parametrize(("tag", "newest_first"), [("iran", "dba"), ("issues:iran", "ba")])
def test_a_tag_listing_pages_by_its_own_index(
    client: TestClient, corpus: dict[str, int], sort: str, tag: str, newest_first: str
) -> None:
    seen, cursor = [], None
    for _ in range(5):
        params = {"tag": tag, "limit": 1, "sort": sort} | ({"cursor": cursor} if cursor else {})
        page = client.get("/v1/articles", params=params).json()
        assert page["total"] == len(newest_first)
        seen += [item["title"].split()[1].lower() for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    expected = list(newest_first)
    assert seen == (expected if sort == "-published_at" else expected[::-1])


def test_tag_bits_that_hold_more_than_the_article_has_only_cost_a_probe(
    client: TestClient, corpus: dict[str, int], clean_db: Engine
) -> None:
    """A set bit only says "look": with every bit set on a's links (a has Hezbollah, not
    Hamas), a walk of Hezbollah still finds that a lacks Hamas, asked for or excluded."""
    with clean_db.begin() as connection:
        connection.execute(
            update(ArticleTag)
            .where(ArticleTag.article_id == corpus["a"])
            .values(tag_bits=2**63 - 1)
        )
    assert names(client, {"tag": ["topics:hezbollah", "topics:hamas"]}) == ["c"]
    assert names(client, {"tag": "topics:hezbollah", "exclude_tag": "topics:hamas"}) == ["a"]
