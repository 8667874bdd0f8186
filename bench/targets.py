"""Issue 14's targets against a run's results: each met or missed, and by how much."""

from typing import Any

SQLITE_2W, POSTGRES_2W = "newsdb, 2 worker", "newsdb on PostgreSQL, 2 worker"


def size_span(sizes: dict[str, Any], setup: str) -> tuple[str, str] | None:
    """The smallest and largest corpus sizes run on this setup."""
    having = sorted(
        (
            size
            for size, results in sizes.items()
            if any(setup in r for r in results["requests"].values())
        ),
        key=int,
    )
    return (having[0], having[-1]) if len(having) > 1 else None


# Issue 14's targets: the questions a frontend's topic pages ask, and the ones that count.
LISTINGS = (
    "topic, newest 20",
    "topic + dates",
    "two topics",
    "topic without another",
    "rare topic",
)
COUNTING = ("topic + outlet facet", "topic + facets (topics, outlet)", "timeline")
Row = tuple[str, str, bool]


def _worst(values: dict[str, float], highest: bool = False) -> tuple[str, float]:
    name = (max if highest else min)(values, key=lambda key: values[key])
    return name, values[name]


def _beside_datasette(size: str, requests: dict[str, Any]) -> Row | None:
    ratios = {
        name: runs[SQLITE_2W]["requests_per_second"] / runs["datasette"]["requests_per_second"]
        for name, runs in requests.items()
        if name in ("article detail", *LISTINGS, *COUNTING)
        and runs.get(SQLITE_2W)
        and runs.get("datasette")
        and runs["datasette"]["requests_per_second"]
        and not runs["datasette"]["non_2xx"]  # errors answered fast are no measure
    }
    if not ratios:
        return None
    name, ratio = _worst(ratios)
    return f"≥ 2× Datasette, {int(size):,}", f"lowest {ratio:.1f}× ({name})", ratio >= 2


def _tails(size: str, requests: dict[str, Any]) -> list[Row]:
    rows = []
    for names, limit in ((("article detail", *LISTINGS), 50), (COUNTING, 100)):
        tails = {
            name: requests[name][SQLITE_2W]["p99_ms"]
            for name in names
            if requests.get(name, {}).get(SQLITE_2W, {}).get("p99_ms")
        }
        if tails:
            name, p99 = _worst(tails, highest=True)
            what = "listings and detail" if limit == 50 else "facets and timelines"
            rows.append(
                (
                    f"p99 < {limit} ms, {what}, {int(size):,}",
                    f"worst {p99} ms ({name})",
                    p99 < limit,
                )
            )
    return rows


def _small(size: str, results: dict[str, Any]) -> list[Row]:
    ceiling = results["ceiling"]["2 worker"]["requests_per_second"]
    rows = []
    for name, share in (("topic, newest 20", 0.3), ("article detail", 0.5)):
        run = results["requests"].get(name, {}).get(SQLITE_2W)
        if run and ceiling:
            got = run["requests_per_second"] / ceiling
            rows.append(
                (f"{name} ≥ {share:.0%} of the ceiling, {int(size):,}", f"{got:.0%}", got >= share)
            )
    return rows


def _growth(sizes: dict[str, Any]) -> Row | None:
    span = size_span(sizes, SQLITE_2W)
    if not span:
        return None
    first, last = (sizes[size]["requests"] for size in span)
    growth = {
        name: last[name][SQLITE_2W]["p50_ms"] / first[name][SQLITE_2W]["p50_ms"]
        for name in last
        if first.get(name, {}).get(SQLITE_2W, {}).get("p50_ms") and last[name][SQLITE_2W]["p50_ms"]
    }
    name, most = _worst(growth, highest=True)
    sizes_text = f"{int(span[0]):,} → {int(span[1]):,}"
    return f"p50 grows < 2×, {sizes_text}", f"most {most:.1f}× ({name})", most < 2


def _postgres(size: str, requests: dict[str, Any]) -> Row | None:
    slower = {
        name: runs[SQLITE_2W]["requests_per_second"] / runs[POSTGRES_2W]["requests_per_second"]
        for name, runs in requests.items()
        if name in ("article detail", *LISTINGS)
        and runs.get(POSTGRES_2W)
        and runs[POSTGRES_2W]["requests_per_second"]
        and runs.get(SQLITE_2W)
    }
    if not slower:
        return None
    name, most = _worst(slower, highest=True)
    return (
        f"PostgreSQL within 2× of SQLite, {int(size):,}",
        f"at most {most:.1f}× slower ({name})",
        most <= 2,
    )


def _batch_ingest(ingest: dict[str, Any]) -> Row | None:
    batch = ingest.get("structured_batch_ingest_http", {})
    sqlite, postgres = (
        batch.get("sqlite_articles_per_second"),
        batch.get("postgresql_articles_per_second"),
    )
    if not isinstance(sqlite, int | float) or not isinstance(postgres, int | float):
        return None
    return (
        "batch ingest on PostgreSQL ≥ SQLite",
        f"{postgres:,} vs {sqlite:,} articles/s",
        postgres >= sqlite,
    )


def targets_section(results: dict[str, Any]) -> str:
    """Each target against this run: met or missed, and by how much."""
    sizes = results["sizes"]
    rows: list[Row | None] = []
    for size, by_size in sorted(sizes.items(), key=lambda item: int(item[0])):
        rows += [_beside_datasette(size, by_size["requests"]), *_tails(size, by_size["requests"])]
        rows.append(_postgres(size, by_size["requests"]))
    smallest = min(sizes, key=int)
    rows += [
        *_small(smallest, sizes[smallest]),
        _growth(sizes),
        _batch_ingest(results.get("ingest", {})),
    ]
    lines = ["### Targets (issue 14)", "", "| target | this run | |", "|---|---|---|"]
    lines += [
        f"| {target} | {value} | {'met' if met else 'missed'} |"
        for target, value, met in filter(None, rows)
    ]
    return "\n".join(lines) + "\n"
