"""Backups: every table as NDJSON (raw text included), and back into an empty database.

Rows keep their ids, so an export imported into an empty database and exported again gives the
same lines. Self-references (a tag's parent, a syndicated copy's original) are filled in after
all rows are in, so row order never trips a foreign key."""

import base64
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Connection, DateTime, Table, bindparam, func, select, text, update

from app.articles.excerpt import excerpt
from app.db.models import Article, ArticleTag, Base
from app.db.tag_bits import article_bits
from app.db.types import dialect_name

FORMAT = "newsdb-export/1"
_BATCH = 1_000


def _tables() -> list[Table]:
    """What a backup holds: everything but what triggers derive from the rest."""
    return [table for table in Base.metadata.sorted_tables if not table.info.get("derived")]


def _self_references(table: Table) -> list[str]:
    return [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    return value


def export_lines(connection: Connection) -> Iterator[bytes]:
    yield orjson.dumps({"format": FORMAT}) + b"\n"
    for table in _tables():
        order = list(table.primary_key.columns)
        # Derived columns are left out too: the importing database's triggers write them (the
        # import writes the excerpts).
        columns = [column for column in table.columns if not column.info.get("derived")]
        for row in connection.execute(select(*columns).order_by(*order)).mappings():
            record = {"table": table.name, "row": {k: _encode(v) for k, v in row.items()}}
            yield orjson.dumps(record) + b"\n"


def _decoder(table: Table) -> Callable[[dict[str, Any]], dict[str, Any]]:
    instants = {column.name for column in table.columns if isinstance(column.type, DateTime)}

    articles = table is Article.__table__

    def decode(row: dict[str, Any]) -> dict[str, Any]:
        decoded = {
            key: datetime.fromisoformat(value) if key in instants and value is not None else value
            for key, value in row.items()
        }
        if articles:  # the one derived column that no trigger writes
            decoded["excerpt"] = excerpt(row["body"])
        return decoded

    return decode


def import_lines(
    connection: Connection, lines: Iterable[bytes], progress: Callable[[], None] = lambda: None
) -> dict[str, int]:
    """Load an export into an empty, migrated database (one transaction: all or nothing)."""
    tables = {table.name: table for table in _tables()}
    decoders = {name: _decoder(table) for name, table in tables.items()}
    counts = dict.fromkeys(tables, 0)
    pending: dict[str, list[dict[str, Any]]] = {name: [] for name in tables}
    deferred: dict[str, list[dict[str, Any]]] = {name: [] for name in tables}
    header_seen = False
    for line in lines:
        if not line.strip():
            continue
        record = orjson.loads(line)
        if not header_seen:
            if record.get("format") != FORMAT:
                raise ValueError(f"not a newsdb export (expected a {FORMAT} header line)")
            header_seen = True
            continue
        name, row = record["table"], decoders[record["table"]](record["row"])
        for column in _self_references(tables[name]):
            if row.get(column) is not None:
                deferred[name].append({"_id": row["id"], column: row[column]})
                row[column] = None
        pending[name].append(row)
        counts[name] += 1
        progress()
        if len(pending[name]) >= _BATCH:
            _flush(connection, tables, pending)
    _flush(connection, tables, pending)
    for name, updates in deferred.items():
        for change in updates:
            values = {key: value for key, value in change.items() if key != "_id"}
            connection.execute(
                update(tables[name]).where(tables[name].c.id == change["_id"]).values(**values)
            )
    _copy_outlets_to_links(connection)
    connection.execute(update(ArticleTag).values(tag_bits=article_bits()))
    reset_sequences(connection, tables)
    return counts


def _copy_outlets_to_links(connection: Connection) -> None:
    """Tag links copy their article's outlet (migration 0012); those of an export written
    before it came without, and would vanish from outlet facets."""
    outlet = select(Article.outlet_id).where(Article.id == ArticleTag.article_id)
    connection.execute(
        update(ArticleTag)
        .where(ArticleTag.outlet_id.is_(None))
        .values(outlet_id=outlet.scalar_subquery())
    )


def _flush(
    connection: Connection, tables: dict[str, Table], pending: dict[str, list[dict[str, Any]]]
) -> None:
    # Parents before children: flush every table in dependency order.
    for name, table in tables.items():
        if pending[name]:
            connection.execute(table.insert(), pending[name])
            pending[name] = []


def reset_sequences(connection: Connection, tables: dict[str, Table]) -> None:
    """PostgreSQL hands out ids from sequences that an import with explicit ids didn't move."""
    if dialect_name(connection) != "postgresql":
        return
    for name, table in tables.items():
        if "id" in table.c and table.c.id.autoincrement and len(table.primary_key.columns) == 1:
            top = connection.scalar(select(func.max(table.c.id)))
            if top:
                connection.execute(
                    text("SELECT setval(pg_get_serial_sequence(:t, 'id'), :v)").bindparams(
                        bindparam("t", name), bindparam("v", top)
                    )
                )
