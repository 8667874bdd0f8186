"""Test databases: every test runs on SQLite, and on PostgreSQL when one is reachable.

The schema is built once per backend by the real migrations; after each test every table is
emptied, so tests start clean without sharing a transaction with the app (which runs its own,
and may run several at once)."""

import os
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, insert, text
from sqlalchemy.engine import make_url

from app.config import Settings
from app.db.engines import make_sync_engine
from app.db.migrate import upgrade
from app.db.models import ApiKey, Base
from app.http.api_keys import hash_key
from app.main import create_app

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
ROOT = Path(__file__).resolve().parent.parent


def newsdb_command(*args: str) -> list[str]:
    """This checkout's `newsdb`, whichever checkout the virtualenv's console script was
    installed from; run it with `newsdb_env`."""
    return [sys.executable, "-m", "app.cli.main", *args]


def newsdb_env(**variables: str) -> dict[str, str]:
    """The environment for `newsdb_command`, and for the server workers it starts."""
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    return os.environ | {"PYTHONPATH": path} | variables


def postgres_server_url() -> str:
    return os.environ.get("TEST_DATABASE_URL") or DEFAULT_POSTGRES


def _admin_engine(server_url: str) -> Engine:
    return create_engine(
        make_url(server_url).set(drivername="postgresql+psycopg"),
        isolation_level="AUTOCOMMIT",
        connect_args={"connect_timeout": 3},
    )


def create_postgres_database() -> str:
    """A fresh, empty database on the test server; skips the test when there is no server."""
    server_url = postgres_server_url()
    admin = _admin_engine(server_url)
    name = f"newsdb_test_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:
        reason = (
            f"no PostgreSQL at {make_url(server_url).render_as_string(hide_password=True)} "
            f"({type(error).__name__}); set TEST_DATABASE_URL to a server to run these tests"
        )
        if os.environ.get("REQUIRE_POSTGRES"):
            pytest.fail(reason)
        pytest.skip(reason)
    finally:
        admin.dispose()
    url = make_url(server_url).set(drivername="postgresql+psycopg", database=name)
    return url.render_as_string(hide_password=False)


def drop_postgres_database(url: str) -> None:
    admin = _admin_engine(postgres_server_url())
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """An empty database of each backend, migrated to head by the real migrations."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'newsdb.sqlite3'}"
        upgrade(url)
        yield url
        return
    url = create_postgres_database()
    try:
        upgrade(url)
        yield url
    finally:
        drop_postgres_database(url)


@pytest.fixture(scope="session")
def sync_engine(database_url: str) -> Iterator[Engine]:
    engine = make_sync_engine(database_url)
    yield engine
    engine.dispose()


def empty_all_tables(engine: Engine) -> None:
    tables = [table.name for table in reversed(Base.metadata.sorted_tables)]
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(text(f"DELETE FROM {table}"))


@pytest.fixture
def clean_db(sync_engine: Engine) -> Iterator[Engine]:
    yield sync_engine
    empty_all_tables(sync_engine)


@pytest.fixture
def make_client(database_url: str, clean_db: Engine) -> Iterator[Callable[..., TestClient]]:
    """A client for an app with extra settings: make_client(require_key_for_reads=True)."""
    clients: list[TestClient] = []

    def make(**overrides: Any) -> TestClient:
        settings = Settings(_env_file=None, database_url=database_url, **overrides)
        client = TestClient(create_app(settings), raise_server_exceptions=False)
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def client(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client()


def add_key(engine: Engine, name: str, scopes: str) -> str:
    key = f"ndb_test_{name}_{uuid.uuid4().hex}"
    with engine.begin() as connection:
        connection.execute(insert(ApiKey).values(name=name, key_hash=hash_key(key), scopes=scopes))
    return key


@pytest.fixture
def ingest_headers(clean_db: Engine) -> dict[str, str]:
    return {"Authorization": f"Bearer {add_key(clean_db, 'scraper', 'ingest')}"}


@pytest.fixture
def admin_headers(clean_db: Engine) -> dict[str, str]:
    return {"Authorization": f"Bearer {add_key(clean_db, 'admin', 'admin')}"}


ARTICLES = [
    # (slug-ish name, day, outlet, authors, Issues, Topics, body)
    (
        "a",
        "2024-01-01",
        "Reuters",
        ["Ann Lee"],
        ["Iran"],
        ["Hezbollah"],
        "Drone attacks rose near the border. <script>alert(1)</script> Officials said little.",
    ),
    (
        "b",
        "2024-01-05",
        "Reuters",
        ["Bo Chan"],
        ["Iran", "Israel"],
        ["Hamas"],
        "Negotiations over the hostages stalled in Cairo.",
    ),
    (
        "c",
        "2024-02-10",
        "Haaretz",
        ["Ann Lee", "Bo Chan"],
        ["Israel"],
        ["Hezbollah", "Hamas"],
        "Hezbollah fired rockets; drone attacks continued overnight.",
    ),
    (
        "d",
        "2024-03-15",
        "Al-Monitor",
        [],
        ["Syria"],
        ["Iran"],
        "Militias in Syria reorganised after strikes on their drone depots.",
    ),
]


@pytest.fixture
def corpus(client: TestClient, ingest_headers: dict[str, str]) -> dict[str, int]:
    ids = {}
    for name, day, outlet, authors, issues, topics, body in ARTICLES:
        response = client.post(
            "/v1/articles",
            json={
                "url": f"https://example.com/{name}",
                "title": f"Story {name.upper()} report",
                "body": body,
                "published_at": day,
                "outlet": outlet,
                "authors": authors,
                "tags": {"Issues": issues, "Topics": topics},
            },
            headers=ingest_headers,
        )
        assert response.status_code == 201, response.text
        ids[name] = response.json()["id"]
    return ids
