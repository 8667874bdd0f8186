"""newsdb beside the stack's ceiling and Datasette, loaded with wrk on loopback: on SQLite with
1 and 2 workers, and on PostgreSQL (2 workers) when BENCH_POSTGRES is 1 (every size) or lists
sizes (10000,100000), on a database of the server in TEST_DATABASE_URL (default: the local
one)."""

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, make_url, text

from app.db.migrate import upgrade
from bench.corpus import generate
from bench.requests import questions
from tests import servers
from tests.servers import free_port

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / ".data"
BIN = Path(sys.executable).parent
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PATHS_SCRIPT = ROOT / "bench" / "paths.lua"


def wrk(base: str, paths: list[str], duration: int = SECONDS) -> dict[str, float]:
    """wrk walking `paths` round-robin (bench/paths.lua), 2 threads, 32 connections."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt") as listed:
        listed.write("\n".join(paths) + "\n")
        listed.flush()
        out = subprocess.run(
            ["wrk", "-t2", "-c32", f"-d{duration}s", "--latency", "-s", str(PATHS_SCRIPT), base],
            capture_output=True,
            text=True,
            check=True,
            env=os.environ | {"WRK_PATHS": listed.name},
        ).stdout

    def latency(percent: str) -> float:
        match = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", out, re.MULTILINE)
        if not match:
            return float("nan")
        scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[match.group(2)]
        return round(float(match.group(1)) * scale, 2)

    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "requests_per_second": round(float(rate.group(1)) if rate else 0.0),
        "p50_ms": latency("50"),
        "p99_ms": latency("99"),
        "non_2xx": int(errors.group(1)) if errors else 0,
    }


@contextmanager
def serving(
    command: list[str], port: int, probe: str, env: dict[str, str]
) -> Iterator[tuple[str, int]]:
    """The server's base URL and process group (its workers are in it too)."""
    with servers.serving(command, port, os.environ | env, probe) as process:
        yield servers.local_url(port), process.pid


def _server(*command: str, port: int, workers: int) -> list[str]:
    return [*command, "--port", str(port), "--workers", str(workers), "--log-level", "warning"]


def sqlite_corpus(size: int) -> tuple[str, dict[str, Any]]:
    DATA.mkdir(exist_ok=True)
    database = DATA / f"bench-{size}.sqlite3"
    facts_file = database.with_suffix(".json")
    if not facts_file.exists():
        database.unlink(missing_ok=True)
        facts_file.write_text(json.dumps(generate(f"sqlite:///{database}", size)))
    return _migrated(f"sqlite:///{database}"), json.loads(facts_file.read_text())


def postgres_corpus(size: int) -> tuple[str, dict[str, Any]]:
    server = make_url(os.environ.get("TEST_DATABASE_URL") or POSTGRES)
    url = server.set(database=f"newsdb_bench_{size}").render_as_string(hide_password=False)
    facts_file = DATA / f"bench-pg-{size}.json"
    if not facts_file.exists():
        admin = create_engine(server, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS newsdb_bench_{size}"))
            connection.execute(text(f"CREATE DATABASE newsdb_bench_{size}"))
        admin.dispose()
        facts_file.write_text(json.dumps(generate(url, size)))
    return _migrated(url), json.loads(facts_file.read_text())


def _migrated(url: str) -> str:
    """A corpus written under an earlier revision, brought to this one's schema."""
    upgrade(url)
    return url


def load_newsdb(url: str, facts: dict[str, Any], workers: int) -> dict[str, dict[str, float]]:
    port = free_port()
    with serving(
        _server(str(BIN / "newsdb"), "serve", port=port, workers=workers),
        port,
        "/health",
        {"DATABASE_URL": url},
    ) as (base, _):
        asked = questions(int(facts["articles"]))
        return {name: wrk(base, newsdb) for name, (newsdb, _) in asked.items()}


def _on_postgres(size: int) -> bool:
    """BENCH_POSTGRES=1: every size on PostgreSQL too; BENCH_POSTGRES=10000,100000: those."""
    wanted = os.environ.get("BENCH_POSTGRES", "")
    return wanted == "1" or str(size) in wanted.split(",")


def run_size(size: int) -> dict[str, Any]:
    """Every request against newsdb (SQLite, 1 and 2 workers; PostgreSQL), the ceiling and
    Datasette on one corpus size: {"corpus", "ceiling", "requests": {name: {setup: run}}}."""
    url, facts = sqlite_corpus(size)
    results: dict[str, Any] = {"corpus": facts, "ceiling": {}, "requests": {}}
    runs: dict[str, dict[str, dict[str, float]]] = {}
    for workers in (1, 2):
        port = free_port()
        with serving(
            _server(str(BIN / "uvicorn"), "bench.hello:app", port=port, workers=workers),
            port,
            "/hello",
            {},
        ) as (base, _):
            results["ceiling"][f"{workers} worker"] = wrk(base, ["/hello"])
        runs[f"newsdb, {workers} worker"] = load_newsdb(url, facts, workers)
    if _on_postgres(size):
        pg_url, pg_facts = postgres_corpus(size)
        runs["newsdb on PostgreSQL, 2 worker"] = load_newsdb(pg_url, pg_facts, 2)
    runs["datasette"] = load_datasette(Path(url.removeprefix("sqlite:///")), facts)
    for setup, by_request in runs.items():
        for name, run in by_request.items():
            results["requests"].setdefault(name, {})[setup] = run
    return results


def load_datasette(database: Path, facts: dict[str, Any]) -> dict[str, dict[str, float]]:
    linked = DATA / "bench.sqlite3"  # Datasette names the database after the file
    linked.unlink(missing_ok=True)
    linked.symlink_to(database.name)
    _facet_view(database)
    port = free_port()
    command = [str(BIN / "datasette"), "serve", str(linked), "--port", str(port)]
    command += ["--metadata", str(ROOT / "bench" / "datasette.yaml")]
    with serving(command, port, "/-/versions.json", {}) as (base, _):
        asked = questions(int(facts["articles"]))
        return {name: wrk(base, theirs) for name, (_, theirs) in asked.items() if theirs}


def _facet_view(database: Path) -> None:
    """Datasette facets a table or a view: one row per (article, tag), filterable by the tag's
    slug, with the article's outlet to facet on."""
    engine = create_engine(f"sqlite:///{database}")
    with engine.begin() as connection:
        connection.execute(
            text(
                "CREATE VIEW IF NOT EXISTS tagged AS SELECT at.article_id, t.slug AS tag_slug, "
                "at.published_at, a.title, o.name AS outlet FROM article_tags at "
                "JOIN tags t ON t.id = at.tag_id JOIN articles a ON a.id = at.article_id "
                "LEFT JOIN outlets o ON o.id = a.outlet_id"
            )
        )
    engine.dispose()


def _rss_mb(group: int) -> float:
    """Resident memory of every process in a process group (the server and its workers)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) == group:  # pgrp, after the state and ppid
                found = re.search(r"VmRSS:\s+(\d+)", (stat.parent / "status").read_text())
                total += int(found.group(1)) if found else 0
        except (OSError, IndexError):
            continue  # the process went away while we looked
    return round(total / 1024, 1)


def sustained(size: int, seconds: int, every: int = 10) -> dict[str, Any]:
    """newsdb (SQLite, 2 workers) loaded for `seconds`, every request in turn, its memory
    sampled as it goes: a leak shows as a climb."""
    url, facts = sqlite_corpus(size)
    port = free_port()
    samples: list[float] = []
    served = 0
    with serving(
        _server(str(BIN / "newsdb"), "serve", port=port, workers=2),
        port,
        "/health",
        {"DATABASE_URL": url},
    ) as (base, group):
        started = time.monotonic()
        asked = list(questions(int(facts["articles"])).values())
        while time.monotonic() - started < seconds:
            samples.append(_rss_mb(group))
            paths, _ = asked[len(samples) % len(asked)]
            run = wrk(base, paths, duration=every)
            served += int(run["requests_per_second"] * every)
        samples.append(_rss_mb(group))
    return {
        "size": size,
        "seconds": seconds,
        "every_seconds": every,
        "requests": served,
        "rss_mb": samples,
    }
