"""Atom feeds, checked with feedparser (what feed readers use)."""

import feedparser
import pytest
from fastapi.testclient import TestClient


@pytest.mark.parametrize(
    ("path", "title", "expected"),
    [
        ("/v1/taxonomies/topics/tags/hamas/feed", "Topics: Hamas", ["c", "b"]),
        ("/v1/authors/ann-lee/feed", "Articles by Ann Lee", ["c", "a"]),
        ("/v1/outlets/reuters/feed", "Reuters", ["b", "a"]),
    ],
)
def test_feeds_are_valid_atom(
    client: TestClient, corpus: dict[str, int], path: str, title: str, expected: list[str]
) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    assert feed.feed.title == title
    assert [entry.title.split()[1].lower() for entry in feed.entries] == expected
    entry = feed.entries[0]
    assert entry.link.startswith("https://example.com/")
    assert entry.summary and entry.published_parsed and entry.tags


def test_feed_for_something_missing_is_a_404(client: TestClient) -> None:
    assert client.get("/v1/authors/nobody/feed").status_code == 404
