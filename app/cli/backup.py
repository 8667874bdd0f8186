"""`newsdb export` and `newsdb import`: the backup story (see README, Backups)."""

import argparse
import sys
from functools import partial
from typing import Any

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn
from sqlalchemy import Connection, func, select

from app.config import Settings
from app.db.backup import export_lines, import_lines
from app.db.engines import make_sync_engine
from app.db.models import Base
from app.db.transactions import run_sync_transaction

console = Console(stderr=True)


def _counter(label: str) -> Progress:
    return Progress(SpinnerColumn(), TextColumn(label + " {task.completed} rows"), console=console)


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    engine = make_sync_engine(settings.database_url)
    output = sys.stdout.buffer if args.file == "-" else open(args.file, "wb")  # noqa: SIM115
    try:
        with engine.connect() as connection, _counter("exported") as progress:
            task = progress.add_task("export")
            for line in export_lines(connection):
                output.write(line)
                progress.advance(task)
    finally:
        if output is not sys.stdout.buffer:
            output.close()
        engine.dispose()
    return 0


class _NotEmpty(Exception):
    pass


def _import_file(connection: Connection, path: str) -> dict[str, int]:
    for table in Base.metadata.sorted_tables:
        if connection.scalar(select(func.count()).select_from(table)):
            raise _NotEmpty(table.name)
    with open(path, "rb") as source, _counter("imported") as progress:
        task = progress.add_task("import")
        return import_lines(connection, source, lambda: progress.advance(task))


def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    engine = make_sync_engine(settings.database_url)
    try:
        counts = run_sync_transaction(engine, partial(_import_file, path=args.file))
    except _NotEmpty as occupied:
        print(
            f"newsdb: the database is not empty ({occupied} has rows);"
            " import into a freshly migrated one",
            file=sys.stderr,
        )
        return 2
    except (OSError, ValueError, KeyError) as error:
        print(f"newsdb: cannot import {args.file}: {error}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    print(", ".join(f"{count} {table}" for table, count in counts.items()))
    return 0


def add_commands(commands: Any) -> None:
    export = commands.add_parser("export", help="write every table as NDJSON (raw text included)")
    export.add_argument("file", nargs="?", default="-", help="a file, or - for stdout (default)")
    export.set_defaults(handler=cmd_export)
    load = commands.add_parser("import", help="load an export into an empty, migrated database")
    load.add_argument("file")
    load.set_defaults(handler=cmd_import)
