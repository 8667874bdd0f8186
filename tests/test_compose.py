"""No Docker engine runs here, so docker-compose.yml is kept honest another way: the file is
validated against the Compose Specification, and the API services' own commands and
healthchecks run, exactly as written, against a real PostgreSQL."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest
import yaml

from tests.conftest import ROOT, create_postgres_database, drop_postgres_database
from tests.servers import free_port, start, stop

COMPOSE = ROOT / "docker-compose.yml"


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(COMPOSE.read_text())
    return loaded


def test_compose_file_follows_the_compose_specification() -> None:
    schema = json.loads((ROOT / "tests/fixtures/compose-spec.json").read_text())
    # The spec names draft-07 by a URL without the trailing "#" that jsonschema looks up.
    jsonschema.Draft7Validator(schema).validate(compose())


def test_compose_runs_postgres_with_a_named_volume_and_healthchecks() -> None:
    services = compose()["services"]
    assert services["api"]["depends_on"]["db"]["condition"] == "service_healthy"
    assert "healthcheck" in services["db"] and "healthcheck" in services["api"]
    volume = services["db"]["volumes"][0].split(":")[0]
    assert volume in compose()["volumes"]
    assert services["api"]["environment"]["DATABASE_URL"].startswith("postgresql+psycopg://")
    assert Path(ROOT / services["api"]["build"] / "Dockerfile").exists()


def test_the_replica_profile_streams_from_db_and_an_api_reads_from_it() -> None:
    services = compose()["services"]
    replica, api = services["db-replica"], services["api-read"]
    assert replica["profiles"] == api["profiles"] == ["replica"]
    assert "pg_basebackup --host=db " in replica["command"][-1]
    assert replica["volumes"][0].split(":")[0] in compose()["volumes"]
    init_script = services["db"]["volumes"][1].split(":")[0]
    assert "host replication newsdb" in (ROOT / init_script).read_text()
    assert "@db-replica:5432/" in api["environment"]["DATABASE_READ_URL"]
    assert api["environment"]["DATABASE_URL"] == services["api"]["environment"]["DATABASE_URL"]
    assert api["depends_on"]["db-replica"]["condition"] == "service_healthy"


def _compose_command(words: list[str]) -> list[str]:
    return [word.replace("$$", "$") for word in words]  # compose's escape for a literal $


@pytest.mark.postgres
@pytest.mark.parametrize("service", ["api", "api-read"])
def test_the_api_command_migrates_and_serves_and_the_healthcheck_passes(
    tmp_path: Path, service: str
) -> None:
    api = compose()["services"][service]
    database_url = create_postgres_database()
    port = free_port()
    # The compose hosts "db" and "db-replica" are this machine's server here.
    hosts = {"DATABASE_URL": database_url}
    if "DATABASE_READ_URL" in api["environment"]:
        hosts["DATABASE_READ_URL"] = database_url
    env = (
        os.environ
        | api["environment"]
        | hosts
        | {
            "PORT": str(port),
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        }
    )
    server = start(
        _compose_command(api["command"]),
        env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    healthcheck = _compose_command(api["healthcheck"]["test"][1:])
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if server.poll() is not None:
                pytest.fail(f"the api command exited: {server.stdout.read().decode()}")  # type: ignore[union-attr]
            if subprocess.run(healthcheck, env=env, capture_output=True).returncode == 0:
                health = httpx.get(f"http://127.0.0.1:{port}/health").json()
                assert ("replica" in health) == ("DATABASE_READ_URL" in hosts)
                break
            time.sleep(0.5)
        else:
            pytest.fail("the healthcheck never passed")
    finally:
        stop(server)
        drop_postgres_database(database_url)
