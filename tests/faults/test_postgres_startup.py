"""Starting while PostgreSQL is down: the server answers 503 problems (and /health says so)
until the database appears, then serves without a restart; `newsdb migrate` waits for it, a
bounded time, and gives up with a message rather than a traceback."""

import subprocess
import tempfile
import time

import httpx

from tests.conftest import newsdb_command, newsdb_env
from tests.faults.conftest import Cluster, ingest_key, serving
from tests.faults.load import PROBLEM, article
from tests.servers import free_port


def test_server_started_before_the_database_serves_once_it_appears(
    cluster: Cluster, pg_database: str
) -> None:
    headers = {"Authorization": f"Bearer {ingest_key(pg_database)}"}
    cluster.stop()
    with serving(pg_database, wait_healthy=False) as base:
        for answer in (
            httpx.get(f"{base}/health"),
            httpx.get(f"{base}/v1/articles"),
            httpx.post(f"{base}/v1/articles", json=article("early"), headers=headers),
        ):
            assert answer.status_code == 503
            assert answer.headers["content-type"] == PROBLEM
            assert answer.headers["retry-after"] == "1"
            assert answer.json()["code"] == "database_unavailable"

        cluster.start()
        back_up = time.monotonic()
        while httpx.get(f"{base}/health").status_code != 200:
            assert time.monotonic() - back_up < 30, "still unhealthy 30 s after the database"
            time.sleep(0.2)
        print(f"\nhealthy {time.monotonic() - back_up:.1f} s after the database started")
        created = httpx.post(f"{base}/v1/articles", json=article("early"), headers=headers)
        assert created.status_code == 201, created.text
        assert httpx.get(f"{base}/v1/articles").json()["total"] == 1


def test_migrate_waits_for_the_database(cluster: Cluster, pg_database: str) -> None:
    cluster.stop()
    migrate = subprocess.Popen(
        newsdb_command("migrate", "--wait", "60"),
        env=newsdb_env(DATABASE_URL=pg_database),
        cwd=tempfile.gettempdir(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(3)
    assert migrate.poll() is None, "migrate gave up at once"
    cluster.start()
    out, err = migrate.communicate(timeout=60)
    assert migrate.returncode == 0, err
    assert "database at revision head" in out


def test_migrate_gives_up_with_a_message() -> None:
    nowhere = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/newsdb"
    started = time.monotonic()
    migrate = subprocess.run(
        newsdb_command("migrate", "--wait", "2"),
        env=newsdb_env(DATABASE_URL=nowhere),
        cwd=tempfile.gettempdir(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert migrate.returncode == 2
    assert "Traceback" not in migrate.stderr
    assert migrate.stderr.startswith("newsdb: the database at postgresql+psycopg://postgres@")
    assert "did not answer within 2 s" in migrate.stderr
    assert "Connection refused" in migrate.stderr
    assert time.monotonic() - started < 50
