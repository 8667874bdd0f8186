"""The headline as the page displays it. The visible `<h1>` wins over `<title>` and og:title
(those are often an SEO variant, and carry the site's name); a heading that only repeats the
site's name, sits in navigation or a logo link is not the headline."""

import re
from dataclasses import dataclass

from lxml import etree
from lxml.html import HtmlElement

from app.ingest.pipeline.html.furniture import FURNITURE_TAGS, in_furniture
from app.ingest.pipeline.html.json_ld import JsonLdFacts
from app.ingest.pipeline.html.meta_tags import MetaTags
from app.ingest.pipeline.html.page_index import PageIndex
from app.ingest.pipeline.html.site_names import site_key, strip_site_name

TITLE_META = ("og:title", "twitter:title", "title", "dc.title", "dcterms.title")
# A heading inside a link or a control is a logo or a menu entry.
_FURNITURE_TAGS = FURNITURE_TAGS | {"a", "button", "label"}
_FURNITURE_TOKEN = re.compile(
    r"^(?:comment|related|sidebar|footer|nav|menu|logo)|(?:related|menu|logo)$"
)
_TEXT_EQUALS = etree.XPath(".//text()[normalize-space(.) = $text][position() = 1]")
_WORD = re.compile(r"\w+")
_MAX_HEADLINE_CHARS = 400
_MAX_HEADINGS = 40


@dataclass(frozen=True, slots=True)
class Headline:
    text: str
    origin: str
    element: HtmlElement | None = None


def find_headline(
    index: PageIndex, meta: MetaTags, json_ld: JsonLdFacts, site_keys: frozenset[str]
) -> Headline | None:
    stated = _stated_titles(index, meta, json_ld, site_keys)
    h1s = _headings(index, "h1", site_keys)
    stated_keys = {_key(text) for text, _ in stated}
    for level, headings in (("h1", h1s), ("h2", _headings(index, "h2", site_keys))):
        for element, text in headings:
            if _key(text) in stated_keys:
                return Headline(text, level, element)
    if h1s:
        element, text = max(h1s, key=lambda h1: _shared_words(h1[1], stated))
        if not stated or _shared_words(text, stated):
            return Headline(text, "h1", element)
    if stated:
        text, origin = stated[0]
        return Headline(text, origin, _displaying(index, text))
    return None


def _displaying(index: PageIndex, text: str) -> HtmlElement | None:
    """The body element showing a headline that no heading holds (so a dateline can be looked
    for beside it)."""
    body = index.tagged("body")
    if not body:
        return None
    found = _TEXT_EQUALS(body[0], text=text)
    return found[0].getparent() if isinstance(found, list) and found else None


def _stated_titles(
    index: PageIndex, meta: MetaTags, json_ld: JsonLdFacts, site_keys: frozenset[str]
) -> list[tuple[str, str]]:
    """Headlines the metadata states, the site's name taken off: JSON-LD, meta, `<title>`."""
    raw = [(json_ld.headline, "json-ld")]
    raw += [(value, "meta") for name in TITLE_META for value in meta.all(name)]
    raw += [(title.text_content(), "title") for title in index.tagged("title")[:1]]
    stated = []
    for text, origin in raw:
        cleaned = strip_site_name(" ".join((text or "").split()), site_keys)
        if cleaned and site_key(cleaned) not in site_keys:
            stated.append((cleaned[:_MAX_HEADLINE_CHARS], origin))
    return stated


def _headings(
    index: PageIndex, tag: str, site_keys: frozenset[str]
) -> list[tuple[HtmlElement, str]]:
    found: list[tuple[HtmlElement, str]] = []
    for element in index.tagged(tag):
        if len(found) >= _MAX_HEADINGS:
            break
        text = " ".join(element.text_content().split())
        if not text or len(text) > _MAX_HEADLINE_CHARS or site_key(text) in site_keys:
            continue
        if not in_furniture(element, _FURNITURE_TAGS, _FURNITURE_TOKEN):
            found.append((element, text))
    return found


def _key(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))


def _shared_words(text: str, stated: list[tuple[str, str]]) -> int:
    words = set(_WORD.findall(text.casefold()))
    return max((len(words & set(_WORD.findall(s.casefold()))) for s, _ in stated), default=0)
