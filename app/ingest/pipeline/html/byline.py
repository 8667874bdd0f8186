"""The article's authors: the displayed byline (rel=author, itemprop=author, class or id with
`byline`/`author`), checked against the structured authors (JSON-LD, author meta tags). A
structured author counts only when the page displays the name: JSON-LD often names the CMS
account that posted the page, not a byline."""

import re
from collections.abc import Iterator

from lxml import etree
from lxml.html import HtmlElement

from app.ingest.pipeline.html.agencies import is_agency
from app.ingest.pipeline.html.furniture import in_furniture
from app.ingest.pipeline.html.json_ld import JsonLdFacts
from app.ingest.pipeline.html.meta_tags import MetaTags
from app.ingest.pipeline.html.names import Byline, parse_byline_pieces, parse_byline_text
from app.ingest.pipeline.html.page_index import PageIndex

AUTHOR_META = (
    "author",
    "article:author",
    "dc.creator",
    "dcterms.creator",
    "author.name",
    "sailthru.author",
    "parsely-author",
    "byl",
)
# Parts of an author box that hold no name: pictures and biographies.
_NOT_A_NAME_PART = re.compile(r"avatar|image|img|thumb|photo|bio|desc", re.IGNORECASE)
_MAX_BYLINE_CHARS = 300
_NOT_TEXT = frozenset({"script", "style", "noscript", "img"})
_TEXT_HOLDING = etree.XPath(
    ".//text()[contains(., $a) or contains(., $b) or contains(., $c)]"
    "[not(parent::script or parent::style or parent::noscript)]"
)


def find_authors(
    index: PageIndex, meta: MetaTags, json_ld: JsonLdFacts, site_keys: frozenset[str]
) -> tuple[Byline, str | None]:
    """(the byline's people and credit, where they came from). The displayed byline spells the
    names as shown ("Troy L. Smith", all co-authors); the structured authors overrule it only
    when they are displayed too and share no name with it (it was another article's byline)."""
    displayed = displayed_byline(index, site_keys)
    structured, structured_origin = _structured_byline(meta, json_ld, site_keys)
    confirmed = tuple(name for name in structured.people if _is_displayed(index, name))
    credit = displayed.credit or structured.credit
    if displayed.people and (not confirmed or _overlap(confirmed, displayed.people)):
        return displayed, "byline"
    if confirmed:
        return Byline(confirmed, credit), structured_origin
    if credit:
        return Byline((), credit), "byline" if displayed.credit else structured_origin
    return Byline(), None


def displayed_byline(index: PageIndex, site_keys: frozenset[str]) -> Byline:
    """The first byline block (document order, outside page furniture) that names someone;
    inside it, its innermost author elements, one name each, else its whole text."""
    candidates = [e for e in index.marked if _may_hold_a_name(e) and _marks_author(e)]
    marked = set(candidates)
    covered: set[HtmlElement] = set()
    for element in candidates:
        if element in covered:
            continue
        inner = [d for d in element.iterdescendants() if d in marked]
        covered.update(inner)
        text = _text(element)
        # Furniture is judged only here, for the few blocks read: walking every candidate's
        # ancestors costs more than the rest of the extraction on some pages.
        if len(text) > _MAX_BYLINE_CHARS or in_furniture(element):
            continue
        leaves = [_text(d) for d in inner if not any(x in marked for x in d.iterdescendants())]
        from_leaves = parse_byline_pieces([t for t in leaves if t], site_keys)
        if from_leaves.people:
            return from_leaves
        if byline := parse_byline_text(text, site_keys) or from_leaves:
            return byline
    return Byline()


def _may_hold_a_name(element: HtmlElement) -> bool:
    return element.tag not in _NOT_TEXT and not _NOT_A_NAME_PART.search(element.get("class") or "")


def _marks_author(element: HtmlElement) -> bool:
    """Marked as an author or byline, not only as a publication date."""
    marks = " ".join(element.get(name) or "" for name in ("class", "id", "rel", "itemprop"))
    return "author" in marks.lower() or "byline" in marks.lower()


def _text(element: HtmlElement) -> str:
    if element.tag == "meta":
        return " ".join((element.get("content") or "").split())
    return " ".join(" ".join(element.itertext()).split())[: _MAX_BYLINE_CHARS + 1]


def _structured_byline(
    meta: MetaTags, json_ld: JsonLdFacts, site_keys: frozenset[str]
) -> tuple[Byline, str]:
    people: list[str] = []
    credit = None
    for name, is_person in _structured_names(meta, json_ld):
        byline = parse_byline_text(name, site_keys)
        if is_person:
            people.extend(p for p in byline.people if p not in people)
        credit = credit or byline.credit or (name if is_agency(name) else None)
    origin = "json-ld" if json_ld.authors else "meta"
    return Byline(tuple(people), credit), origin


def _structured_names(meta: MetaTags, json_ld: JsonLdFacts) -> Iterator[tuple[str, bool]]:
    """JSON-LD's authors; the author meta tags only without them (those often name the
    site's owner: "Condé Nast")."""
    for author in json_ld.authors:
        yield author.name, author.is_person
    if any(author.is_person for author in json_ld.authors):
        return
    for name in AUTHOR_META:
        for value in meta.all(name):
            if not value.lower().startswith(("http:", "https:", "//", "www.")):
                yield value, True


def _is_displayed(index: PageIndex, name: str) -> bool:
    """Whether the page's visible text shows the name (scripts and styles are not shown).
    Text nodes holding its last word, in any of its usual cases, are found by XPath; the whole
    name is then looked for around them (a name may span a link and its surroundings)."""
    bodies = index.tagged("body")
    words = name.split()
    if not bodies or not words:
        return False
    last = words[-1]
    found = _TEXT_HOLDING(bodies[0], a=last, b=last.upper(), c=last.capitalize())
    wanted = " ".join(words).casefold()
    for text in found if isinstance(found, list) else []:
        around = _surroundings(text)
        if around is not None and wanted in " ".join(around.text_content().split()).casefold():
            return True
    return False


def _surroundings(text: object) -> HtmlElement | None:
    """The box around a text node's element: a name may span a link and the text beside it."""
    if not isinstance(text, etree._ElementUnicodeResult):
        return None
    holder = text.getparent()
    if not isinstance(holder, HtmlElement):
        return None
    box = holder.getparent()
    return box if box is not None else holder


def _overlap(names: tuple[str, ...], others: tuple[str, ...]) -> bool:
    words = {w.casefold().strip(".") for name in names for w in name.split()}
    return any(w.casefold().strip(".") in words for name in others for w in name.split())
