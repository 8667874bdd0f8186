"""The article's metadata as the page states it (stub: trafilatura's metadata)."""

from datetime import date

from lxml.html import HtmlElement
from trafilatura.metadata import extract_metadata as trafilatura_metadata

from app.ingest.html.page import PageMetadata


def extract_metadata(tree: HtmlElement, url: str | None) -> PageMetadata:
    found = trafilatura_metadata(tree, default_url=url)
    published = None
    if found.date:
        try:
            published = date.fromisoformat(found.date[:10])
        except ValueError:
            published = None
    authors = tuple(a.strip() for a in (found.author or "").split(";") if a.strip())
    return PageMetadata(
        title=found.title,
        subtitle=found.description,
        authors=authors,
        published_at=published,
        outlet=found.sitename,
        canonical_url=found.url,
        language=None,
        keywords=tuple(found.tags or ()),
        section=found.categories[0] if found.categories else None,
        origins={},
    )
