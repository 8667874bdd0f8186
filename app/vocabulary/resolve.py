"""Outlets, authors, taxonomies and tags, found or created by name."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import cast

from sqlalchemy import Table, bindparam, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.articles.identity import name_key
from app.db.models import Author, Outlet, Tag, TagAlias, Taxonomy
from app.db.upsert import insert_missing


@dataclass(frozen=True, slots=True)
class NamedOutlet:
    name: str
    domain: str | None = None


@dataclass(frozen=True, slots=True)
class NamedAuthor:
    name: str
    bio: str | None = None


@dataclass(frozen=True, slots=True)
class NamedTag:
    taxonomy: str
    name: str
    # "vocabulary" (a publisher's list), "given" (a scraper's list) or how the ingest pipeline
    # found it ("body", "gazetteer", ...).
    source: str = "given"

    @property
    def origin(self) -> str:
        return self.source if self.source in TRUSTED_ORIGINS else "inferred"


# Most trusted first: tags of these origins guide later segmentation.
TRUSTED_ORIGINS = ("vocabulary", "given")


async def outlet_ids(
    session: AsyncSession, outlets: Sequence[NamedOutlet]
) -> list[tuple[int, str]]:
    """Each outlet's id and slug, in order: the distinct outlets resolved one at a time in
    input order, so a batch files them exactly as single posts would (which spelling is
    stored, which outlet a domain goes to). One query finds the stored rows they may be; only
    an outlet to create or a domain to add costs a round trip of its own."""
    distinct = list(dict.fromkeys(outlets))
    known = _KnownOutlets()
    known.add(await _stored_outlets(session, distinct))
    resolved = {outlet: await _resolve_outlet(session, outlet, known) for outlet in distinct}
    return [resolved[outlet] for outlet in outlets]


async def outlet_id(session: AsyncSession, outlet: NamedOutlet) -> tuple[int, str]:
    """The outlet's id and slug; a known domain wins over the name, and a domain sent with a
    name stored without one is kept."""
    return (await outlet_ids(session, [outlet]))[0]


@dataclass(slots=True)
class _OutletRow:
    id: int
    slug: str
    domain: str | None


class _KnownOutlets:
    """Stored outlets by slug and by domain, kept as the transaction has written them."""

    def __init__(self) -> None:
        self.by_slug: dict[str, _OutletRow] = {}
        self.by_domain: dict[str, _OutletRow] = {}

    def add(self, rows: Iterable[tuple[int, str, str | None]]) -> None:
        for id_, slug, domain in rows:
            row = _OutletRow(id_, slug, domain)
            self.by_slug[slug] = row
            if domain:
                self.by_domain[domain] = row

    def matching(self, slug: str, domain: str | None) -> list[_OutletRow]:
        """What `slug = :slug OR domain = :domain ORDER BY id` would find (both are unique)."""
        rows = [self.by_slug.get(slug), self.by_domain.get(domain) if domain else None]
        by_id = {row.id: row for row in rows if row is not None}
        return [by_id[id_] for id_ in sorted(by_id)]


async def _stored_outlets(
    session: AsyncSession, outlets: Sequence[NamedOutlet]
) -> list[tuple[int, str, str | None]]:
    slugs = {name_key(outlet.name) for outlet in outlets}
    domains = {outlet.domain for outlet in outlets if outlet.domain}
    rows = await session.execute(
        select(Outlet.id, Outlet.slug, Outlet.domain).where(
            or_(Outlet.slug.in_(slugs), Outlet.domain.in_(domains))
            if domains
            else Outlet.slug.in_(slugs)
        )
    )
    return [(row.id, row.slug, row.domain) for row in rows]


async def _resolve_outlet(
    session: AsyncSession, outlet: NamedOutlet, known: _KnownOutlets
) -> tuple[int, str]:
    slug = name_key(outlet.name)
    found = known.matching(slug, outlet.domain)
    if not found:
        await insert_missing(
            session, Outlet, [{"name": outlet.name, "slug": slug, "domain": outlet.domain}]
        )
        known.add(await _stored_outlets(session, [outlet]))
        found = known.matching(slug, outlet.domain)
    by_domain = [row for row in found if outlet.domain and row.domain == outlet.domain]
    row = (by_domain or found)[0]
    if outlet.domain and row.domain is None and not by_domain:
        await session.execute(
            update(Outlet).where(Outlet.id == row.id).values(domain=outlet.domain)
        )
        known.add([(row.id, row.slug, outlet.domain)])
    return row.id, row.slug


def distinct_authors(authors: Iterable[NamedAuthor]) -> dict[str, NamedAuthor]:
    """Byline order by slug, duplicates dropped (the first spelling stays)."""
    by_slug: dict[str, NamedAuthor] = {}
    for author in authors:
        by_slug.setdefault(name_key(author.name), author)
    return by_slug


async def author_table(session: AsyncSession, authors: Sequence[NamedAuthor]) -> dict[str, int]:
    """Slug → id for the authors of one or more bylines (each already distinct): a new author
    is filed as first named, and a bio that comes with a name is kept, the last one winning,
    as if each byline had been filed in turn."""
    first: dict[str, NamedAuthor] = {}
    bios: dict[str, str] = {}
    for author in authors:
        slug = name_key(author.name)
        first.setdefault(slug, author)
        if author.bio:
            bios[slug] = author.bio
    if not first:
        return {}
    await insert_missing(
        session,
        Author,
        [{"name": a.name, "slug": slug, "bio": a.bio} for slug, a in first.items()],
    )
    if bios:
        table = cast(Table, Author.__table__)
        await session.execute(
            update(table)
            .where(
                table.c.slug == bindparam("b_slug"),
                table.c.bio.is_distinct_from(bindparam("b_bio")),
            )
            .values(bio=bindparam("b_bio")),
            [{"b_slug": slug, "b_bio": bio} for slug, bio in bios.items()],
        )
    rows = await session.execute(select(Author.slug, Author.id).where(Author.slug.in_(first)))
    return dict(rows.all())


async def author_ids(session: AsyncSession, authors: Sequence[NamedAuthor]) -> list[int]:
    """Ids in byline order (duplicates dropped); a bio that comes with a name is kept."""
    by_slug = distinct_authors(authors)
    ids = await author_table(session, list(by_slug.values()))
    return [ids[slug] for slug in by_slug]


async def taxonomy_ids(session: AsyncSession, names: Iterable[str]) -> dict[str, int]:
    """Taxonomy name → id, keyed by the name as given."""
    slugs = {name: name_key(name) for name in names}
    if not slugs:
        return {}
    await insert_missing(
        session, Taxonomy, [{"name": name, "slug": slug} for name, slug in slugs.items()]
    )
    rows = await session.execute(
        select(Taxonomy.slug, Taxonomy.id).where(Taxonomy.slug.in_(set(slugs.values())))
    )
    ids = dict(rows.all())
    return {name: ids[slug] for name, slug in slugs.items()}


async def tag_table(session: AsyncSession, tags: Sequence[NamedTag]) -> dict[tuple[str, str], int]:
    """(taxonomy as named, tag slug) → tag id, for the tags of one or more articles: aliases
    resolve to the tag they name; a new tag is filed as first named."""
    taxonomies = await taxonomy_ids(session, dict.fromkeys(tag.taxonomy for tag in tags))
    wanted: dict[tuple[int, str], NamedTag] = {}
    for tag in tags:
        wanted.setdefault((taxonomies[tag.taxonomy], name_key(tag.name)), tag)
    if not wanted:
        return {}
    resolved = await _resolve_tags(session, wanted)
    missing = [key for key in wanted if key not in resolved]
    if missing:
        await insert_missing(
            session,
            Tag,
            [
                {
                    "taxonomy_id": tax,
                    "slug": slug,
                    "name": wanted[tax, slug].name,
                    "origin": wanted[tax, slug].origin,
                }
                for tax, slug in missing
            ],
        )
        resolved = await _resolve_tags(session, wanted)
    await _promote(session, {resolved[key]: tag.origin for key, tag in wanted.items()})
    return {
        (tag.taxonomy, slug): resolved[taxonomies[tag.taxonomy], slug]
        for tag in tags
        for slug in (name_key(tag.name),)
    }


def tags_in_order(
    tags: Iterable[NamedTag], table: dict[tuple[str, str], int]
) -> list[tuple[int, str]]:
    """(tag id, source) in source order; a tag that comes twice is kept once, where it first
    came."""
    result: dict[int, str] = {}
    for tag in tags:
        result.setdefault(table[tag.taxonomy, name_key(tag.name)], tag.source)
    return list(result.items())


async def tag_ids(session: AsyncSession, tags: Sequence[NamedTag]) -> list[tuple[int, str]]:
    return tags_in_order(tags, await tag_table(session, tags))


async def _promote(session: AsyncSession, origins: dict[int, str]) -> None:
    """A tag first inferred and later sent in a list (or loaded) becomes trusted vocabulary."""
    for rank, origin in enumerate(TRUSTED_ORIGINS):
        ids = [tag_id for tag_id, wanted in origins.items() if wanted == origin]
        if ids:
            less_trusted = [*TRUSTED_ORIGINS[rank + 1 :], "inferred"]
            await session.execute(
                update(Tag)
                .where(Tag.id.in_(ids), Tag.origin.in_(less_trusted))
                .values(origin=origin)
            )


async def _resolve_tags(
    session: AsyncSession, wanted: dict[tuple[int, str], NamedTag]
) -> dict[tuple[int, str], int]:
    slugs = {slug for _, slug in wanted}
    taxonomy_set = {tax for tax, _ in wanted}
    direct = await session.execute(
        select(Tag.taxonomy_id, Tag.slug, Tag.id).where(
            Tag.slug.in_(slugs), Tag.taxonomy_id.in_(taxonomy_set)
        )
    )
    aliased = await session.execute(
        select(TagAlias.taxonomy_id, TagAlias.slug, TagAlias.tag_id).where(
            TagAlias.slug.in_(slugs), TagAlias.taxonomy_id.in_(taxonomy_set)
        )
    )
    found = {(tax, slug): tag_id for tax, slug, tag_id in aliased}
    found.update({(tax, slug): tag_id for tax, slug, tag_id in direct})
    return {key: found[key] for key in wanted if key in found}
