"""`make bench`: ingest rates, then newsdb beside the ceiling and Datasette for each corpus size,
then memory under sustained load; one JSON and one markdown report in bench/results/.

BENCH_SIZES (10000), BENCH_SECONDS per wrk run (5), BENCH_POSTGRES (1 for every size, or a
list of sizes) for PostgreSQL runs, BENCH_SUSTAIN_SECONDS (600; 0 skips it), BENCH_REPLICA_URL
(a hot standby of the PostgreSQL server; unset skips the replica run)."""

import json
import os
import platform
from datetime import UTC, datetime
from pathlib import Path

from bench import http, ingest, replica, report

RESULTS = Path(__file__).resolve().parent / "results"


def main() -> None:
    sizes = [int(size) for size in os.environ.get("BENCH_SIZES", "10000").split(",")]
    sustain = int(os.environ.get("BENCH_SUSTAIN_SECONDS", "600"))
    stamp = f"{datetime.now(UTC):%Y-%m-%d}-{platform.node()}"
    results: dict[str, object] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "wrk": f"-t2 -c32 -d{http.SECONDS}s",
    }
    results["ingest"] = rates = ingest.measure()
    print(report.ingest_section(rates), flush=True)
    by_size = {}
    for size in sizes:
        by_size[str(size)] = http.run_size(size)
        print(report.size_table(size, by_size[str(size)]), flush=True)
    results["sizes"] = by_size
    if replica_server := os.environ.get("BENCH_REPLICA_URL"):
        results["replica"] = replica.measure(replica_server, min(sizes))
    if sustain:
        results["sustained"] = http.sustained(min(sizes), sustain)
    (RESULTS / f"{stamp}.json").write_text(json.dumps(results, indent=2) + "\n")
    (RESULTS / f"{stamp}.md").write_text(markdown := report.render(results))
    print(markdown)


if __name__ == "__main__":
    main()
