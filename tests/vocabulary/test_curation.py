"""Tag curation needs an admin key; renamed and merged slugs keep resolving."""

import threading
import time

from fastapi.testclient import TestClient
from sqlalchemy import Engine, insert, select, update

from app.db.models import ArticleTag, Tag, Taxonomy
from app.db.tag_bits import tag_bits


def test_rename_keeps_the_old_slug_resolving(
    client: TestClient, corpus: dict[str, int], admin_headers: dict[str, str]
) -> None:
    response = client.patch(
        "/v1/taxonomies/topics/tags/hezbollah", json={"name": "Hizballah"}, headers=admin_headers
    )
    assert response.status_code == 200, response.text
    assert (response.json()["slug"], response.json()["aliases"]) == ("hizballah", ["hezbollah"])
    assert client.get("/v1/taxonomies/topics/tags/hezbollah").json()["slug"] == "hizballah"
    listed = client.get("/v1/articles", params={"tag": "topics:hezbollah"}).json()
    assert listed["total"] == 2
    assert {t["name"] for item in listed["items"] for t in item["tags"]} >= {"Hizballah"}


def test_merge_moves_articles_and_leaves_an_alias(
    client: TestClient, corpus: dict[str, int], admin_headers: dict[str, str]
) -> None:
    response = client.post(
        "/v1/taxonomies/topics/tags/hamas/merge", json={"into": "hezbollah"}, headers=admin_headers
    )
    assert response.status_code == 200, response.text
    merged = response.json()
    assert merged["slug"] == "hezbollah" and merged["aliases"] == ["hamas"]
    # b had Hamas only, c had both: both now carry Hezbollah once; a keeps it.
    assert merged["article_count"] == 3
    assert client.get("/v1/articles", params={"tag": "topics:hamas"}).json()["total"] == 3
    article_c = client.get(f"/v1/articles/{corpus['c']}").json()
    assert [t["slug"] for t in article_c["tags"] if t["taxonomy_slug"] == "topics"] == ["hezbollah"]
    # A walk of Israel (the rarer) tests Hezbollah on b by the tag bits its links got.
    both = client.get("/v1/articles", params={"tag": ["topics:hezbollah", "issues:israel"]})
    assert [item["id"] for item in both.json()["items"]] == [corpus["c"], corpus["b"]]
    assert both.json()["total"] == 2


def test_parent_can_be_set_and_cleared_but_not_cycled(
    client: TestClient, corpus: dict[str, int], admin_headers: dict[str, str]
) -> None:
    url = "/v1/taxonomies/topics/tags"
    set_parent = client.patch(f"{url}/hamas", json={"parent": "iran"}, headers=admin_headers)
    assert set_parent.json()["parent"] == {"name": "Iran", "slug": "iran"}
    cycle = client.patch(f"{url}/iran", json={"parent": "hamas"}, headers=admin_headers)
    assert cycle.status_code == 422
    cleared = client.patch(f"{url}/hamas", json={"parent": None}, headers=admin_headers)
    assert cleared.json()["parent"] is None


def test_curation_needs_admin(
    client: TestClient, corpus: dict[str, int], ingest_headers: dict[str, str]
) -> None:
    url = "/v1/taxonomies/topics/tags/hamas"
    assert client.patch(url, json={"name": "X"}).status_code == 401
    assert client.patch(url, json={"name": "X"}, headers=ingest_headers).status_code == 403
    assert (
        client.post(f"{url}/merge", json={"into": "iran"}, headers=ingest_headers).status_code
        == 403
    )


def test_curation_errors(
    client: TestClient, corpus: dict[str, int], admin_headers: dict[str, str]
) -> None:
    url = "/v1/taxonomies/topics/tags"
    taken = client.patch(f"{url}/hamas", json={"name": "Iran"}, headers=admin_headers)
    assert taken.status_code == 409 and taken.json()["code"] == "conflict"
    itself = client.post(f"{url}/hamas/merge", json={"into": "hamas"}, headers=admin_headers)
    assert itself.status_code == 422
    missing = client.post(f"{url}/nope/merge", json={"into": "hamas"}, headers=admin_headers)
    assert missing.status_code == 404


def test_a_listing_shows_renamed_tags_and_taxonomies(
    client: TestClient, corpus: dict[str, int], admin_headers: dict[str, str], clean_db: Engine
) -> None:
    """Articles list each tag's JSON as stored by triggers (migration 0014): a rename of the
    tag, or of its taxonomy (no endpoint yet: any SQL), must reach it."""
    renamed = client.patch(
        "/v1/taxonomies/topics/tags/hezbollah", json={"name": "Hizballah"}, headers=admin_headers
    )
    assert renamed.status_code == 200, renamed.text
    with clean_db.begin() as connection:
        connection.execute(
            update(Taxonomy)
            .where(Taxonomy.slug == "topics")
            .values(name="Subjects", slug="subjects")
        )
    listed = client.get("/v1/articles", params={"tag": "subjects:hizballah", "total": "false"})
    assert listed.status_code == 200, listed.text
    tags = [tag for item in listed.json()["items"] for tag in item["tags"]]
    assert {
        "taxonomy": "Subjects",
        "taxonomy_slug": "subjects",
        "name": "Hizballah",
        "slug": "hizballah",
    } in tags
    assert {tag["taxonomy_slug"] for tag in tags} == {"issues", "subjects"}


def test_a_link_written_during_a_merge_is_moved_with_the_target_bit(
    client: TestClient, corpus: dict[str, int], admin_headers: dict[str, str], clean_db: Engine
) -> None:
    """A scraper's transaction links article a to Hamas and has not committed when the merge
    of Hamas into Iran starts: the merge waits for it, then moves that link too, with Iran's
    bit on a's links (else a walk of Hezbollah asking for Iran would skip a)."""
    article = corpus["a"]
    with clean_db.connect() as scraper:
        hamas = scraper.scalars(select(Tag.id).where(Tag.slug == "hamas")).one()
        links = scraper.execute(select(ArticleTag).where(ArticleTag.article_id == article))
        first, *_ = rows = links.mappings().all()
        scraper.execute(
            insert(ArticleTag).values(
                article_id=article,
                tag_id=hamas,
                position=len(rows),
                source="given",
                published_at=first["published_at"],
                outlet_id=first["outlet_id"],
                tag_bits=tag_bits([*(row["tag_id"] for row in rows), hamas]),
            )
        )
        answers: list[int] = []

        def merge() -> None:
            url = "/v1/taxonomies/topics/tags/hamas/merge"
            response = client.post(url, json={"into": "iran"}, headers=admin_headers)
            answers.append(response.status_code)

        merging = threading.Thread(target=merge)
        merging.start()
        time.sleep(0.5)
        scraper.commit()
        merging.join(timeout=60)
    assert answers == [200]
    both = client.get("/v1/articles", params={"tag": ["topics:hezbollah", "topics:iran"]})
    assert [item["id"] for item in both.json()["items"]] == [corpus["c"], article]
