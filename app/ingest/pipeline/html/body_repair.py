"""Recovering the rest of an article whose text the page splits into several containers.

Pages often cut the story into chunks between ads, pull quotes or embeds: sibling containers
with the same tag and class. An extractor that settles on one container keeps only that chunk.
The chunks are found from the paragraphs already extracted, and their other paragraphs are put
back in document order, only when they are plainly prose and add a good share of text."""

from collections.abc import Sequence
from dataclasses import dataclass

from lxml.html import HtmlElement

# A chunk paragraph must read as prose, not a credit line or a "Need help?" link.
MIN_PROSE_CHARS = 80
MAX_LINK_SHARE = 0.3
# Recovered only when the chunks are the story going on, not a stray caption or teaser.
MIN_RECOVERED_PARAGRAPHS = 3
MIN_RECOVERED_SHARE = 0.25


@dataclass(frozen=True, slots=True)
class _Paragraph:
    position: int
    text: str
    element: HtmlElement


def _squash(text: str) -> str:
    return " ".join(text.split())


def _signature(element: HtmlElement) -> tuple[str, str] | None:
    parent = element.getparent()
    if parent is None or not parent.get("class"):
        return None
    return str(parent.tag), parent.get("class", "")


def _is_prose(paragraph: _Paragraph) -> bool:
    text = paragraph.text
    link_chars = sum(len(link.text_content()) for link in paragraph.element.iter("a"))
    return len(text) >= MIN_PROSE_CHARS and link_chars <= MAX_LINK_SHARE * len(text)


def _missing_chunks(page: Sequence[_Paragraph], blocks: Sequence[str]) -> list[_Paragraph]:
    """Prose paragraphs in other containers shaped like those the extracted ones came from."""
    extracted = set(blocks)
    anchors = [p for p in page if p.text in extracted]
    shapes = {sig for p in anchors if (sig := _signature(p.element)) is not None}
    used_parents = {p.element.getparent() for p in anchors}
    return [
        p
        for p in page
        if p.text not in extracted
        and p.element.getparent() not in used_parents
        and _signature(p.element) in shapes
        and _is_prose(p)
    ]


def _in_document_order(
    page: Sequence[_Paragraph], blocks: Sequence[str], missing: list[_Paragraph]
) -> list[str]:
    # A block with no <p> of its own (a heading, a list item) stays after the block before it.
    position = {p.text: p.position for p in page}
    merged: list[str] = []
    pending = sorted(missing, key=lambda p: p.position)
    for block in blocks:
        here = position.get(block)
        while here is not None and pending and pending[0].position < here:
            merged.append(pending.pop(0).text)
        merged.append(block)
    merged.extend(p.text for p in pending)
    return merged


def recover_split_body(tree: HtmlElement, blocks: Sequence[str]) -> list[str] | None:
    """The blocks with the article's other chunks put back, or None when none are missing."""
    page = [
        _Paragraph(position, _squash(element.text_content()), element)
        for position, element in enumerate(tree.iter("p"))
    ]
    missing = _missing_chunks(page, blocks)
    recovered_chars = sum(len(p.text) for p in missing)
    if len(missing) < MIN_RECOVERED_PARAGRAPHS or recovered_chars < MIN_RECOVERED_SHARE * sum(
        map(len, blocks)
    ):
        return None
    return _in_document_order(page, blocks, missing)
