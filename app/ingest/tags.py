"""Which tags an ingested article is filed under: lists the scraper sent, the scrape's own
taxonomy lines, and a fetched page's keywords and section."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.articles.identity import name_key
from app.db.models import Tag, Taxonomy
from app.ingest.pipeline import KnownNames, ParsedArticle
from app.ingest.pipeline.segment import MAX_TAG_WORDS
from app.ingest.schemas import IngestIn
from app.vocabulary.resolve import TRUSTED_ORIGINS, NamedTag

_MAX_TAG_LINE_WORDS = 400
_LOOKUP_CHUNK = 500
# Where a page's own keywords and section go when no loaded vocabulary knows them.
PAGE_KEYWORDS = "Keywords"
PAGE_SECTIONS = "Sections"


async def known_tags(session: AsyncSession, slugs: set[str]) -> dict[str, list[str]]:
    """Trusted tags (a vocabulary's or a scraper's) with these slugs: taxonomy → names."""
    known: dict[str, list[str]] = {}
    ordered = sorted(slugs)
    for offset in range(0, len(ordered), _LOOKUP_CHUNK):
        rows = await session.execute(
            select(Taxonomy.name, Tag.name)
            .join(Taxonomy, Taxonomy.id == Tag.taxonomy_id)
            .where(Tag.slug.in_(ordered[offset : offset + _LOOKUP_CHUNK]))
            .where(Tag.origin.in_(TRUSTED_ORIGINS))
        )
        for taxonomy, tag in rows:
            known.setdefault(taxonomy, []).append(tag)
    return known


async def known_names_for(session: AsyncSession, parsed: ParsedArticle) -> KnownNames:
    """The stored vocabulary that could match the tag lines, looked up by the lines' own
    n-grams (not loaded whole)."""
    slugs: set[str] = set()
    for section in parsed.sections:
        # A name's slug is its words' slugs joined by "-": slug each word once.
        words = [name_key(word) for word in section.raw.split()[:_MAX_TAG_LINE_WORDS]]
        for start in range(len(words)):
            for end in range(start + 1, min(start + MAX_TAG_WORDS, len(words)) + 1):
                slugs.add("-".join(word for word in words[start:end] if word))
    return KnownNames(tags=await known_tags(session, slugs), authors=())


async def article_tags(
    session: AsyncSession, item: IngestIn, parsed: ParsedArticle
) -> list[NamedTag]:
    """Sent lists win for their taxonomy; parsed sections and the page's own tags fill in the
    others."""
    given = item.tags or {}
    given_keys = {name_key(taxonomy) for taxonomy in given}
    tags = [NamedTag(taxonomy, name) for taxonomy, names in given.items() for name in names]
    for section in parsed.sections:
        if name_key(section.label) not in given_keys:
            tags += [NamedTag(section.label, tag.name, tag.source) for tag in section.tags]
    for tag in await _page_tags(session, parsed):
        if name_key(tag.taxonomy) not in given_keys:
            tags.append(tag)
    return tags


async def _page_tags(session: AsyncSession, parsed: ParsedArticle) -> list[NamedTag]:
    """A page's keywords and section: filed where a loaded vocabulary already files the same
    name (its spelling), else under Keywords and Sections."""
    named = [(PAGE_KEYWORDS, k, "page keywords") for k in parsed.keywords]
    if parsed.section:
        named.append((PAGE_SECTIONS, parsed.section, "page section"))
    if not named:
        return []
    known = await known_tags(session, {name_key(name) for _, name, _ in named})
    filed_as = {
        name_key(name): (taxonomy, name) for taxonomy, names in known.items() for name in names
    }
    return [
        NamedTag(*filed_as.get(name_key(name), (taxonomy, name)), source)
        for taxonomy, name, source in named
    ]
