"""Timelines, co-occurring tags and related articles."""

from typing import Any

import pytest
from fastapi.testclient import TestClient


@pytest.mark.parametrize(
    ("path", "params", "expected"),
    [
        ("issues/tags/iran", {}, [("2024-01", 2)]),
        ("topics/tags/hamas", {}, [("2024-01", 1), ("2024-02", 1)]),
        (
            "topics/tags/hamas",
            {"published_after": "2023-12-01"},
            [("2023-12", 0), ("2024-01", 1), ("2024-02", 1)],
        ),
        (
            "topics/tags/hamas",
            {"interval": "week"},
            [
                ("2024-01-01", 1),
                ("2024-01-08", 0),
                ("2024-01-15", 0),
                ("2024-01-22", 0),
                ("2024-01-29", 0),
                ("2024-02-05", 1),
            ],
        ),
        ("topics/tags/hamas", {"interval": "day", "outlet": "haaretz"}, [("2024-02-10", 1)]),
        ("topics/tags/hamas", {"q": "nothing-at-all"}, []),
    ],
)
def test_timeline_counts_every_bucket(
    client: TestClient,
    corpus: dict[str, int],
    path: str,
    params: Any,
    expected: list[tuple[str, int]],
) -> None:
    response = client.get(f"/v1/taxonomies/{path}/timeline", params=params)
    assert response.status_code == 200, response.text
    assert [(b["start"], b["count"]) for b in response.json()["buckets"]] == expected


def test_timeline_refuses_too_many_buckets(client: TestClient, corpus: dict[str, int]) -> None:
    response = client.get(
        "/v1/taxonomies/topics/tags/hamas/timeline",
        params={
            "interval": "day",
            "published_after": "1900-01-01",
            "published_before": "2024-01-01",
        },
    )
    assert response.status_code == 422
    assert client.get("/v1/taxonomies/topics/tags/nope/timeline").status_code == 404
    assert (
        client.get(
            "/v1/taxonomies/topics/tags/hamas/timeline", params={"interval": "hour"}
        ).status_code
        == 422
    )


def test_cooccurring_tags(client: TestClient, corpus: dict[str, int]) -> None:
    response = client.get("/v1/taxonomies/topics/tags/hezbollah/cooccurring")
    assert [(t["taxonomy_slug"], t["slug"], t["count"]) for t in response.json()] == [
        ("topics", "hamas", 1),
        ("issues", "iran", 1),
        ("issues", "israel", 1),
    ]


def test_related_articles_weigh_shared_tags(client: TestClient, corpus: dict[str, int]) -> None:
    response = client.get(f"/v1/articles/{corpus['b']}/related")
    assert response.status_code == 200
    items = response.json()
    assert [item["id"] for item in items] == [corpus["c"], corpus["a"]]
    assert items[0]["score"] > items[1]["score"] > 0
    assert "excerpt" in items[0] and "body" not in items[0]
    assert client.get("/v1/articles/999999/related").status_code == 404


def _timeline(client: TestClient, tag: str, **params: str) -> list[Any]:
    response = client.get(f"/v1/taxonomies/{tag}/timeline", params={"interval": "day", **params})
    assert response.status_code == 200, response.text
    return [(b["start"], b["count"]) for b in response.json()["buckets"] if b["count"]]


def test_daily_counts_follow_every_change_to_the_links(
    client: TestClient,
    corpus: dict[str, int],
    admin_headers: dict[str, str],
    ingest_headers: dict[str, str],
) -> None:
    """A timeline with no filter reads the daily counts the triggers keep; with a filter (one
    that keeps everything) it counts the links themselves: the two must agree after merges
    and new articles."""
    merged = client.post(
        "/v1/taxonomies/topics/tags/hamas/merge", json={"into": "hezbollah"}, headers=admin_headers
    )
    assert merged.status_code == 200, merged.text
    added = client.post(
        "/v1/articles",
        json={
            "url": "https://example.com/e",
            "title": "Story E report",
            "body": "A later piece on the same front.",
            "published_at": "2024-02-10T18:00:00Z",
            "outlet": "Haaretz",
            "tags": {"Topics": ["Hezbollah", "Iran"]},
        },
        headers=ingest_headers,
    )
    assert added.status_code == 201, added.text
    for tag in ("topics/tags/hezbollah", "topics/tags/iran", "issues/tags/israel"):
        counted = _timeline(client, tag)
        assert counted == _timeline(client, tag, exclude_tag="no-such-tag")
    assert _timeline(client, "topics/tags/hezbollah") == [
        ("2024-01-01", 1),
        ("2024-01-05", 1),
        ("2024-02-10", 2),
    ]
