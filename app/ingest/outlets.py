"""Which outlet an ingested piece is filed under: the name sent or found, and the domain of
the URL the scraper fetched, so that one site's pieces meet under one outlet."""

from rapidfuzz import fuzz
from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.articles.identity import name_key, site_domain
from app.db.models import Outlet
from app.vocabulary.resolve import NamedOutlet

# How alike (0-100, rapidfuzz token_set_ratio on slugs' words) a new spelling must be to the
# name stored for its domain to be that outlet ("Ledger", "The Daily Ledger"); a host that
# serves many outlets (an aggregator, an archive) keeps them apart.
ALIKE_NAMES = 80


async def ingest_outlet(
    session: AsyncSession, name: str | None, fetched_url: str | None
) -> NamedOutlet | None:
    """The outlet to file under. A stored outlet of the same name wins (and learns the domain
    when it has none and no other outlet holds it); else the outlet known by the domain, when
    its name is alike or no name was found; else a new outlet, with the domain if it is free.
    Only the URL the scraper fetched gives a domain: a page's canonical URL may name another
    site (a syndicated copy's original)."""
    domain = site_domain(fetched_url) if fetched_url else None
    by_domain = await _outlet_where(session, Outlet.domain == domain) if domain else None
    if name is None:
        return NamedOutlet(by_domain[0], domain) if by_domain else None
    by_name = await _outlet_where(session, Outlet.slug == name_key(name))
    if by_name is not None:
        learns_domain = by_name[1] is None and by_domain is None
        return NamedOutlet(name, domain if learns_domain else None)
    if by_domain is not None and _alike(name, by_domain[0]):
        return NamedOutlet(by_domain[0], domain)
    return NamedOutlet(name, None if by_domain else domain)


async def _outlet_where(
    session: AsyncSession, condition: ColumnElement[bool]
) -> tuple[str, str | None] | None:
    statement = select(Outlet.name, Outlet.domain).where(condition).order_by(Outlet.id).limit(1)
    row = (await session.execute(statement)).first()
    return (row.name, row.domain) if row else None


def _alike(first: str, second: str) -> bool:
    words = [name_key(name).replace("-", " ").removeprefix("the ") for name in (first, second)]
    return fuzz.token_set_ratio(*words) >= ALIKE_NAMES
