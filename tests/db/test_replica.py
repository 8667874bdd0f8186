"""Reads from a replica (DATABASE_READ_URL), own writes still seen: PostgreSQL only.

The stand-in replica is a second, empty database: never in recovery, so it never claims to
hold a write, and whatever a read finds tells which database served it."""

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy.exc import DBAPIError

from app.config import Settings
from app.db.migrate import upgrade
from app.http import write_position
from tests.articles.test_articles import article
from tests.conftest import create_postgres_database, drop_postgres_database

ClientFactory = Callable[..., TestClient]


@pytest.fixture
def stand_in_replica(database_url: str) -> Iterator[str]:
    if not database_url.startswith("postgresql"):
        pytest.skip("read replicas are a PostgreSQL feature")
    url = create_postgres_database()
    upgrade(url)
    yield url
    drop_postgres_database(url)


def test_reads_go_to_the_replica_and_a_writer_still_sees_its_write(
    make_client: ClientFactory, stand_in_replica: str, ingest_headers: dict[str, str]
) -> None:
    client = make_client(database_read_url=stand_in_replica)
    created = client.post("/v1/articles", json=article(), headers=ingest_headers)
    assert created.status_code == 201, created.text
    position = created.headers["Newsdb-LSN"]

    assert client.get("/v1/articles").json()["items"] == []  # the replica has not got it
    article_id = created.json()["id"]
    assert client.get(f"/v1/articles/{article_id}").status_code == 404

    fresh = {"Newsdb-Min-LSN": position}
    assert [a["id"] for a in client.get("/v1/articles", headers=fresh).json()["items"]] == [
        article_id
    ]
    assert client.get(f"/v1/articles/{article_id}", headers=fresh).status_code == 200


def test_a_failed_write_carries_no_position(
    make_client: ClientFactory, stand_in_replica: str, ingest_headers: dict[str, str]
) -> None:
    client = make_client(database_read_url=stand_in_replica)
    refused = client.post("/v1/articles", json=article(title=""), headers=ingest_headers)
    assert refused.status_code == 422
    assert "Newsdb-LSN" not in refused.headers


def test_a_write_stands_when_its_position_cannot_be_read(
    make_client: ClientFactory,
    stand_in_replica: str,
    ingest_headers: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def unreachable(_engine: object) -> str:
        raise DBAPIError("SELECT pg_current_wal_lsn()", {}, OSError("primary gone"))

    monkeypatch.setattr(write_position, "primary_position", unreachable)
    client = make_client(database_read_url=stand_in_replica)
    created = client.post("/v1/articles", json=article(), headers=ingest_headers)
    assert created.status_code == 201
    assert "Newsdb-LSN" not in created.headers


@pytest.mark.parametrize("position", ["yesterday", "0/", "1/2/3", "G/0", "1" * 9 + "/0"])
def test_a_malformed_position_is_a_422_problem(
    make_client: ClientFactory, stand_in_replica: str, position: str
) -> None:
    client = make_client(database_read_url=stand_in_replica)
    response = client.get("/v1/articles", headers={"Newsdb-Min-LSN": position})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "invalid_input"
    assert "Newsdb-Min-LSN" in response.json()["detail"]


def test_health_reports_the_replica(make_client: ClientFactory, stand_in_replica: str) -> None:
    health = make_client(database_read_url=stand_in_replica).get("/health").json()
    assert health["status"] == "ok"
    assert health["replica"]["status"] == "ok"


def test_reads_fall_back_to_the_primary_when_the_replica_is_down(
    make_client: ClientFactory,
    stand_in_replica: str,
    database_url: str,
    ingest_headers: dict[str, str],
) -> None:
    down = "postgresql+psycopg://postgres@127.0.0.1:1/nowhere?connect_timeout=2"
    client = make_client(database_read_url=down)
    created = client.post("/v1/articles", json=article(), headers=ingest_headers)
    assert created.status_code == 201
    assert client.get(f"/v1/articles/{created.json()['id']}").status_code == 200
    health = client.get("/health")
    assert health.status_code == 200
    assert health.json()["replica"] == {"status": "unreachable", "lag_seconds": None}


def test_sqlite_has_no_replicas() -> None:
    with pytest.raises(ValidationError, match="SQLite has no replicas"):
        Settings(
            _env_file=None,
            database_url="sqlite:///./newsdb.sqlite3",
            database_read_url="postgresql+psycopg://postgres@127.0.0.1/replica",
        )
