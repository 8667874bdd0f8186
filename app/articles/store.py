"""Storing articles: identity, vocabulary, provenance."""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.articles.excerpt import excerpt
from app.articles.fields import AuthorIn
from app.articles.identity import (
    canonical_url,
    fingerprint_columns,
    identity_key,
    simhash,
    spelling_folded_title,
)
from app.articles.matching import FINGERPRINT_MIN_WORDS, Piece, Pieces, Probe, article_id
from app.db.models import Article, ArticleAuthor, ArticleSource, ArticleTag
from app.db.tag_bits import tag_bits
from app.db.upsert import insert_ignoring_conflicts, insert_missing
from app.ingest.sources import pack
from app.vocabulary.resolve import (
    NamedAuthor,
    NamedOutlet,
    NamedTag,
    author_ids,
    outlet_id,
    tag_ids,
)


@dataclass(frozen=True, slots=True)
class ArticleDraft:
    """A clean article, ready to file: from a structured POST or from the ingest pipeline."""

    title: str
    body: str
    published_at: datetime | date
    outlet: NamedOutlet | None
    url: str | None = None
    subtitle: str | None = None
    authors: tuple[NamedAuthor, ...] = ()
    tags: tuple[NamedTag, ...] = ()
    language: str | None = None
    credit: str | None = None


def named_authors(authors: Iterable[str | AuthorIn]) -> tuple[NamedAuthor, ...]:
    """Authors as a scraper sends them (a name, or a name with a bio), for a draft."""
    return tuple(
        NamedAuthor(a.name, a.bio) if isinstance(a, AuthorIn) else NamedAuthor(a) for a in authors
    )


@dataclass(frozen=True, slots=True)
class Received:
    """What the scraper sent, exactly, kept beside the article."""

    kind: str  # "structured" | "raw"
    payload: str
    parser_version: str
    compress: bool = False  # a fetched page: stored compressed


@dataclass(slots=True)
class Stored:
    article_id: int
    created: bool
    # Which identity rule found the stored piece ("url", "outlet+title+day", "fingerprint"),
    # or None when the piece is new.
    matched_by: str | None = None
    # For a new article whose body is already stored under another outlet: the original.
    syndicated_from: int | None = None


@dataclass(frozen=True, slots=True)
class Prepared:
    """A draft with all that identity needs and the database does not: computed once."""

    draft: ArticleDraft
    url: str | None
    published_at: datetime
    time_known: bool
    fingerprint: int
    fingerprinted: bool


def prepare(draft: ArticleDraft) -> Prepared:
    published_at, time_known = _published(draft.published_at)
    return Prepared(
        draft,
        canonical_url(draft.url) if draft.url else None,
        published_at,
        time_known,
        simhash(draft.body),
        len(draft.body.split()) >= FINGERPRINT_MIN_WORDS,
    )


def probe_for(prepared: Prepared, outlet: tuple[int, str] | None) -> Probe:
    """What the draft is matched by, once its outlet is known (its slug is part of the key)."""
    key = identity_key(
        outlet[1] if outlet else None, prepared.draft.title, prepared.published_at.date()
    )
    return Probe(
        prepared.url,
        key,
        prepared.fingerprint,
        outlet[0] if outlet else None,
        prepared.fingerprinted,
        prepared.published_at.date(),
        spelling_folded_title(prepared.draft.title),
    )


def _published(value: datetime | date) -> tuple[datetime, bool]:
    if isinstance(value, datetime):
        return value, True
    return datetime(value.year, value.month, value.day), False


async def store_article(session: AsyncSession, draft: ArticleDraft, received: Received) -> Stored:
    """File the draft unless the same piece is already stored; either way keep what was sent."""
    prepared = prepare(draft)
    outlet = await outlet_id(session, draft.outlet) if draft.outlet else None
    probe = probe_for(prepared, outlet)
    decision = (await Pieces.around(session, [probe])).file(probe)
    piece = decision.piece
    if decision.created:
        new_id = await session.scalar(
            insert_ignoring_conflicts(session, Article)
            .values(article_row(prepared, piece))
            .returning(Article.id)
        )
        if new_id is not None:
            await _link(session, new_id, draft, prepared.published_at, piece.outlet_id)
            stored = Stored(new_id, created=True, syndicated_from=article_id(piece.syndicated_from))
        else:  # another scraper stored the same piece a moment ago
            found = (await Pieces.around(session, [probe])).same(probe)
            if found is None or found.piece.id is None:
                raise RuntimeError("article insert conflicted but no stored piece matches")
            stored = Stored(found.piece.id, created=False, matched_by=found.matched_by)
    else:
        assert piece.id is not None  # a match is a stored piece: only this draft is pending
        if decision.url_added and piece.url:
            await add_urls(session, [(piece.id, piece.url)])
        stored = Stored(piece.id, created=False, matched_by=decision.matched_by)
    await insert_missing(session, ArticleSource, [source_row(stored.article_id, received)])
    return stored


def article_row(prepared: Prepared, piece: Piece) -> dict[str, Any]:
    """The row of a new article; the piece says its identity (and URL, which a later item of
    a batch may have added)."""
    draft = prepared.draft
    return {
        "url": piece.url,
        "title": draft.title,
        "subtitle": draft.subtitle,
        "body": draft.body,
        "excerpt": excerpt(draft.body),
        "language": draft.language,
        "credit": draft.credit,
        "published_at": prepared.published_at,
        "published_time_known": prepared.time_known,
        "outlet_id": piece.outlet_id,
        "identity_key": piece.identity_key,
        **fingerprint_columns(prepared.fingerprint),
        "syndicated_from_id": article_id(piece.syndicated_from),
    }


async def add_urls(session: AsyncSession, urls: list[tuple[int, str]]) -> None:
    """A piece stored without a URL takes the one it was sent with later."""
    table = cast(Table, Article.__table__)
    await session.execute(
        update(table)
        .where(table.c.id == bindparam("b_id"), table.c.url.is_(None))
        .values(url=bindparam("b_url")),
        [{"b_id": article, "b_url": url} for article, url in urls],
    )


async def _link(
    session: AsyncSession,
    article_id: int,
    draft: ArticleDraft,
    published_at: datetime,
    outlet: int | None,
) -> None:
    authors = await author_ids(session, draft.authors)
    tags = await tag_ids(session, draft.tags)
    await insert_links(session, [link_rows(article_id, published_at, outlet, authors, tags)])


Links = tuple[list[dict[str, Any]], list[dict[str, Any]]]


def link_rows(
    article_id: int,
    published_at: datetime,
    outlet: int | None,
    authors: list[int],
    tags: list[tuple[int, str]],
) -> Links:
    """An article's byline and tag rows (the tag rows copy its date and outlet, and carry the
    bits of all its tags: an article's links are written again whenever it changes)."""
    bits = tag_bits(tag for tag, _ in tags)
    return (
        [
            {
                "article_id": article_id,
                "author_id": author,
                "position": position,
                "published_at": published_at,
            }
            for position, author in enumerate(authors)
        ],
        [
            {
                "article_id": article_id,
                "tag_id": tag,
                "position": position,
                "source": source,
                "published_at": published_at,
                "outlet_id": outlet,
                "tag_bits": bits,
            }
            for position, (tag, source) in enumerate(tags)
        ],
    )


async def insert_links(session: AsyncSession, links: list[Links]) -> None:
    await insert_missing(session, ArticleAuthor, [row for bylines, _ in links for row in bylines])
    await insert_missing(session, ArticleTag, [row for _, tags in links for row in tags])


def source_row(article_id: int, received: Received) -> dict[str, Any]:
    stored, encoding = pack(received.payload, received.compress)
    return {
        "article_id": article_id,
        "kind": received.kind,
        "payload": stored,
        "encoding": encoding,
        "payload_sha256": hashlib.sha256(received.payload.encode("utf-8", "replace")).hexdigest(),
        "parser_version": received.parser_version,
    }


async def rewrite_article(session: AsyncSession, article_id: int, draft: ArticleDraft) -> None:
    """Replace a stored article's content and links with a new reading of the same piece (its
    identity and provenance stay as they are)."""
    published_at, time_known = _published(draft.published_at)
    outlet = await outlet_id(session, draft.outlet) if draft.outlet else None
    await session.execute(
        update(Article)
        .where(Article.id == article_id)
        .values(
            title=draft.title,
            subtitle=draft.subtitle,
            body=draft.body,
            excerpt=excerpt(draft.body),
            language=draft.language,
            credit=draft.credit,
            published_at=published_at,
            published_time_known=time_known,
            outlet_id=outlet[0] if outlet else None,
            **fingerprint_columns(simhash(draft.body)),
        )
    )
    await session.execute(delete(ArticleAuthor).where(ArticleAuthor.article_id == article_id))
    await session.execute(delete(ArticleTag).where(ArticleTag.article_id == article_id))
    await _link(session, article_id, draft, published_at, outlet[0] if outlet else None)
