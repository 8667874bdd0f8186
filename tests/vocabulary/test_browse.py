"""Browsing taxonomies, tags, authors and outlets."""

import base64

from fastapi.testclient import TestClient
from sqlalchemy import Engine, insert, select, update

from app.db.models import Tag, TagAlias


def test_taxonomies_list_with_tag_counts(client: TestClient, corpus: dict[str, int]) -> None:
    body = client.get("/v1/taxonomies").json()
    assert [(t["slug"], t["tag_count"]) for t in body["items"]] == [("issues", 3), ("topics", 3)]
    assert body["total"] == 2 and body["next_cursor"] is None
    assert client.get("/v1/taxonomies/topics").json()["name"] == "Topics"
    assert client.get("/v1/taxonomies/nope").status_code == 404


def test_tags_sort_by_count_or_name_and_autocomplete(
    client: TestClient, corpus: dict[str, int]
) -> None:
    by_count = client.get("/v1/taxonomies/topics/tags", params={"sort": "count"}).json()
    assert [(t["slug"], t["article_count"]) for t in by_count["items"]] == [
        ("hamas", 2),
        ("hezbollah", 2),
        ("iran", 1),
    ]
    by_name = client.get("/v1/taxonomies/topics/tags", params={"prefix": "h"}).json()
    assert [t["slug"] for t in by_name["items"]] == ["hamas", "hezbollah"]
    assert client.get("/v1/taxonomies/topics/tags", params={"prefix": "%"}).json()["items"] == []


def test_tag_pages_use_an_opaque_cursor(client: TestClient, corpus: dict[str, int]) -> None:
    first = client.get("/v1/taxonomies/topics/tags", params={"limit": 2}).json()
    rest = client.get(
        "/v1/taxonomies/topics/tags", params={"limit": 2, "cursor": first["next_cursor"]}
    ).json()
    assert [t["slug"] for t in first["items"] + rest["items"]] == ["hamas", "hezbollah", "iran"]
    assert client.get("/v1/taxonomies/topics/tags", params={"cursor": "zzz"}).status_code == 400
    for offset in ("9" * 19, "9" * 40):  # forged: past what the database can skip
        forged = base64.urlsafe_b64encode(f"o:{offset}".encode()).decode().rstrip("=")
        for path in ("/v1/taxonomies", "/v1/taxonomies/topics/tags", "/v1/authors"):
            response = client.get(path, params={"cursor": forged})
            assert response.status_code == 400, response.text
            assert response.json()["code"] == "invalid_cursor"


def test_tag_detail_shows_parent_children_aliases(
    client: TestClient, corpus: dict[str, int], clean_db: Engine
) -> None:
    with clean_db.begin() as connection:
        ids = dict(connection.execute(select(Tag.slug, Tag.id).where(Tag.taxonomy_id == 2)).all())
        connection.execute(update(Tag).where(Tag.id == ids["hamas"]).values(parent_id=ids["iran"]))
        connection.execute(
            insert(TagAlias).values(taxonomy_id=2, slug="hamas-movement", tag_id=ids["hamas"])
        )
    tag = client.get("/v1/taxonomies/topics/tags/hamas-movement").json()
    assert tag["slug"] == "hamas" and tag["article_count"] == 2
    assert tag["parent"] == {"name": "Iran", "slug": "iran"}
    assert tag["aliases"] == ["hamas-movement"]
    assert client.get("/v1/taxonomies/topics/tags/iran").json()["children"] == [
        {"name": "Hamas", "slug": "hamas"}
    ]
    assert client.get("/v1/taxonomies/topics/tags/nope").status_code == 404


def test_authors_and_outlets(client: TestClient, corpus: dict[str, int]) -> None:
    authors = client.get("/v1/authors", params={"sort": "count"}).json()["items"]
    assert [(a["slug"], a["article_count"]) for a in authors] == [("ann-lee", 2), ("bo-chan", 2)]
    assert client.get("/v1/authors/ann-lee").json()["name"] == "Ann Lee"
    outlets = client.get("/v1/outlets").json()
    assert [o["slug"] for o in outlets["items"]] == ["al-monitor", "haaretz", "reuters"]
    assert client.get("/v1/outlets/reuters").json()["article_count"] == 2
    assert client.get("/v1/outlets/nope").json()["code"] == "not_found"
