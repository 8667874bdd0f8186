"""`make bench` states each of issue 14's targets as met or missed from the run's numbers."""

from typing import Any

from bench.targets import POSTGRES_2W, SQLITE_2W, targets_section


def run(rps: float, p50: float = 10.0, p99: float = 20.0) -> dict[str, float]:
    return {"requests_per_second": rps, "p50_ms": p50, "p99_ms": p99, "non_2xx": 0}


def size(scale: float, datasette: float) -> dict[str, Any]:
    return {
        "ceiling": {"2 worker": run(20_000)},
        "requests": {
            "article detail": {
                SQLITE_2W: run(12_000, p50=5 * scale),
                POSTGRES_2W: run(5_000),
                "datasette": run(3_000),
            },
            "topic, newest 20": {
                SQLITE_2W: run(5_000, p50=10 * scale, p99=60),
                POSTGRES_2W: run(2_000),
                "datasette": run(datasette),
            },
            "timeline": {SQLITE_2W: run(900, p50=20 * scale, p99=90)},
            # Datasette answering errors fast is left out of the comparison.
            "topic + outlet facet": {
                SQLITE_2W: run(500),
                "datasette": run(10_000) | {"non_2xx": 6},
            },
        },
    }


def test_each_target_is_met_or_missed_by_the_numbers() -> None:
    report = targets_section(
        {
            "sizes": {"10000": size(1, 2_000), "1000000": size(3, 3_000)},
            "ingest": {
                "structured_batch_ingest_http": {
                    "sqlite_articles_per_second": 400,
                    "postgresql_articles_per_second": 500,
                }
            },
        }
    )
    rows = {line.split(" | ")[0].lstrip("| "): line for line in report.splitlines()[4:]}
    assert rows["≥ 2× Datasette, 10,000"].endswith("| lowest 2.5× (topic, newest 20) | met |")
    assert rows["≥ 2× Datasette, 1,000,000"].endswith("| lowest 1.7× (topic, newest 20) | missed |")
    assert rows["p99 < 50 ms, listings and detail, 10,000"].endswith(
        "60 ms (topic, newest 20) | missed |"
    )
    assert rows["p99 < 100 ms, facets and timelines, 10,000"].endswith(
        "| worst 90 ms (timeline) | met |"
    )
    assert rows["PostgreSQL within 2× of SQLite, 10,000"].endswith(
        "2.5× slower (topic, newest 20) | missed |"
    )
    assert rows["topic, newest 20 ≥ 30% of the ceiling, 10,000"].endswith("| 25% | missed |")
    assert rows["article detail ≥ 50% of the ceiling, 10,000"].endswith("| 60% | met |")
    assert rows["p50 grows < 2×, 10,000 → 1,000,000"].endswith(
        "| most 3.0× (article detail) | missed |"
    )
    assert rows["batch ingest on PostgreSQL ≥ SQLite"].endswith("| 500 vs 400 articles/s | met |")
