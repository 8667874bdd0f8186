"""Storing articles: identity, vocabulary, provenance."""

import hashlib
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.identity import canonical_url, fingerprint_bands, hamming, identity_key, simhash
from app.models import Article, ArticleAuthor, ArticleSource, ArticleTag
from app.services.upsert import insert_ignoring_conflicts, insert_missing
from app.services.vocabulary import (
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


@dataclass(frozen=True, slots=True)
class Received:
    """What the scraper sent, exactly, kept beside the article."""

    kind: str  # "structured" | "raw"
    payload: str
    parser_version: str


@dataclass(slots=True)
class Stored:
    article_id: int
    created: bool
    # Which identity rule found the stored piece ("url", "outlet+title+day", "fingerprint"),
    # or None when the piece is new.
    matched_by: str | None = None
    # For a new article whose body is already stored under another outlet: the original.
    syndicated_from: int | None = None


# Bodies at most this many SimHash bits apart are the same text, scraped a little differently.
NEAR_DUPLICATE_BITS = 3
# Shorter bodies (teasers, paywall stubs) look alike without being the same piece.
FINGERPRINT_MIN_WORDS = 50


def _published(value: datetime | date) -> tuple[datetime, bool]:
    if isinstance(value, datetime):
        return value, True
    return datetime(value.year, value.month, value.day), False


async def store_article(session: AsyncSession, draft: ArticleDraft, received: Received) -> Stored:
    """File the draft unless the same piece is already stored; either way keep what was sent."""
    url = canonical_url(draft.url) if draft.url else None
    outlet = await outlet_id(session, draft.outlet) if draft.outlet else None
    published_at, time_known = _published(draft.published_at)
    key = identity_key(outlet[1] if outlet else None, draft.title, published_at.date())

    fingerprint = simhash(draft.body)
    outlet_ref = outlet[0] if outlet else None
    stored = await _find_existing(session, url, key)
    syndicated_from = None
    if stored is None and len(draft.body.split()) >= FINGERPRINT_MIN_WORDS:
        stored, syndicated_from = await _match_fingerprint(session, fingerprint, outlet_ref)
    if stored is None:
        bands = fingerprint_bands(fingerprint)
        inserted = await session.execute(
            insert_ignoring_conflicts(session, Article)
            .values(
                url=url,
                title=draft.title,
                subtitle=draft.subtitle,
                body=draft.body,
                published_at=published_at,
                published_time_known=time_known,
                outlet_id=outlet_ref,
                identity_key=key,
                fingerprint=fingerprint,
                fingerprint_band0=bands[0],
                fingerprint_band1=bands[1],
                fingerprint_band2=bands[2],
                fingerprint_band3=bands[3],
                syndicated_from_id=syndicated_from,
            )
            .returning(Article.id)
        )
        new_id = inserted.scalar_one_or_none()
        if new_id is not None:
            await _link(session, new_id, draft, published_at)
            stored = Stored(new_id, created=True, syndicated_from=syndicated_from)
        else:  # another scraper stored the same piece a moment ago
            stored = await _find_existing(session, url, key)
            if stored is None:
                raise RuntimeError("article insert conflicted but no stored piece matches")
    elif url and stored.matched_by == "outlet+title+day":
        await session.execute(
            update(Article)
            .where(Article.id == stored.article_id, Article.url.is_(None))
            .values(url=url)
        )
    await _keep_received(session, stored.article_id, received)
    return stored


async def _find_existing(session: AsyncSession, url: str | None, key: str) -> Stored | None:
    if url:
        found = await session.scalar(select(Article.id).where(Article.url == url))
        if found is not None:
            return Stored(found, created=False, matched_by="url")
        # A copy stored without a URL is the same piece; one stored under another URL is not.
        condition = and_(Article.identity_key == key, Article.url.is_(None))
    else:
        condition = Article.identity_key == key
    found = await session.scalar(select(Article.id).where(condition).order_by(Article.id).limit(1))
    return Stored(found, created=False, matched_by="outlet+title+day") if found else None


async def _match_fingerprint(
    session: AsyncSession, fingerprint: int, outlet: int | None
) -> tuple[Stored | None, int | None]:
    """A near-identical body at the same outlet is the same piece; at another outlet it is a
    syndicated copy of the earliest stored original."""
    bands = fingerprint_bands(fingerprint)
    candidates = await session.execute(
        select(Article.id, Article.outlet_id, Article.fingerprint, Article.syndicated_from_id)
        .where(
            or_(
                Article.fingerprint_band0 == bands[0],
                Article.fingerprint_band1 == bands[1],
                Article.fingerprint_band2 == bands[2],
                Article.fingerprint_band3 == bands[3],
            )
        )
        .order_by(Article.id)
        .limit(500)
    )
    near = [
        row for row in candidates if hamming(row.fingerprint, fingerprint) <= NEAR_DUPLICATE_BITS
    ]
    for row in near:
        if row.outlet_id == outlet:
            return Stored(row.id, created=False, matched_by="fingerprint"), None
    if near:
        return None, near[0].syndicated_from_id or near[0].id
    return None, None


async def _link(
    session: AsyncSession, article_id: int, draft: ArticleDraft, published_at: datetime
) -> None:
    authors = await author_ids(session, draft.authors)
    await insert_missing(
        session,
        ArticleAuthor,
        [
            {
                "article_id": article_id,
                "author_id": author,
                "position": position,
                "published_at": published_at,
            }
            for position, author in enumerate(authors)
        ],
    )
    tags = await tag_ids(session, draft.tags)
    await insert_missing(
        session,
        ArticleTag,
        [
            {
                "article_id": article_id,
                "tag_id": tag,
                "position": position,
                "source": source,
                "published_at": published_at,
            }
            for position, (tag, source) in enumerate(tags)
        ],
    )


async def _keep_received(session: AsyncSession, article_id: int, received: Received) -> None:
    digest = hashlib.sha256(received.payload.encode("utf-8", "replace")).hexdigest()
    await insert_missing(
        session,
        ArticleSource,
        [
            {
                "article_id": article_id,
                "kind": received.kind,
                "payload": received.payload,
                "payload_sha256": digest,
                "parser_version": received.parser_version,
            }
        ],
    )


async def rewrite_article(session: AsyncSession, article_id: int, draft: ArticleDraft) -> None:
    """Replace a stored article's content and links with a new reading of the same piece (its
    identity and provenance stay as they are)."""
    published_at, time_known = _published(draft.published_at)
    fingerprint = simhash(draft.body)
    bands = fingerprint_bands(fingerprint)
    outlet = await outlet_id(session, draft.outlet) if draft.outlet else None
    await session.execute(
        update(Article)
        .where(Article.id == article_id)
        .values(
            title=draft.title,
            subtitle=draft.subtitle,
            body=draft.body,
            published_at=published_at,
            published_time_known=time_known,
            outlet_id=outlet[0] if outlet else None,
            fingerprint=fingerprint,
            fingerprint_band0=bands[0],
            fingerprint_band1=bands[1],
            fingerprint_band2=bands[2],
            fingerprint_band3=bands[3],
        )
    )
    await session.execute(delete(ArticleAuthor).where(ArticleAuthor.article_id == article_id))
    await session.execute(delete(ArticleTag).where(ArticleTag.article_id == article_id))
    await _link(session, article_id, draft, published_at)
