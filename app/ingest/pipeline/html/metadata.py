"""The article's metadata as the page states it, strongest evidence first for each field; the
tree is only read (the body extractor runs on it next)."""

from datetime import date
from typing import TypeVar

from lxml.html import HtmlElement

from app.ingest.pipeline.html.byline import find_authors
from app.ingest.pipeline.html.json_ld import JsonLdFacts, read_json_ld
from app.ingest.pipeline.html.meta_tags import MetaTags, read_meta_tags
from app.ingest.pipeline.html.outlet import choose_outlet, site_name_candidates
from app.ingest.pipeline.html.page import PageMetadata
from app.ingest.pipeline.html.page_facts import (
    canonical_url,
    page_keywords,
    page_language,
    page_section,
    page_subtitle,
)
from app.ingest.pipeline.html.page_index import PageIndex, index_page
from app.ingest.pipeline.html.published import (
    parse_machine_date,
    published_from_dateline,
    published_from_markup,
    published_from_meta,
    published_from_url,
)
from app.ingest.pipeline.html.site_names import site_key
from app.ingest.pipeline.html.title import Headline, find_headline

_Value = TypeVar("_Value")


def extract_metadata(tree: HtmlElement, url: str | None) -> PageMetadata:
    index = index_page(tree)
    meta = read_meta_tags(index)
    json_ld = read_json_ld(index)
    names = site_name_candidates(index, meta, json_ld, url)
    site_keys = frozenset(site_key(candidate.name) for candidate in names)
    outlet = choose_outlet(names, url)
    headline = find_headline(index, meta, json_ld, site_keys)
    byline, byline_origin = find_authors(index, meta, json_ld, site_keys)
    keywords, keywords_origin = page_keywords(meta, json_ld)
    origins = _Origins(authors=byline_origin, keywords=keywords_origin)
    return PageMetadata(
        title=origins.take("title", (headline.text, headline.origin) if headline else None),
        subtitle=origins.take("subtitle", page_subtitle(meta, json_ld)),
        authors=byline.people,
        credit=byline.credit,
        published_at=origins.take("published_at", _published(index, meta, json_ld, headline, url)),
        outlet=origins.take("outlet", (outlet.name, outlet.origin) if outlet else None),
        canonical_url=origins.take("canonical_url", canonical_url(meta, json_ld, url)),
        language=origins.take("language", page_language(tree, meta, json_ld)),
        keywords=keywords,
        section=origins.take("section", page_section(meta, json_ld)),
        origins=dict(origins),
    )


class _Origins(dict[str, str]):
    """Where each found field came from; fields found nowhere are left out."""

    def __init__(self, **known: str | None) -> None:
        super().__init__({field: origin for field, origin in known.items() if origin})

    def take(self, field: str, found: tuple[_Value, str] | None) -> _Value | None:
        if found is None:
            return None
        self[field] = found[1]
        return found[0]


def _published(
    index: PageIndex,
    meta: MetaTags,
    json_ld: JsonLdFacts,
    headline: Headline | None,
    url: str | None,
) -> tuple[date, str] | None:
    if json_ld.published and (day := parse_machine_date(json_ld.published[:100])):
        return day, "json-ld"
    if day := published_from_meta(meta):
        return day, "meta"
    if found := published_from_markup(index):
        return found
    element = headline.element if headline else None
    if day := published_from_dateline(element):
        return day, "dateline"
    if day := published_from_url(url):
        return day, "url"
    if day := published_from_dateline(element, axis="preceding"):
        return day, "dateline"
    return None
