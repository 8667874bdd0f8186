"""Ingest speed: the pipeline's parse rate on one core, and single raw ingests through HTTP
(median latency, SQLite, warm). Part of `make bench`; `python -m bench.ingest` alone."""

import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from app.ingest import parse_article

ROOT = Path(__file__).resolve().parent.parent
RAW = (ROOT / "tests/fixtures/jpost-iran-proxies.raw.txt").read_text(encoding="utf-8")
CORPUS = sorted((ROOT / "tests/ingest/corpus").glob("*.txt"))


def parse_rate(texts: list[str], seconds: float = 3.0) -> float:
    parsed, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        for text in texts:
            parse_article(text)
        parsed += len(texts)
    return parsed / (time.perf_counter() - started)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def http_ingest(requests: int = 300) -> dict[str, float]:
    newsdb = str(Path(sys.executable).parent / "newsdb")
    with tempfile.TemporaryDirectory() as folder:
        env = os.environ | {"DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3"}
        subprocess.run([newsdb, "migrate"], env=env, check=True, capture_output=True)
        key = (
            subprocess.run(
                [newsdb, "keys", "create", "bench"],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        port = _free_port()
        server = subprocess.Popen(
            [newsdb, "serve", "--port", str(port), "--log-level", "warning"], env=env
        )
        base = f"http://127.0.0.1:{port}"
        try:
            with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {key}"}) as http:
                for _ in range(100):
                    try:
                        http.get("/health")
                        break
                    except httpx.TransportError:
                        time.sleep(0.1)
                timings = []
                for number in range(requests):
                    payload = {
                        "text": RAW.replace("Iranian militias", f"Militias {number}"),
                        "url": f"https://example.com/article-{number}",
                    }
                    started = time.perf_counter()
                    response = http.post("/v1/ingest", json=payload)
                    timings.append((time.perf_counter() - started) * 1000)
                    response.raise_for_status()
        finally:
            server.terminate()
            server.wait()
    warm = timings[20:]
    return {"median_ms": statistics.median(warm), "p99_ms": sorted(warm)[int(len(warm) * 0.99)]}


def measure() -> dict[str, Any]:
    return {
        "pipeline_articles_per_second_one_core": {
            "fixture (long, two run-together tag lines)": round(parse_rate([RAW])),
            "fixture and test corpus, mixed": round(
                parse_rate([RAW, *(path.read_text(encoding="utf-8") for path in CORPUS)])
            ),
        },
        "single_raw_ingest_http_sqlite": {k: round(v, 2) for k, v in http_ingest().items()},
    }


if __name__ == "__main__":
    print(json.dumps(measure(), indent=2))
