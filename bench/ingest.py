"""Ingest speed: the pipeline's parse rate on one core, single raw ingests through HTTP
(median latency, SQLite, warm), and structured batch ingest through HTTP (articles/s, SQLite and
PostgreSQL). Part of `make bench`; `python -m bench.ingest` alone."""

import gzip
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import OperationalError

from app.ingest.pipeline import KnownNames, parse_article
from app.ingest.pipeline.from_html import parse_html
from bench import corpus
from tests import servers
from tests.servers import free_port

ROOT = Path(__file__).resolve().parent.parent
RAW = (ROOT / "tests/fixtures/jpost-iran-proxies.raw.txt").read_text(encoding="utf-8")
CORPUS = sorted((ROOT / "tests/ingest/pipeline/corpus").glob("*.txt"))
PAGES = sorted((ROOT / "tests/ingest/pipeline/html/pages").glob("*.html.gz"))
PAGE_TEXTS = sorted((ROOT / "tests/ingest/pipeline/page_text").glob("*.txt"))
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
BENCH_DATABASE = "newsdb_bench_ingest"


def parse_rate(
    texts: list[str], vocabulary: KnownNames | None = None, seconds: float = 3.0
) -> float:
    return rate(lambda scrape: parse_article(scrape, vocabulary), texts, seconds)


def rate(parse: Callable[[str], object], inputs: list[str], seconds: float = 3.0) -> float:
    """Inputs parsed per second on one core, going round the inputs for `seconds`."""
    parsed, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        for one in inputs:
            parse(one)
        parsed += len(inputs)
    return parsed / (time.perf_counter() - started)


def front_door_rates() -> dict[str, Any]:
    """Pages (the saved real pages under tests/) through each front door, on one core."""
    pages = [gzip.decompress(path.read_bytes()).decode() for path in PAGES]
    texts = [path.read_text(encoding="utf-8") for path in PAGE_TEXTS]
    return {
        f"html pages ({len(pages)} saved real pages)": round(
            rate(lambda page: parse_html(page, None), pages), 1
        ),
        f"whole-page text ({len(texts)} saved real pages)": round(rate(parse_article, texts), 1),
    }


def corpus_vocabulary() -> KnownNames:
    """The bench corpus's 5,500 tag names: a publisher's whole vocabulary handed to
    parse_article (the ingest service hands it only the names its tag lines could hold)."""
    return KnownNames(
        tags={
            name: [f"{name} {number}" for number in range(1, count + 1)]
            for name, count in corpus.TAXONOMIES.items()
        }
    )


@contextmanager
def _server(database_url: str) -> Iterator[httpx.Client]:
    """`newsdb serve` (one worker) on a migrated database, and a client with an ingest key."""
    newsdb = str(Path(sys.executable).parent / "newsdb")
    env = os.environ | {"DATABASE_URL": database_url}
    subprocess.run([newsdb, "migrate"], env=env, check=True, capture_output=True)
    created = subprocess.run(
        [newsdb, "keys", "create", "bench"], env=env, check=True, capture_output=True, text=True
    )
    key = created.stdout.strip().splitlines()[-1]
    port = free_port()
    serve = [newsdb, "serve", "--port", str(port), "--log-level", "warning"]
    with (
        servers.serving(serve, port, env, stdout=None, stderr=None),
        httpx.Client(
            base_url=servers.local_url(port),
            headers={"Authorization": f"Bearer {key}"},
            timeout=120,
        ) as http,
    ):
        yield http


def _latency(path: str, payloads: list[dict[str, Any]], warm_up: int = 20) -> dict[str, float]:
    """Median and p99 of one POST at a time, each payload once, after a warm-up."""
    with tempfile.TemporaryDirectory() as folder, _server(f"sqlite:///{folder}/b.sqlite3") as http:
        timings = []
        for payload in payloads:
            started = time.perf_counter()
            response = http.post(path, json=payload)
            timings.append((time.perf_counter() - started) * 1000)
            response.raise_for_status()
    warm = sorted(timings[warm_up:])
    return {
        "median_ms": round(statistics.median(warm), 2),
        "p99_ms": round(warm[int(len(warm) * 0.99)], 2),
    }


def single_ingests(requests: int = 300) -> dict[str, dict[str, float]]:
    raw = [
        {
            "text": RAW.replace("Iranian militias", f"Militias {number}"),
            "url": f"https://example.com/article-{number}",
        }
        for number in range(requests)
    ]
    return {
        "single_raw_ingest_http_sqlite": _latency("/v1/ingest", raw),
        "single_structured_ingest_http_sqlite": _latency(
            "/v1/articles", structured_articles(requests)
        ),
    }


def structured_articles(count: int, seed: int = 11) -> list[dict[str, Any]]:
    """What a scraper would send for the bench corpus's articles: ~600 words, ~8 tags from two
    taxonomies, one or two authors, 200 outlets."""
    rng = random.Random(seed)
    words = corpus.vocabulary(rng)
    tag_ids, weights = corpus.tag_pool()
    return [
        {
            "url": f"https://example.com/{spec.number}",
            "title": spec.title,
            "body": spec.body,
            "published_at": spec.published.isoformat(timespec="seconds"),
            "outlet": f"Outlet {spec.outlet}",
            "authors": [f"Author {author}" for author in spec.authors],
            "tags": {
                name: [corpus.tag_name(name, tag) for tag in tags]
                for name, tags in spec.tags.items()
            },
        }
        for spec in corpus.specs(rng, words, tag_ids, weights, range(1, count + 1))
    ]


def batch_ingest(database_url: str, articles: int, batch_size: int) -> float:
    """Articles per second through POST /v1/articles/batch into an empty database, every
    article new (outlets, authors and tags are created by the first batches)."""
    payloads = structured_articles(articles)
    bodies = [
        json.dumps(payloads[start : start + batch_size]).encode()
        for start in range(0, articles, batch_size)
    ]
    with _server(database_url) as http:
        started = time.perf_counter()
        for body in bodies:
            response = http.post(
                "/v1/articles/batch", content=body, headers={"Content-Type": "application/json"}
            )
            response.raise_for_status()
            if response.json()["created"] != len(json.loads(body)):
                raise RuntimeError(f"batch not stored whole: {response.text[:500]}")
        return articles / (time.perf_counter() - started)


@contextmanager
def _postgres_database() -> Iterator[str | None]:
    """A fresh database on the bench's PostgreSQL server, or None when there is none."""
    server = make_url(os.environ.get("TEST_DATABASE_URL") or DEFAULT_POSTGRES)
    admin = create_engine(server, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
    try:
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)"))
            connection.execute(text(f"CREATE DATABASE {BENCH_DATABASE}"))
    except OperationalError:
        admin.dispose()
        yield None
        return
    try:
        yield server.set(database=BENCH_DATABASE).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)"))
        admin.dispose()


def batch_rates(articles: int = 5_000, batch_size: int = 500) -> dict[str, Any]:
    rates: dict[str, Any] = {"articles, batch size": f"{articles:,} in batches of {batch_size}"}
    with tempfile.TemporaryDirectory() as folder:
        rate = batch_ingest(f"sqlite:///{folder}/b.sqlite3", articles, batch_size)
        rates["sqlite_articles_per_second"] = round(rate)
    with _postgres_database() as url:
        rates["postgresql_articles_per_second"] = (
            round(batch_ingest(url, articles, batch_size))
            if url
            else "skipped: no PostgreSQL server (set TEST_DATABASE_URL)"
        )
    return rates


def measure() -> dict[str, Any]:
    return {
        "pipeline_articles_per_second_one_core": {
            "fixture (long, two run-together tag lines)": round(parse_rate([RAW])),
            "fixture, with the corpus's 5,500 tag names as vocabulary": round(
                parse_rate([RAW], corpus_vocabulary())
            ),
            "fixture and test corpus, mixed": round(
                parse_rate([RAW, *(path.read_text(encoding="utf-8") for path in CORPUS)])
            ),
        },
        "front_doors_pages_per_second_one_core": front_door_rates(),
        **single_ingests(),
        "structured_batch_ingest_http": batch_rates(),
    }


if __name__ == "__main__":
    print(json.dumps(measure(), indent=2))
