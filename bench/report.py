"""The markdown report: ingest rates, a table per corpus size, the growth from the smallest
size to the largest, the targets met and missed, reads from a replica and memory under
sustained load.
`python -m bench.report results/<file>.json` writes the markdown again from a run's JSON."""

import json
import sys
from pathlib import Path
from typing import Any

from bench.targets import POSTGRES_2W, SQLITE_2W, size_span, targets_section


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
    if other["non_2xx"]:  # a run that answered errors is no measure to compare with
        return "–"
    return f"{mine['requests_per_second'] / other['requests_per_second']:.{digits}f}×"


def _latency(run: dict[str, Any] | None) -> str:
    # wrk reports no latencies when every request timed out.
    return f"{run['p50_ms']} / {run['p99_ms']}" if run and run["p50_ms"] else "–"


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
    spans = {setup: size_span(sizes, setup) for setup in (SQLITE_2W, POSTGRES_2W)}
    if not any(spans.values()):
        return ""
    heads = [
        f"{engine} {int(span[0]):,} → {int(span[1]):,} | ×" if span else f"{engine} | ×"
        for engine, span in zip(("SQLite", "PostgreSQL"), spans.values(), strict=True)
    ]
    lines = [
        "### Growth with the corpus (p50, 2 workers)",
        "",
        f"| request | {' | '.join(heads)} |",
        "|---|---|---|---|---|",
    ]
    for name in sizes[max(sizes, key=int)]["requests"]:
        cells = []
        for setup, span in spans.items():
            before = sizes[span[0]]["requests"].get(name, {}).get(setup) if span else None
            after = sizes[span[1]]["requests"].get(name, {}).get(setup) if span else None
            if not before or not after or not before["p50_ms"] or not after["p50_ms"]:
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
    warm = len(samples) // 5
    return (
        f"### Memory under sustained load\n\n{sustained['seconds']} s of wrk against every "
        f"request in turn ({sustained['size']:,} articles, SQLite, 2 workers; "
        f"{sustained['requests']:,} requests): the workers' resident memory went {samples[0]} → "
        f"{samples[-1]} MB, sampled every {sustained['every_seconds']} s. After a warm-up of "
        f"{warm * sustained['every_seconds']} s (caches fill as each request first runs): "
        f"{samples[warm]} → {samples[-1]} MB (peak {max(samples[warm:])} MB).\n"
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


def render(results: dict[str, Any]) -> str:
    sizes = results["sizes"]
    sections = [
        f"## {results['date']}, {results['machine']}, wrk {results['wrk']}\n",
        ingest_section(results["ingest"]),
        *(size_table(int(size), runs) for size, runs in sizes.items()),
        growth_table(sizes),
        targets_section(results),
        replica_section(results["replica"]) if "replica" in results else "",
        memory_section(results["sustained"]) if "sustained" in results else "",
    ]
    return "\n".join(section for section in sections if section)


if __name__ == "__main__":
    source = Path(sys.argv[1])
    source.with_suffix(".md").write_text(render(json.loads(source.read_text())))
