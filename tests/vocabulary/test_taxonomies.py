"""PUT /v1/taxonomies/{slug}: loading a publisher's vocabulary."""

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from app.db.models import Tag

ISSUES = ["Gulf States", "Iran", "Iran Global Threat Network", "U.S. Defense Policy and Strategy"]


def test_loading_creates_then_adds_only_what_is_missing(
    client: TestClient, ingest_headers: dict[str, str], clean_db: Engine
) -> None:
    first = client.put(
        "/v1/taxonomies/issues", json={"name": "Issues", "tags": ISSUES}, headers=ingest_headers
    )
    assert first.status_code == 201, first.text
    assert first.json() | {"id": 0} == {
        "id": 0,
        "name": "Issues",
        "slug": "issues",
        "description": None,
        "tag_count": 4,
        "added": ISSUES,
    }
    again = client.put(
        "/v1/taxonomies/issues",
        json={"name": "Issues", "tags": [*ISSUES, "iran", "Energy"], "description": "Policy areas"},
        headers=ingest_headers,
    )
    assert again.status_code == 200
    assert again.json()["added"] == ["Energy"]
    assert again.json()["tag_count"] == 5
    assert again.json()["description"] == "Policy areas"
    with clean_db.connect() as connection:
        origins = set(connection.scalars(select(Tag.origin)))
    assert origins == {"vocabulary"}


def test_loaded_tags_are_the_ones_articles_file_under(
    client: TestClient, ingest_headers: dict[str, str]
) -> None:
    client.put(
        "/v1/taxonomies/issues", json={"name": "Issues", "tags": ISSUES}, headers=ingest_headers
    )
    response = client.post(
        "/v1/articles",
        json={
            "title": "T",
            "body": "B",
            "published_at": "2024-01-01",
            "outlet": "O",
            "tags": {"issues": ["u.s. defense policy and strategy"]},
        },
        headers=ingest_headers,
    )
    assert response.json()["tags"] == [
        {
            "taxonomy": "Issues",
            "taxonomy_slug": "issues",
            "name": "U.S. Defense Policy and Strategy",
            "slug": "u-s-defense-policy-and-strategy",
        }
    ]


def test_a_name_that_files_under_another_slug_is_refused(
    client: TestClient, ingest_headers: dict[str, str]
) -> None:
    response = client.put(
        "/v1/taxonomies/topics", json={"name": "Issues", "tags": []}, headers=ingest_headers
    )
    assert response.status_code == 422
    assert response.json()["code"] == "slug_mismatch"


def test_loading_needs_a_key(client: TestClient) -> None:
    response = client.put("/v1/taxonomies/issues", json={"name": "Issues", "tags": []})
    assert response.status_code == 401
