"""Structured articles, as a scraper that parsed them sends them: one, or a batch filed set-wise.

A batch runs in one transaction, in chunks: a chunk is prepared (validated, fingerprinted) in a
worker thread, off the event loop; then a few IN queries find the stored pieces its items may
be, the items are decided in input order (so a later item matches an earlier one exactly as if
they had been posted one by one), and vocabulary, articles, links and provenance go in as
multi-row inserts."""

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

import anyio
import anyio.to_thread
from pydantic import ValidationError
from sqlalchemy import Table, bindparam, update
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.articles.batch_results import failed, validation_details
from app.articles.matching import Decision, Piece, Pieces, Probe, article_id
from app.articles.schemas import ArticleCreate
from app.articles.store import (
    ArticleDraft,
    Prepared,
    Received,
    Stored,
    add_urls,
    article_row,
    insert_links,
    link_rows,
    named_authors,
    prepare,
    probe_for,
    source_row,
    store_article,
)
from app.db.models import Article, ArticleSource
from app.db.types import JSON
from app.db.upsert import insert_missing, insert_rows
from app.errors import NewsdbError
from app.ingest.pipeline import clean_body
from app.vocabulary.resolve import (
    NamedOutlet,
    NamedTag,
    author_table,
    distinct_authors,
    outlet_ids,
    tag_table,
    tags_in_order,
)

STRUCTURED_PARSER = "structured/1"
# Big enough that statements carry many rows, small enough that a chunk that has to be redone
# item by item (a concurrent scraper stored one of its pieces) costs little.
CHUNK = 250
# What the database may refuse one item for: a concurrent insert of the same piece, a value
# one engine finds too long. Anything else (deadlocks, a lost connection) fails the request.
_REFUSALS = (IntegrityError, DataError)


def draft_from(payload: ArticleCreate) -> ArticleDraft:
    outlet = payload.outlet
    return ArticleDraft(
        url=payload.url,
        title=payload.title,
        subtitle=payload.subtitle or None,
        body=clean_body(payload.body),
        published_at=payload.published_at,
        outlet=NamedOutlet(outlet)
        if isinstance(outlet, str)
        else NamedOutlet(outlet.name, outlet.domain),
        authors=named_authors(payload.authors),
        tags=tuple(
            NamedTag(taxonomy, name) for taxonomy, names in payload.tags.items() for name in names
        ),
        language=payload.language,
        credit=payload.credit,
    )


@dataclass(frozen=True, slots=True)
class _Item:
    index: int
    prepared: Prepared
    received: Received


async def store_structured_batch(session: AsyncSession, raw_items: Sequence[Any]) -> list[JSON]:
    """One result per item, in input order: created, existing (with the rule that matched),
    or invalid (with a problem's code and detail)."""
    results: list[JSON] = [{} for _ in raw_items]
    size = CHUNK
    for start in range(0, len(raw_items), size):
        # Preparing an item is ~0.7 ms of pure CPU (SimHash, mostly): on the event loop, a
        # 500-item batch stalled every other request on the worker for a third of a second.
        # Not alongside the database's work either: the thread's hold on the interpreter then
        # kept the loop from answering the database (batches on PostgreSQL ~10% slower).
        chunk = await anyio.to_thread.run_sync(_prepare, raw_items, start, size)
        await _file(session, chunk, results)
    return results


@dataclass(frozen=True, slots=True)
class _Chunk:
    items: list[_Item]
    invalid: list[tuple[int, JSON]]


def _prepare(raw_items: Sequence[Any], start: int, size: int) -> _Chunk:
    """Items start to start + size validated, cleaned and fingerprinted. Pure code, as it runs
    in a worker thread: no session, and results come back rather than being written."""
    items: list[_Item] = []
    invalid: list[tuple[int, JSON]] = []
    for index in range(start, min(start + size, len(raw_items))):
        raw = raw_items[index]
        try:
            prepared = prepare(draft_from(ArticleCreate.model_validate(raw)))
        except ValidationError as error:
            invalid.append((index, _invalid(index, "validation_error", validation_details(error))))
            continue
        except NewsdbError as error:
            invalid.append((index, _invalid(index, error.code, error.detail)))
            continue
        payload = json.dumps(raw, ensure_ascii=False)
        items.append(_Item(index, prepared, Received("structured", payload, STRUCTURED_PARSER)))
    return _Chunk(items, invalid)


async def _file(session: AsyncSession, chunk: _Chunk, results: list[JSON]) -> None:
    """The chunk's items filed in a savepoint, or item by item if the database refuses it.
    Its outlets are resolved first, outside the savepoint, as single posts would resolve them
    (the earlier chunks' outlets are in the transaction by then)."""
    for index, result in chunk.invalid:
        results[index] = result
    items = chunk.items
    if not items:
        return
    outlets = await outlet_ids(
        session, [cast(NamedOutlet, item.prepared.draft.outlet) for item in items]
    )
    probes = [probe_for(item.prepared, outlet) for item, outlet in zip(items, outlets, strict=True)]
    try:
        async with session.begin_nested():
            stored = await _file_chunk(session, items, probes)
    except _REFUSALS:
        stored = await _file_one_by_one(session, items)
    for item, outcome in zip(items, stored, strict=True):
        results[item.index] = _result(item.index, outcome)


async def _file_chunk(
    session: AsyncSession, chunk: list[_Item], probes: list[Probe]
) -> list[Stored | None]:
    pieces = await Pieces.around(session, probes)
    decisions = [pieces.file(probe) for probe in probes]
    created = [
        (item, decision.piece)
        for item, decision in zip(chunk, decisions, strict=True)
        if decision.created
    ]
    if created:
        await _insert_articles(session, created)
    stored_urls = [
        (d.piece.id, d.piece.url)
        for d in decisions
        if d.url_added and d.piece.was_stored and d.piece.id and d.piece.url
    ]
    if stored_urls:
        await add_urls(session, stored_urls)
    await insert_missing(
        session,
        ArticleSource,
        [
            source_row(cast(int, d.piece.id), item.received)
            for item, d in zip(chunk, decisions, strict=True)
        ],
    )
    return [_stored(decision) for decision in decisions]


async def _insert_articles(session: AsyncSession, created: list[tuple[_Item, Piece]]) -> None:
    """New articles with their bylines and tags; vocabulary is looked up for them alone, as it
    would be if they came one by one (a matched item adds no author or tag)."""
    bylines = [list(distinct_authors(item.prepared.draft.authors).values()) for item, _ in created]
    authors = await author_table(session, [author for byline in bylines for author in byline])
    tags = await tag_table(
        session, [tag for item, _ in created for tag in item.prepared.draft.tags]
    )
    table = cast(Table, Article.__table__)
    # Rows come back in no promised order (asking for input order makes SQLite insert them one
    # statement each); a new piece is told apart by its URL, or without one by its identity key,
    # which the decisions made unique among the new pieces. An original that is itself new in
    # this batch has no id yet: its copies point to it once the chunk is in.
    inserted = await insert_rows(
        session,
        table,
        [article_row(item.prepared, piece) for item, piece in created],
        returning=(table.c.id, table.c.url, table.c.identity_key),
    )
    ids = {url or key: new_id for new_id, url, key in inserted}
    for _, piece in created:
        piece.id = ids[piece.url or piece.identity_key]
    late = [
        {"b_id": piece.id, "b_from": piece.syndicated_from.id}
        for _, piece in created
        if isinstance(piece.syndicated_from, Piece)
    ]
    if late:
        await session.execute(
            update(table)
            .where(table.c.id == bindparam("b_id"))
            .values(syndicated_from_id=bindparam("b_from")),
            late,
        )
    await insert_links(
        session,
        [
            link_rows(
                cast(int, piece.id),
                item.prepared.published_at,
                piece.outlet_id,
                [authors[slug] for slug in distinct_authors(item.prepared.draft.authors)],
                tags_in_order(item.prepared.draft.tags, tags),
            )
            for item, piece in created
        ],
    )


async def _file_one_by_one(session: AsyncSession, chunk: list[_Item]) -> list[Stored | None]:
    """The chunk again, each item in its own savepoint: the race-safe single-article path
    decides the item a concurrent scraper got to first, and a refused item sinks no other."""
    outcomes: list[Stored | None] = []
    for item in chunk:
        try:
            async with session.begin_nested():
                outcomes.append(await store_article(session, item.prepared.draft, item.received))
        except _REFUSALS:
            outcomes.append(None)
    return outcomes


def _stored(decision: Decision) -> Stored:
    piece = decision.piece
    return Stored(
        cast(int, piece.id),
        decision.created,
        decision.matched_by,
        article_id(piece.syndicated_from),
    )


def _result(index: int, stored: Stored | None) -> JSON:
    if stored is None:
        return _invalid(index, "not_stored", "the database refused this item (a value too long?)")
    return {
        "index": index,
        "status": "created" if stored.created else "existing",
        "article_id": stored.article_id,
        "matched_by": stored.matched_by,
        "error": None,
    }


def _invalid(index: int, code: str, detail: str) -> JSON:
    return failed(index, code, detail, "invalid") | {"matched_by": None}
