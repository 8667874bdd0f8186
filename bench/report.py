"""The markdown report: a table per corpus size, the growth from the smallest size to the
largest, ingest rates and memory under sustained load."""

from typing import Any

SQLITE_2W, POSTGRES_2W = "newsdb, 2 worker", "newsdb on PostgreSQL, 2 worker"


def _cell(run: dict[str, Any] | None) -> str:
    if run is None:
        return "–"
    if not run["requests_per_second"]:
        return "timed out" if not run["non_2xx"] else f"errors ({run['non_2xx']})"
    errors = f" ({run['non_2xx']} errors)" if run["non_2xx"] else ""
    return f"{run['requests_per_second']:,}{errors}"


def _ratio(mine: dict[str, Any] | None, other: dict[str, Any] | None, digits: int = 1) -> str:
    if not mine or not other or not other["requests_per_second"] or not mine["requests_per_second"]:
        return "–"
    return f"{mine['requests_per_second'] / other['requests_per_second']:.{digits}f}×"


def _latency(run: dict[str, Any] | None) -> str:
    return f"{run['p50_ms']} / {run['p99_ms']}" if run and run["requests_per_second"] else "–"


def size_table(size: int, results: dict[str, Any]) -> str:
    ceiling = results["ceiling"]["2 worker"]
    lines = [
        f"### {size:,} articles",
        "",
        "| request | newsdb 1w | newsdb 2w | p50 / p99 ms (2w) | ÷ ceiling | PostgreSQL 2w "
        "| p50 / p99 ms (PG) | Datasette | newsdb 2w ÷ Datasette |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, runs in results["requests"].items():
        two, postgres = runs.get(SQLITE_2W), runs.get(POSTGRES_2W)
        lines.append(
            f"| {name} | {_cell(runs.get('newsdb, 1 worker'))} | {_cell(two)} | {_latency(two)} "
            f"| {_ratio(two, ceiling, 2)} | {_cell(postgres)} | {_latency(postgres)} "
            f"| {_cell(runs.get('datasette'))} | {_ratio(two, runs.get('datasette'))} |"
        )
    lines.append(
        f"\nCeiling (bare FastAPI under the same server): "
        f"{results['ceiling']['1 worker']['requests_per_second']:,} requests/s on 1 worker, "
        f"{ceiling['requests_per_second']:,} on 2. A run that completed no request within wrk's "
        "2 s timeout shows as timed out.\n"
    )
    return "\n".join(lines)


def growth_table(sizes: dict[str, Any]) -> str:
    """p50 (2 workers) on the largest corpus over the smallest, per engine."""
    if len(sizes) < 2:
        return ""
    small, large = min(sizes, key=int), max(sizes, key=int)
    lines = [
        f"### Growth from {int(small):,} to {int(large):,} articles (p50, 2 workers)",
        "",
        "| request | SQLite | × | PostgreSQL | × |",
        "|---|---|---|---|---|",
    ]
    for name in sizes[large]["requests"]:
        cells = []
        for setup in (SQLITE_2W, POSTGRES_2W):
            before = sizes[small]["requests"].get(name, {}).get(setup)
            after = sizes[large]["requests"].get(name, {}).get(setup)
            if not before or not after or not before["p50_ms"] or not after["requests_per_second"]:
                cells += ["–", "–"]
                continue
            cells += [
                f"{before['p50_ms']} → {after['p50_ms']} ms",
                f"{after['p50_ms'] / before['p50_ms']:.1f}×",
            ]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def ingest_section(ingest: dict[str, Any]) -> str:
    lines = ["### Ingest", "", "| measure | value |", "|---|---|"]
    for group, values in ingest.items():
        if isinstance(values, dict):
            lines += [f"| {group}: {name} | {_figure(value)} |" for name, value in values.items()]
    return "\n".join(lines) + "\n"


def _figure(value: Any) -> str:
    # A figure with thousands separators; a note (a skipped run) as it is.
    return f"{value:,}" if isinstance(value, int | float) else str(value)


def memory_section(sustained: dict[str, Any]) -> str:
    samples = sustained["rss_mb"]
    return (
        f"### Memory under sustained load\n\n{sustained['seconds']} s of wrk against every "
        f"request in turn ({sustained['size']:,} articles, SQLite, 2 workers): the workers' "
        f"resident memory went {samples[0]} → {samples[-1]} MB (peak {max(samples)} MB, sampled "
        f"every {sustained['every_seconds']} s; {sustained['requests']:,} requests).\n"
    )


def replica_section(replica: dict[str, Any]) -> str:
    writes = replica["writes"]
    lines = [
        f"### Reads from a streaming replica ({replica['size']:,} articles, PostgreSQL, 2 workers)",
        "",
        "| request | reading the primary | reading the replica |",
        "|---|---|---|",
        *(
            f"| {name} | {_cell(run)} | {_cell(replica['replica'][name])} |"
            for name, run in replica["primary"].items()
        ),
        "",
        f"{writes['writes']} writes, each read back at once: "
        f"{writes['read_at_once_without_position_stale']} reads without `Newsdb-Min-LSN` found "
        f"the replica behind; {writes['read_at_once_with_position_missing']} with it missed the "
        f"write. A write showed on the replica after {writes['visible_on_replica_ms_median']} ms "
        f"(median; at most {writes['visible_on_replica_ms_max']} ms).",
    ]
    return "\n".join(lines) + "\n"
