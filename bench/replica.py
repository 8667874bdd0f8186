"""newsdb reading from a streaming replica (BENCH_REPLICA_URL: a hot standby of the server in
TEST_DATABASE_URL, e.g. postgresql+psycopg://postgres@127.0.0.1:5433/postgres): how long a
write takes to show on the replica, whether a writer that sends its `Newsdb-LSN` back always
sees its write, and reads/s served by the replica beside reads/s served by the primary."""

import statistics
import subprocess
import time
from typing import Any

import httpx
from sqlalchemy import make_url

from bench.http import BIN, _server, postgres_corpus, serving, wrk
from bench.requests import questions
from tests.servers import free_port

WRITES = 200


def _key(database_url: str) -> str:
    created = subprocess.run(
        [
            str(BIN / "newsdb"),
            "keys",
            "create",
            f"bench-replica-{time.time_ns()}",
            "--scopes",
            "ingest",
        ],
        env={"DATABASE_URL": database_url, "PATH": str(BIN)},
        check=True,
        capture_output=True,
        text=True,
    )
    return created.stdout.strip().splitlines()[-1]


def _article(number: int) -> dict[str, Any]:
    return {
        "title": f"Replica probe {number} {time.time_ns()}",
        "body": f"Written to the primary, read from the replica ({number}).",
        "published_at": "2026-01-01",
        "outlet": "Replica Probe",
    }


def _writes(base: str, key: str) -> dict[str, Any]:
    """Each write read back at once without its position (a stale read counts), at once with
    it (must always be found), then polled without it until the replica has it."""
    lags, stale, missed = [], 0, 0
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {key}"}) as client:
        for number in range(WRITES):
            created = client.post("/v1/articles", json=_article(number))
            created.raise_for_status()
            written, path = time.perf_counter(), f"/v1/articles/{created.json()['id']}"
            position = {"Newsdb-Min-LSN": created.headers["Newsdb-LSN"]}
            stale += client.get(path).status_code == 404
            missed += client.get(path, headers=position).status_code != 200
            while client.get(path).status_code == 404:
                time.sleep(0.0005)
            lags.append((time.perf_counter() - written) * 1000)
    return {
        "writes": WRITES,
        "read_at_once_without_position_stale": stale,
        "read_at_once_with_position_missing": missed,
        "visible_on_replica_ms_median": round(statistics.median(lags), 2),
        "visible_on_replica_ms_max": round(max(lags), 2),
    }


def measure(replica_server: str, size: int) -> dict[str, Any]:
    primary_url, facts = postgres_corpus(size)
    replica_url = (
        make_url(replica_server)
        .set(database=make_url(primary_url).database)
        .render_as_string(hide_password=False)
    )
    reads = questions(int(facts["articles"]))
    results: dict[str, Any] = {"size": size}
    for setup, env in {
        "primary": {"DATABASE_URL": primary_url},
        "replica": {"DATABASE_URL": primary_url, "DATABASE_READ_URL": replica_url},
    }.items():
        port = free_port()
        command = _server(str(BIN / "newsdb"), "serve", port=port, workers=2)
        with serving(command, port, "/health", env) as (base, _):
            results[setup] = {
                name: wrk(base, reads[name][0]) for name in ("article detail", "topic, newest 20")
            }
            if setup == "replica":
                results["writes"] = _writes(base, _key(primary_url))
    return results
