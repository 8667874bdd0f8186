"""newsdb beside the stack's ceiling and Datasette, loaded with wrk on loopback.

`make bench` (BENCH_SIZES=10000,100000 for more; BENCH_SECONDS per run; BENCH_POSTGRES=1 to
also run newsdb on PostgreSQL from TEST_DATABASE_URL). Results go to bench/results/."""

import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from bench.corpus import generate
from bench.ingest import _free_port

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / ".data"
BIN = Path(sys.executable).parent
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))


def newsdb_requests(facts: dict[str, Any]) -> dict[str, str]:
    popular, second, rare = facts["popular_tag"], facts["second_tag"], facts["rare_tag"]
    return {
        "article detail": f"/v1/articles/{facts['middle_article']}",
        "newest 20, popular tag": f"/v1/articles?tag=topics:{popular}&total=false",
        "newest 20, rare tag": f"/v1/articles?tag=topics:{rare}&total=false",
        "two-tag AND": f"/v1/articles?tag=topics:{popular}&tag=topics:{second}&total=false",
        "tag + date range": f"/v1/articles?tag=topics:{popular}"
        "&published_after=2020-01-01&published_before=2020-12-31&total=false",
        "full-text search": f"/v1/articles?q={facts['rare_word']}&total=false",
        "list with facets": f"/v1/articles?tag=topics:{popular}&facets=topics,outlet&total=false",
        "timeline": f"/v1/taxonomies/topics/tags/{popular}/timeline?interval=month",
    }


def datasette_requests(facts: dict[str, Any]) -> dict[str, str]:
    return {
        "article detail": f"/bench/article.json?id={facts['middle_article']}&_shape=array",
        "newest 20, popular tag": f"/bench/tag_newest.json?tag={facts['popular_tag']}&_shape=array",
        "newest 20, rare tag": f"/bench/tag_newest.json?tag={facts['rare_tag']}&_shape=array",
        "full-text search": f"/bench/search.json?q={facts['rare_word']}&_shape=array",
    }


def wrk(url: str) -> dict[str, float]:
    out = subprocess.run(
        ["wrk", "-t2", "-c32", f"-d{SECONDS}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
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
def serving(command: list[str], port: int, probe: str, env: dict[str, str]) -> Iterator[str]:
    process = subprocess.Popen(
        command,
        env=os.environ | env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(base + probe, timeout=5).status_code < 500:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        yield base
    finally:
        os.killpg(process.pid, 15)
        process.wait(timeout=30)


def run_size(size: int) -> dict[str, Any]:
    DATA.mkdir(exist_ok=True)
    database = DATA / f"bench-{size}.sqlite3"
    facts_file = database.with_suffix(".json")
    if not facts_file.exists():
        database.unlink(missing_ok=True)
        facts_file.write_text(json.dumps(generate(f"sqlite:///{database}", size)))
    facts = json.loads(facts_file.read_text())
    results: dict[str, Any] = {"corpus": facts, "requests": {}}
    env = {"DATABASE_URL": f"sqlite:///{database}"}
    for workers in (1, 2):
        port = _free_port()
        with serving(
            [
                str(BIN / "uvicorn"),
                "bench.hello:app",
                "--port",
                str(port),
                "--workers",
                str(workers),
                "--log-level",
                "warning",
            ],
            port,
            "/hello",
            env,
        ) as base:
            results["requests"].setdefault("ceiling (bare FastAPI)", {})[f"{workers} worker"] = wrk(
                base + "/hello"
            )
        port = _free_port()
        with serving(
            [
                str(BIN / "newsdb"),
                "serve",
                "--port",
                str(port),
                "--workers",
                str(workers),
                "--log-level",
                "warning",
            ],
            port,
            "/health",
            env,
        ) as base:
            for name, path in newsdb_requests(facts).items():
                results["requests"].setdefault(name, {})[f"newsdb, {workers} worker"] = wrk(
                    base + path
                )
    if shutil.which(str(BIN / "datasette")) or (BIN / "datasette").exists():
        linked = DATA / "bench.sqlite3"  # Datasette names the database after the file
        linked.unlink(missing_ok=True)
        linked.symlink_to(database.name)
        port = _free_port()
        with serving(
            [
                str(BIN / "datasette"),
                "serve",
                str(linked),
                "--port",
                str(port),
                "--metadata",
                str(ROOT / "bench" / "datasette.yaml"),
            ],
            port,
            "/-/versions.json",
            {},
        ) as base:
            for name, path in datasette_requests(facts).items():
                results["requests"][name]["datasette"] = wrk(base + path)
    return results


def _cell(run: dict[str, Any] | None) -> str:
    if run is None:
        return "–"
    if not run["requests_per_second"]:
        return "timed out" if not run["non_2xx"] else f"errors ({run['non_2xx']})"
    errors = f" ({run['non_2xx']} errors)" if run["non_2xx"] else ""
    return f"{run['requests_per_second']:,}{errors}"


def _ratio(mine: dict[str, Any], other: dict[str, Any] | None, digits: int = 1) -> str:
    if not other or not other["requests_per_second"] or not mine["requests_per_second"]:
        return "–"
    return f"{mine['requests_per_second'] / other['requests_per_second']:.{digits}f}×"


def markdown(size: int, results: dict[str, Any]) -> str:
    ceiling_run = results["requests"]["ceiling (bare FastAPI)"]["2 worker"]
    lines = [
        f"### {size:,} articles",
        "",
        "| request | newsdb 1w | newsdb 2w | p50 / p99 ms (2w) | ÷ ceiling | Datasette "
        "| newsdb 2w ÷ Datasette |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, runs in results["requests"].items():
        if name.startswith("ceiling"):
            continue
        two = runs["newsdb, 2 worker"]
        latency = f"{two['p50_ms']} / {two['p99_ms']}" if two["requests_per_second"] else "–"
        lines.append(
            f"| {name} | {_cell(runs['newsdb, 1 worker'])} | {_cell(two)} | {latency} | "
            f"{_ratio(two, ceiling_run, 3)} | {_cell(runs.get('datasette'))} | "
            f"{_ratio(two, runs.get('datasette'))} |"
        )
    lines.append(
        f"\nCeiling (bare FastAPI, 2 workers): {ceiling_run['requests_per_second']:,} requests/s."
        " A run that completed no request within wrk's 2 s timeout shows as timed out.\n"
    )
    return "\n".join(lines)


def main() -> None:
    sizes = [int(size) for size in os.environ.get("BENCH_SIZES", "10000").split(",")]
    stamp = f"{datetime.now(UTC):%Y-%m-%d}-{platform.node()}"
    report = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "wrk": f"-t2 -c32 -d{SECONDS}s",
        "sizes": {},
    }
    tables = []
    for size in sizes:
        report["sizes"][str(size)] = run_size(size)
        tables.append(markdown(size, report["sizes"][str(size)]))
    out = ROOT / "bench" / "results"
    (out / f"http-{stamp}.json").write_text(json.dumps(report, indent=2) + "\n")
    (out / f"http-{stamp}.md").write_text("\n".join(tables))
    print("\n".join(tables))


if __name__ == "__main__":
    main()
