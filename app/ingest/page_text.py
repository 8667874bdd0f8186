"""Whole-page visible text (navigation, teasers, banners and footers around the article, as
innerText or html-text give it): recognised, and the article found in it. A clean scrape opens
with its `date | outlet` header and is all article; a page's text is mostly short menu and link
lines, and opens with the document title, which the headline repeats further down."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from app.ingest.header import Header, parse_byline, parse_dateline
from app.ingest.normalise import fold
from app.ingest.page_lines import (
    best_region,
    is_chrome,
    is_sentence,
    is_tail_heading,
    scores,
    words,
)
from app.ingest.page_title import find_title, is_title_shaped
from app.ingest.report import ParseReport

# A menu line: short, no sentence end. A clean scrape has a few (header, tag lines); a page
# has dozens, and different ones.
_MENU_LINE_CHARS = 40
_MIN_MENU_LINES = 8
_MIN_MENU_SHARE = 0.2
_HEADER_LINES = 3
# Where the byline and the dateline may sit: between the headline and the body, or this many
# lines into the body.
_META_INTO_BODY = 3
_MAX_META_LINE = 120


@dataclass(frozen=True, slots=True)
class PageArticle:
    header: Header
    body: list[str]


def looks_like_page_text(lines: Sequence[str]) -> bool:
    """Cheap: one pass over line lengths, a set of the menu-shaped ones."""
    menu = {
        fold(line)
        for line in lines
        if len(line) <= _MENU_LINE_CHARS and not is_sentence(line) and not line.endswith(",")
    }
    if len(menu) >= _MIN_MENU_LINES and len(menu) >= _MIN_MENU_SHARE * len(lines):
        return True
    return _headline_repeats_document_title(lines)


def _headline_repeats_document_title(lines: Sequence[str]) -> bool:
    """No dateline opens it, and a later line is the first line or a part of it."""
    if len(lines) < 2 * _HEADER_LINES or any(
        parse_dateline(line) for line in lines[:_HEADER_LINES]
    ):
        return False
    first = f" {fold(lines[0])} "
    return any(
        is_title_shaped(line) and f" {fold(line)} " in first
        for line in lines[1 : len(lines) // 2]
        if len(line) >= len(lines[0]) // 3
    )


def read_page(lines: Sequence[str], url: str | None, report: ParseReport) -> PageArticle:
    """The article inside a page's text: headline, byline, dateline and body lines."""
    start, end = best_region(scores(lines))
    start, end = _cut_at_tail(lines, start, end)
    found_title = find_title(lines, start, url)
    title_at = found_title[0] if found_title else -1
    meta_start = title_at + 1 if title_at > 0 else start
    meta_end = min(end, start + _META_INTO_BODY)
    byline, day, outlet, meta_lines = _metadata(lines[meta_start:meta_end])
    body = [
        line
        for index, line in enumerate(lines[start:end], start)
        if index not in {meta_start + at for at in meta_lines} and _keep(line)
    ]
    _summarise_removed(lines, start, end, len(body), report)
    report.header = {
        "found_by": "page text: the densest run of prose is the article",
        "title_found_by": _title_how(title_at),
    }
    if found_title is None:
        report.missing.append("title")
    if day is None:
        report.missing.append("published_at")
    if outlet is None:
        report.missing.append("outlet")
    title = found_title[1] if found_title else None
    return PageArticle(Header(day, outlet, title, None, byline, 0), body)


def _cut_at_tail(lines: Sequence[str], start: int, end: int) -> tuple[int, int]:
    """The article ends where comments or other stories begin."""
    for index in range(start + 1, end):
        if is_tail_heading(lines[index]):
            return start, index
    return start, end


def _metadata(
    lines: Sequence[str],
) -> tuple[tuple[str, ...], date | None, str | None, set[int]]:
    byline: tuple[str, ...] = ()
    day: date | None = None
    outlet: str | None = None
    used: set[int] = set()
    for index, line in enumerate(lines):
        if len(line) > _MAX_META_LINE:
            continue
        if not byline and (names := parse_byline(line)):
            byline = names
            used.add(index)
        elif day is None and (found := parse_dateline(line)):
            day, outlet = found
            used.add(index)
    return byline, day, outlet, used


def _keep(line: str) -> bool:
    return not is_chrome(line)


def _title_how(title_at: int) -> str:
    if title_at > 0:
        return "the heading that repeats the document title or the URL slug"
    if title_at == 0:
        return "the document title (first line) without its site name"
    return "not found"


def _summarise_removed(
    lines: Sequence[str], start: int, end: int, kept: int, report: ParseReport
) -> None:
    report.removed(
        " / ".join(lines[:start][:5]),
        f"page chrome before the article ({start} lines)",
    )
    if end < len(lines):
        report.removed(
            " / ".join(lines[end:][:5]),
            f"page chrome after the article ({len(lines) - end} lines)",
        )
    if dropped := end - start - kept:
        report.removed(
            " / ".join(line for line in lines[start:end] if not _keep(line))[:300],
            f"chrome inside the article ({dropped} lines)",
        )


__all__ = ["PageArticle", "looks_like_page_text", "read_page", "words"]
