"""Scrape ingest (text or a fetched page): the pipeline parses, this files the result under
outlet, authors and tags."""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import partial
from typing import Any
from urllib.parse import urlsplit

import anyio
from rapidfuzz import fuzz, process
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from app.articles.fields import OutletIn
from app.articles.identity import name_key, readable_url, same_site
from app.articles.reads import get_article
from app.articles.store import (
    ArticleDraft,
    Received,
    Stored,
    named_authors,
    rewrite_article,
    store_article,
)
from app.db.models import Article, ArticleSource, Author
from app.errors import InvalidInput
from app.ingest.outlets import ingest_outlet
from app.ingest.pipeline import PIPELINE_VERSION, ParsedArticle, parse_article, retag
from app.ingest.pipeline.from_html import parse_html
from app.ingest.schemas import IngestIn
from app.ingest.sources import unpack
from app.ingest.tags import article_tags, known_names_for
from app.vocabulary.resolve import NamedAuthor, NamedOutlet

# How alike (0-100) an orphan bio must be to a stored author's bio to be theirs.
_BIO_MATCH = 90
# Fields a scraper may send beside the page; what it sends wins over what is found.
_GIVEN_FIELDS = ("title", "subtitle", "published_at", "outlet", "authors", "tags")


class Unfileable(InvalidInput):
    code = "unparseable_text"
    title = "Not enough to file an article"


@dataclass(slots=True)
class Ingested:
    stored: Stored
    report: dict[str, Any]


async def ingest_scrape(session: AsyncSession, item: IngestIn, payload: str) -> Ingested:
    """Parse (text or HTML), resolve identity and vocabulary, store; `payload` is what the
    scraper sent, kept as it came (a page compressed)."""
    parsed = await _parse(session, item)
    draft, attribution = await _draft(session, item, parsed, datetime.now(UTC).date())
    report = parsed.report.to_dict()
    received = Received("raw", payload, PIPELINE_VERSION, compress=item.html is not None)
    stored = await store_article(session, draft, received)
    report["found"] |= {name: "given" for name in _GIVEN_FIELDS if getattr(item, name)}
    if item.url:  # unless the page's canonical URL named the piece instead (set by _draft)
        report["found"].setdefault("url", "given")
    report["author"] = attribution
    report["tags"] = [
        {"taxonomy": tag.taxonomy, "name": tag.name, "found_by": tag.source} for tag in draft.tags
    ]
    report["duplicate"] = {
        "decision": "created" if stored.created else "existing",
        "rule": stored.matched_by,
        "syndicated_from": stored.syndicated_from,
    }
    return Ingested(stored, report)


async def _parse(session: AsyncSession, item: IngestIn) -> ParsedArticle:
    """Parse, then segment the tag lines again with the stored vocabulary that could match
    them."""
    if item.html is not None:
        parsed = await anyio.to_thread.run_sync(parse_html, item.html, item.url)
    else:
        parse = partial(parse_article, item.text or "", url=item.url)
        parsed = await anyio.to_thread.run_sync(parse)
    known = await known_names_for(session, parsed)
    if not known.tags:
        return parsed
    return await anyio.to_thread.run_sync(retag, parsed, known)


async def _draft(
    session: AsyncSession, item: IngestIn, parsed: ParsedArticle, received_on: date
) -> tuple[ArticleDraft, dict[str, Any]]:
    """The article to file; `received_on` is the day the scrape came in (a page that states no
    date is filed under it)."""
    title = item.title or parsed.title
    published_at = item.published_at or parsed.published_at or _undated_page(item, received_on)
    if not (item.published_at or parsed.published_at) and published_at:
        parsed.report.found["published_at"] = "received"
    missing = [
        field for field, value in (("title", title), ("published_at", published_at)) if not value
    ]
    if missing or not parsed.body:
        missing += [] if parsed.body else ["body"]
        raise Unfileable(
            f"could not find {', '.join(missing)} in the {'page' if item.html else 'text'}; send "
            f"{' and '.join(m for m in missing if m != 'body') or 'a longer text'} explicitly",
            missing=missing,
            report=parsed.report.to_dict(),
        )
    assert title is not None and published_at is not None
    authors, attribution = await _authors(session, item, parsed)
    url = _identity_url(item.url, parsed.canonical_url)
    if url and url != item.url:
        parsed.report.found["url"] = parsed.report.found.get("canonical_url", "page")
    return (
        ArticleDraft(
            url=url,
            title=title,
            subtitle=item.subtitle if item.subtitle is not None else parsed.subtitle,
            body=parsed.body,
            published_at=published_at,
            outlet=await _outlet(session, item, parsed),
            authors=tuple(authors),
            tags=tuple(await article_tags(session, item, parsed)),
            language=parsed.language,
            credit=parsed.credit,
        ),
        attribution,
    )


def _undated_page(item: IngestIn, received_on: date) -> date | None:
    """A fetched page that states no date at all is filed under the day it came in (the report
    says so: found `received`): a scraper fetches what is current, and an article needs a day."""
    return received_on if item.html is not None else None


async def _outlet(
    session: AsyncSession, item: IngestIn, parsed: ParsedArticle
) -> NamedOutlet | None:
    if isinstance(item.outlet, OutletIn):
        return NamedOutlet(item.outlet.name, item.outlet.domain)
    return await ingest_outlet(session, item.outlet or parsed.outlet, item.url)


def _identity_url(given: str | None, canonical: str | None) -> str | None:
    """The page's own canonical URL names the piece, unless it cannot: it points at another
    site (a syndicated copy names its original), or at a home or section page that the URL
    fetched lies under (a misconfigured CMS gives every article the same one). Then the URL
    sent does."""
    if canonical is None or not readable_url(canonical):
        return given
    if given is None:
        return None if _is_home_page(canonical) else canonical
    if not same_site(given, canonical) or _lies_under(given, canonical):
        return given
    return canonical


def _is_home_page(url: str) -> bool:
    return urlsplit(url).path.strip("/") == ""


def _lies_under(url: str, canonical: str) -> bool:
    """Whether the canonical URL is a page above the one fetched (its home or a section)."""
    above, below = urlsplit(canonical).path.rstrip("/"), urlsplit(url).path.rstrip("/")
    return (below != above and below.startswith(above + "/")) or _is_home_page(canonical)


async def _authors(
    session: AsyncSession, item: IngestIn, parsed: ParsedArticle
) -> tuple[list[NamedAuthor], dict[str, Any]]:
    """The byline, and whose each closing bio is (bios never stay in the body)."""
    explicit = list(named_authors(item.authors or []))
    authors = explicit or [NamedAuthor(name) for name in parsed.byline]
    byline_from = "request" if explicit else ("byline" if parsed.byline else None)
    attributions: list[dict[str, Any]] = []
    unnamed = 0
    for bio in parsed.bios:
        target: str | None
        if bio.name:
            target, how = bio.name, "named in the bio"
        elif unnamed < len(authors):
            target, how = authors[unnamed].name, "the byline, in order (the bio's name was lost)"
            unnamed += 1
        else:
            target = await _author_by_bio(session, bio.bio)
            how = (
                "a stored author whose bio matches"
                if target
                else "unattributed: no author to give it to"
            )
        attributions.append({"bio": bio.bio, "attributed_to": target, "how": how})
        if target is not None:
            authors = _with_bio(authors, target, bio.bio)
    return authors, {"byline_from": byline_from, "bios": attributions}


def _with_bio(authors: list[NamedAuthor], name: str, bio: str) -> list[NamedAuthor]:
    key = name_key(name)
    if any(name_key(author.name) == key for author in authors):
        return [
            NamedAuthor(a.name, a.bio or bio) if name_key(a.name) == key else a for a in authors
        ]
    return [*authors, NamedAuthor(name, bio)]


async def _author_by_bio(session: AsyncSession, bio: str) -> str | None:
    rows = (
        await session.execute(
            select(Author.name, Author.bio).where(Author.bio.is_not(None)).limit(20_000)
        )
    ).all()
    if not rows:
        return None
    folded = [_fold_bio(row.bio or "") for row in rows]
    match = process.extractOne(
        _fold_bio(bio), folded, scorer=fuzz.token_set_ratio, score_cutoff=_BIO_MATCH
    )
    return rows[match[2]].name if match else None


def _fold_bio(bio: str) -> str:
    return re.sub(r"\W+", " ", bio).casefold().strip()


async def reparse_article(session: AsyncSession, article_id: int) -> dict[str, Any]:
    """Run today's pipeline (and today's vocabulary) over the scrape or page stored for an article;
    say which fields changed."""
    source = (
        await session.execute(
            select(ArticleSource.payload, ArticleSource.encoding, ArticleSource.received_at)
            .where(ArticleSource.article_id == article_id, ArticleSource.kind == "raw")
            .order_by(ArticleSource.received_at.desc(), ArticleSource.id.desc())
            .limit(1)
        )
    ).first()
    if source is None:
        return {"id": article_id, "changed": [], "skipped": "no raw text or page stored"}
    item = IngestIn.model_validate_json(unpack(source.payload, source.encoding))
    before = await session.run_sync(get_article, article_id)
    parsed = await _parse(session, item)
    draft, _ = await _draft(session, item, parsed, source.received_at.date())
    await rewrite_article(session, article_id, draft)
    after = await session.run_sync(get_article, article_id)
    assert before is not None and after is not None
    changed = [key for key in before if key != "updated_at" and before[key] != after[key]]
    await session.execute(
        update(ArticleSource)
        .where(ArticleSource.article_id == article_id, ArticleSource.kind == "raw")
        .values(parser_version=PIPELINE_VERSION)
    )
    return {"id": article_id, "changed": changed}


async def scraped_article_ids(connection: AsyncConnection) -> list[int]:
    """The articles that a stored scrape or page can be reparsed for, in id order."""
    raw = select(ArticleSource.article_id).where(ArticleSource.kind == "raw")
    found = await connection.scalars(
        select(Article.id).where(Article.id.in_(raw)).order_by(Article.id)
    )
    return list(found.all())
