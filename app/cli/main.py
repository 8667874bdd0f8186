"""The `newsdb` command."""

import argparse
import asyncio
import json
import sys
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import TypeVar

from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from app.cli.backup import add_commands as add_backup_commands
from app.cli.ingest import add_commands as add_ingest_commands
from app.config import Settings, get_settings
from app.db.engines import open_database
from app.db.transactions import run_transaction
from app.errors import NewsdbError, database_failure, driver_message
from app.http import api_keys

T = TypeVar("T")
# Long enough for a database container or a rebooted server to come up.
DEFAULT_MIGRATE_WAIT_SECONDS = 30.0


def _in_transaction(settings: Settings, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """One command step: `work(session)` in one transaction, on a database opened for it."""

    async def run() -> T:
        async with open_database(settings) as database:
            return await run_transaction(database, work)

    return asyncio.run(run())


def cmd_migrate(args: argparse.Namespace, settings: Settings) -> int:
    from app.db.migrate import upgrade, wait_for_database

    wait_for_database(settings.database_url, args.wait)
    upgrade(settings.database_url)
    print(f"database at revision head: {_redacted(settings.database_url)}")
    return 0


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from app.http.server import SERVER_OPTIONS

    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        proxy_headers=True,
        log_level=args.log_level,
        # What the HTTP parser refuses (a request it cannot read, an over-long URL or head) is
        # answered as a problem; h11, when it runs, reads any head within the app's limits.
        **SERVER_OPTIONS,
    )
    return 0


def cmd_keys_create(args: argparse.Namespace, settings: Settings) -> int:
    scopes = tuple(scope.strip() for scope in args.scopes.split(",") if scope.strip())

    async def create(session: AsyncSession) -> str:
        return await api_keys.create_key(session, args.name, scopes)

    key = _in_transaction(settings, create)
    print(f"created key {args.name!r} with scopes {', '.join(scopes)}; it is shown only once:")
    print(key)
    return 0


def cmd_keys_list(args: argparse.Namespace, settings: Settings) -> int:
    found = _in_transaction(settings, api_keys.list_keys)
    for key in found:
        state = f"revoked {key.revoked_at:%Y-%m-%d %H:%M}" if key.revoked_at else "active"
        print(f"{key.name}\t{' '.join(key.scopes)}\t{key.created_at:%Y-%m-%d %H:%M}\t{state}")
    if not found:
        print("no keys yet: newsdb keys create NAME")
    return 0


def cmd_keys_revoke(args: argparse.Namespace, settings: Settings) -> int:
    async def revoke(session: AsyncSession) -> None:
        await api_keys.revoke_key(session, args.name)

    _in_transaction(settings, revoke)
    print(f"revoked key {args.name!r}")
    return 0


def cmd_taxonomy_import(args: argparse.Namespace, settings: Settings) -> int:
    from pydantic import TypeAdapter, ValidationError

    from app.vocabulary.schemas import VocabularyIn
    from app.vocabulary.taxonomies import load_vocabulary

    try:
        loaded = json.loads(Path(args.file).read_text(encoding="utf-8"))
        items = loaded if isinstance(loaded, list) else [loaded]
        vocabularies = TypeAdapter(list[VocabularyIn]).validate_python(items)
    except (OSError, ValueError, ValidationError) as error:
        print(f"newsdb: cannot read a vocabulary from {args.file}: {error}", file=sys.stderr)
        return 2
    for vocabulary in vocabularies:

        async def load(session: AsyncSession, v: VocabularyIn = vocabulary) -> tuple[int, int]:
            result = await load_vocabulary(session, v.name, v.tags, v.description)
            return len(result.added), int(str(result.taxonomy["tag_count"]))

        added, total = _in_transaction(settings, load)
        print(f"{vocabulary.name}: {added} tags added, {total} in all")
    return 0


def _redacted(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsdb", description="newsdb: news article database")
    commands = parser.add_subparsers(dest="command", required=True)

    migrate = commands.add_parser("migrate", help="create or upgrade the database schema")
    migrate.add_argument(
        "--wait",
        type=float,
        default=DEFAULT_MIGRATE_WAIT_SECONDS,
        metavar="SECONDS",
        help="how long to wait for a PostgreSQL server that does not answer yet "
        f"(default {DEFAULT_MIGRATE_WAIT_SECONDS:g})",
    )
    migrate.set_defaults(handler=cmd_migrate)

    serve = commands.add_parser("serve", help="run the HTTP API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument("--log-level", default="info")
    serve.set_defaults(handler=cmd_serve)

    key_commands = commands.add_parser("keys", help="manage API keys").add_subparsers(
        dest="keys_command", required=True
    )
    create = key_commands.add_parser("create", help="create a key (printed once, last line)")
    create.add_argument("name")
    create.add_argument(
        "--scopes", default="ingest", help=f"comma-separated, of: {', '.join(api_keys.SCOPES)}"
    )
    create.set_defaults(handler=cmd_keys_create)
    key_commands.add_parser("list", help="list keys").set_defaults(handler=cmd_keys_list)
    revoke = key_commands.add_parser("revoke", help="revoke a key at once, on every worker")
    revoke.add_argument("name")
    revoke.set_defaults(handler=cmd_keys_revoke)
    taxonomy_commands = commands.add_parser("taxonomy", help="manage taxonomies").add_subparsers(
        dest="taxonomy_command", required=True
    )
    load = taxonomy_commands.add_parser(
        "import", help='load vocabularies from JSON: {"name": ..., "tags": [...]} or a list of them'
    )
    load.add_argument("file")
    load.set_defaults(handler=cmd_taxonomy_import)
    add_ingest_commands(commands)
    add_backup_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler: Callable[[argparse.Namespace, Settings], int] = args.handler
    try:
        return handler(args, get_settings())
    except (NewsdbError, ValueError) as error:
        print(f"newsdb: {error}", file=sys.stderr)
        return 2
    except DBAPIError as error:  # no traceback for a database that went away or is read-only
        print(
            f"newsdb: {database_failure(error).detail} ({driver_message(error)})", file=sys.stderr
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
