"""The smaller facts a page states about itself: canonical URL, language, keywords, section,
standfirst."""

import re
from urllib.parse import urljoin, urlsplit

from lxml.html import HtmlElement

from app.ingest.pipeline.html.json_ld import JsonLdFacts
from app.ingest.pipeline.html.meta_tags import MetaTags

MAX_KEYWORDS = 20
_MAX_KEYWORD_CHARS = 60
_MAX_SUBTITLE_CHARS = 600
_LANGUAGE = re.compile(r"^([a-z]{2,3})(?:$|[-_])", re.IGNORECASE)
# A CMS's own switches ("type_news", "channel:other", "ad=off") ride along in keyword lists;
# no tag a reader would use is spelt with these.
_MACHINE_TOKEN = re.compile(r"[_=:/\\{}<>]")
_KEYWORD_SEPARATOR = re.compile(r"[,;|]")
_TAGS = re.compile(r"<[^>]{0,200}>")

KEYWORD_META = ("news_keywords", "keywords", "article:tag", "parsely-tags")
SECTION_META = ("article:section", "section", "parsely-section", "sailthru_section")
SUBTITLE_META = ("og:description", "description", "twitter:description", "dc.description")


def canonical_url(meta: MetaTags, json_ld: JsonLdFacts, url: str | None) -> tuple[str, str] | None:
    """The page's canonical address made absolute against the fetched URL; http(s) only."""
    stated = [(href, "link") for href in meta.links.get("canonical", [])]
    stated += [(value, "meta") for value in meta.all("og:url")]
    stated.append((json_ld.url or "", "json-ld"))
    for href, origin in stated:
        if not href.strip():
            continue
        try:
            absolute = urljoin(url or "", href.strip())
            parts = urlsplit(absolute)
        except ValueError:
            continue
        if parts.scheme in ("http", "https") and parts.hostname:
            return absolute, origin
    return None


def page_language(
    tree: HtmlElement, meta: MetaTags, json_ld: JsonLdFacts
) -> tuple[str, str] | None:
    """The BCP 47 primary subtag, lowercased: `en` for en-US, `pt` for pt_BR."""
    stated = [(tree.get("lang") or tree.get("xml:lang") or "", "html")]
    stated += [
        (value, "meta")
        for name in ("content-language", "og:locale", "language")
        for value in meta.all(name)
    ]
    stated.append((json_ld.language or "", "json-ld"))
    for value, origin in stated:
        if match := _LANGUAGE.match(value.strip()):
            return match.group(1).lower(), origin
    return None


def page_keywords(meta: MetaTags, json_ld: JsonLdFacts) -> tuple[tuple[str, ...], str | None]:
    values = [(value, "meta") for name in KEYWORD_META for value in meta.all(name)]
    values += [(value, "json-ld") for value in json_ld.keywords]
    keywords: dict[str, str] = {}
    origin = None
    for value, source in values:
        for keyword in _KEYWORD_SEPARATOR.split(value):
            keyword = " ".join(keyword.split())
            readable = len(keyword) <= _MAX_KEYWORD_CHARS and not _MACHINE_TOKEN.search(keyword)
            if keyword and readable:
                keywords.setdefault(keyword.casefold(), keyword)
                origin = origin or source
    return tuple(keywords.values())[:MAX_KEYWORDS], origin


def page_section(meta: MetaTags, json_ld: JsonLdFacts) -> tuple[str, str] | None:
    """The first section named (pages list several: "news,crime-news")."""
    found = meta.first(SECTION_META)
    stated = (found[1], "meta") if found else (json_ld.section or "", "json-ld")
    section = _KEYWORD_SEPARATOR.split(stated[0])[0].strip()
    return (section, stated[1]) if section else None


def page_subtitle(meta: MetaTags, json_ld: JsonLdFacts) -> tuple[str, str] | None:
    """The standfirst or description, markup stripped (some CMSs leave `<p>` in it)."""
    stated = [(value, "meta") for name in SUBTITLE_META for value in meta.all(name)]
    stated.append((json_ld.description or "", "json-ld"))
    for value, origin in stated:
        text = " ".join(_TAGS.sub(" ", value).split())
        if text:
            return text[:_MAX_SUBTITLE_CHARS], origin
    return None
