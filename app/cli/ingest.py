"""`newsdb ingest` and `newsdb reparse`: bulk work with a progress bar and a closing summary."""

import argparse
import asyncio
import gzip
import json
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from trafilatura.utils import decode_file

from app.articles.batch_results import failed
from app.config import Settings
from app.db.engines import open_database
from app.ingest.service import scraped_article_ids
from app.ingest.units import ingest_item, reparse_one

INGESTIBLE = {".txt", ".json", ".ndjson", ".jsonl"}
PAGES = (".html", ".htm", ".html.gz", ".htm.gz")
console = Console(stderr=True)


def _files(paths: list[str]) -> Iterator[Path]:
    for name in paths:
        path = Path(name)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if _ingestible(p))
        else:
            yield path


def _ingestible(path: Path) -> bool:
    if path.name.lower().endswith(PAGES):
        return True
    return path.suffix.lower() in INGESTIBLE


def _items(path: Path) -> Iterator[tuple[str, Any]]:
    """(label, raw item) for every item in a file; a file that can't be read is one failure."""
    try:
        if path.name.lower().endswith(PAGES):
            data = path.read_bytes()
            if path.suffix.lower() == ".gz":
                data = gzip.decompress(data)
            # Pages come in any encoding; decode_file sniffs it from the bytes and the page.
            yield str(path), {"html": decode_file(data)}
            return
        text = path.read_text(encoding="utf-8")
        if path.suffix.lower() == ".txt":
            yield str(path), {"text": text}
        elif path.suffix.lower() in {".ndjson", ".jsonl"}:
            for number, line in enumerate(text.splitlines(), 1):
                if line.strip():
                    yield f"{path}:{number}", json.loads(line)
        else:
            loaded = json.loads(text)
            for index, item in enumerate(loaded if isinstance(loaded, list) else [loaded]):
                yield f"{path}[{index}]", item
    except (OSError, EOFError, zlib.error, UnicodeDecodeError, ValueError) as error:
        yield str(path), error


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
    )


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    items = [item for path in _files(args.paths) for item in _items(path)]

    async def run() -> list[tuple[str, dict[str, Any]]]:
        results = []
        async with open_database(settings) as database:
            with _progress() as progress:
                task = progress.add_task("ingesting", total=len(items))
                for index, (label, raw) in enumerate(items):
                    if isinstance(raw, Exception):
                        result = failed(index, "unreadable_file", str(raw))
                    else:
                        result = await ingest_item(database, index, raw)
                    results.append((label, result))
                    progress.advance(task)
        return results

    results = asyncio.run(run())
    counts = {
        s: sum(r["status"] == s for _, r in results) for s in ("created", "existing", "error")
    }
    print(f"{counts['created']} created, {counts['existing']} existing, {counts['error']} failed")
    for label, result in results:
        if result["status"] == "error":
            print(f"  failed: {label}: {result['error']['code']}: {result['error']['detail']}")
    return 1 if counts["error"] else 0


def cmd_reparse(args: argparse.Namespace, settings: Settings) -> int:
    if not args.all and not args.ids:
        print("newsdb: name article ids, or --all")
        return 2

    async def run() -> list[dict[str, Any]]:
        async with open_database(settings) as database:
            if args.ids:
                ids = args.ids
            else:
                async with database.read() as connection:
                    ids = await scraped_article_ids(connection)
            reports = []
            with _progress() as progress:
                task = progress.add_task("reparsing", total=len(ids))
                for article_id in ids:
                    reports.append(await reparse_one(database, article_id))
                    progress.advance(task)
            return reports

    reports = asyncio.run(run())
    changed = [r for r in reports if r["changed"]]
    for report in reports:
        if report.get("failed"):
            print(f"  article {report['id']}: failed, {report['failed']}")
        elif report.get("skipped"):
            print(f"  article {report['id']}: skipped, {report['skipped']}")
        elif report["changed"]:
            print(f"  article {report['id']}: changed {', '.join(report['changed'])}")
    failed = sum(bool(report.get("failed")) for report in reports)
    skipped = sum(bool(report.get("skipped")) for report in reports)
    reparsed = len(reports) - failed - skipped
    print(f"{reparsed} reparsed, {len(changed)} changed, {failed} failed")
    return 1 if failed else 0


def add_commands(commands: Any) -> None:
    ingest = commands.add_parser(
        "ingest",
        help="ingest .txt scrapes, .html/.htm/.html.gz pages and .json/.ndjson ingest items "
        "(files or folders)",
    )
    ingest.add_argument("paths", nargs="+")
    ingest.set_defaults(handler=cmd_ingest)
    reparse = commands.add_parser(
        "reparse", help="re-run today's pipeline over stored scrapes and pages and update articles"
    )
    reparse.add_argument("ids", nargs="*", type=int)
    reparse.add_argument("--all", action="store_true")
    reparse.set_defaults(handler=cmd_reparse)
