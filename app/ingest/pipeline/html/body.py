"""The article's body: its paragraphs, subheadings, quotes and list items in order.

trafilatura in precision mode finds the article's container; its fast path (no comparison with
other extractors) is enough for most pages, and the full cascade runs only when the fast one
comes back short. The blocks it keeps are then checked for boilerplate it let through."""

import logging
import re
from collections.abc import Iterator, Mapping

from lxml.etree import LxmlError, _Element
from lxml.html import HtmlElement
from trafilatura import bare_extraction

from app.ingest.pipeline.html.body_repair import recover_split_body
from app.ingest.pipeline.html.boilerplate import PageClues, find_boilerplate
from app.ingest.pipeline.html.oversized import is_oversized, plain_paragraphs
from app.ingest.pipeline.html.page import ExtractedBody, PageMetadata

logger = logging.getLogger(__name__)

# Below this, the fast path probably missed the article (a short note is rarely shorter).
SHORT_BODY_CHARS = 500
MAX_REMOVED_ENTRIES = 50
REMOVED_PREVIEW_CHARS = 100
# trafilatura's block elements whose children are blocks of their own.
_CONTAINERS = {"list": "item", "table": "row"}
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Elements trafilatura deletes whole anyway (its cleaning list, less form, figure, math and head,
# which it inspects first), pruned from its own copy of the page before its raw-tree regular
# expression passes and its further copies spend time on them. JSON-LD stays (it marks forum
# threads), and so does an element holding an h1 (trafilatura keeps a scroll container that
# holds the headline).
# One string, each name between bars: XPath 1.0 tests membership with contains().
DISCARDED_TAGS = (
    "|aside|embed|fencedframe|footer|iframe|menu|object|script|applet|audio|canvas|map|picture|svg"
    "|video|area|blink|button|datalist|dialog|frame|frameset|fieldset|link|input|label|legend"
    "|marquee|menuitem|nav|noindex|noscript|optgroup|option|output|param|progress|rp|rt|rtc"
    "|select|source|style|track|textarea|time|use|"
)
_DISCARDED_XPATH = (
    f"//*[contains('{DISCARDED_TAGS}', concat('|', local-name(), '|'))]"
    "[not(self::script[@type='application/ld+json'])][not(.//h1)]"
    " | //head/*[not(self::script)]"
)


def _clean(text: str) -> str:
    return " ".join(_CONTROL_CHARS.sub(" ", text).split())


def _split(text: str | None) -> Iterator[str]:
    return (cleaned for line in (text or "").split("\n") if (cleaned := _clean(line)))


def _lines(element: _Element) -> Iterator[str]:
    """The element's text, split where the page had line breaks, table cells kept apart."""
    for line_break in element.iter("lb"):
        line_break.tail = "\n" + (line_break.tail or "")
    for cell in element.iter("cell"):
        cell.tail = " " + (cell.tail or "")
    yield from _split("".join(element.itertext()))


def _blocks(body: _Element) -> Iterator[str]:
    # Text between trafilatura's blocks (an element's tail) is a paragraph of its own.
    yield from _split(body.text)
    for element in body:
        inner = _CONTAINERS.get(str(element.tag))
        parts = element.iterchildren(inner) if inner else (element,)
        for part in parts:
            yield from _lines(part)
        yield from _split(element.tail)


def _trafilatura_blocks(tree: HtmlElement, url: str | None, fast: bool) -> list[str]:
    # bare_extraction copies a tree it is handed: the shared tree stays as the caller left it.
    # Only its body tree is read: "txt" spares the plain-text rendering the "python" format makes.
    document = bare_extraction(
        tree,
        url=url,
        fast=fast,
        favor_precision=True,
        include_comments=False,
        output_format="txt",
        with_metadata=False,
        prune_xpath=_DISCARDED_XPATH,
    )
    body = getattr(document, "body", None)
    return list(_blocks(body)) if body is not None else []


def _page_clues(tree: HtmlElement, metadata: PageMetadata) -> PageClues:
    headlines = [metadata.title] if metadata.title else []
    headlines.extend(h1.text_content() for h1 in tree.iter("h1"))
    return PageClues(
        headlines=headlines,
        authors=metadata.authors,
        link_texts={_clean(link.text_content()) for link in tree.iter("a")},
        published=metadata.published_at,
    )


def _preview(text: str, reason: str) -> Mapping[str, str]:
    return {"text": text[:REMOVED_PREVIEW_CHARS], "reason": reason}


def _article_blocks(tree: HtmlElement, url: str | None) -> tuple[list[str], str]:
    """The article's blocks before boilerplate checks, and the strategy that found them."""
    extractor = "trafilatura-precision-fast"
    blocks = _trafilatura_blocks(tree, url, fast=True)
    if sum(map(len, blocks)) < SHORT_BODY_CHARS:
        cascade = _trafilatura_blocks(tree, url, fast=False)
        if sum(map(len, cascade)) > sum(map(len, blocks)):
            blocks, extractor = cascade, "trafilatura-precision-cascade"
    if (whole := recover_split_body(tree, blocks)) is not None:
        blocks, extractor = whole, extractor + "+split-body"
    return blocks, extractor


def _extract(tree: HtmlElement, url: str | None, metadata: PageMetadata) -> ExtractedBody:
    if is_oversized(tree):
        paragraphs = (_clean(text) for text in plain_paragraphs(tree))
        return ExtractedBody(paragraphs=tuple(filter(None, paragraphs)), extractor="plain-text")
    blocks, extractor = _article_blocks(tree, url)
    verdicts = find_boilerplate(blocks, _page_clues(tree, metadata))
    cut = {verdict.index for verdict in verdicts}
    return ExtractedBody(
        paragraphs=tuple(text for index, text in enumerate(blocks) if index not in cut),
        removed=tuple(_preview(blocks[v.index], v.reason) for v in verdicts[:MAX_REMOVED_ENTRIES]),
        extractor=extractor,
    )


def extract_body(tree: HtmlElement, url: str | None, metadata: PageMetadata) -> ExtractedBody:
    """The article's text as paragraphs; an empty body, never an error, for a page without one."""
    try:
        return _extract(tree, url, metadata)
    except (LxmlError, RecursionError, ValueError, TypeError, AttributeError, LookupError) as error:
        # A hostile or broken page; the extraction libraries raise whatever their parsers do.
        logger.warning("body extraction failed for %s: %r", url, error)
        return ExtractedBody(paragraphs=(), extractor="none")
