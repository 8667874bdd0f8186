"""Whole-page visible text or a clean scrape? A clean scrape opens with its `date | outlet`
header or its byline and is all article. A page shows several signs at once: many short menu
lines in runs (navigation, footer columns, boxes of links), chrome (ad slots, share bars, a
copyright or cookie footer) and the document title first, which the headline repeats further
down. Any one sign alone also turns up in articles (a table of results is all short lines, a
wire story ends "© Reuters", a subheading can repeat the title), so it takes two."""

import re
from collections.abc import Sequence

from app.ingest.pipeline.header import parse_byline, parse_dateline
from app.ingest.pipeline.page_lines import credit_in, is_chrome, is_footer, is_sentence
from app.ingest.pipeline.page_title import is_title_shaped, without_site

_HEADER_LINES = 3
_BYLINE_START = re.compile(r"^by\b", re.IGNORECASE)
# A menu line: short, no sentence end. A clean scrape has a few (header, tag lines); a page
# has dozens, and different ones.
_MENU_LINE_CHARS = 40
_MIN_MENU_LINES = 8
_MIN_MENU_SHARE = 0.15
# An article's list is no menu: the short lines under a line that announces them ("The
# winners:"), up to this many (a page's "Search for:" box runs on into its menus), and lines
# marked as items ("• ", "- ", "1. ").
_MAX_LIST_ITEMS = 30
_LIST_ITEM = re.compile(r"^(?:[•·▪◦*–—-]|\d{1,2}[.)])\s")
# A page's menus come in runs of short lines, several of them; an article has a list or two.
_RUN_LINES = 3
_MIN_RUNS = 3
# Chrome: a footer (copyright, privacy, cookies, newsletter), or a few lines of any kind; an
# article may hold an ad slot and a "Tags:" line.
_MIN_CHROME_LINES = 3
_MIN_SIGNS = 2


def looks_like_page_text(lines: Sequence[str]) -> bool:
    """Cheap: the opening lines' header (parsed and cached for the header anyway), then a pass
    or two over the lines. A dateline or a byline at the top is a clean scrape's header,
    whatever follows it."""
    if any(_is_header_line(line) for line in lines[:_HEADER_LINES]):
        return False
    menu = _menu_lines(lines)
    signs = (
        _menu_shaped(lines, menu),
        _runs(menu) >= _MIN_RUNS,
        _has_chrome(lines),
        _headline_repeats_document_title(lines),
    )
    return sum(signs) >= _MIN_SIGNS


def _is_header_line(line: str) -> bool:
    if parse_dateline(line):
        return True
    # "By Maria Lopez", "By Maria Lopez | The Ledger"; not a title with "by" inside it.
    return _BYLINE_START.match(line) is not None and bool(parse_byline(line) or credit_in(line))


def _menu_lines(lines: Sequence[str]) -> list[bool]:
    """Whether each line is shaped like a menu's, not counting an article's lists."""
    flags: list[bool] = []
    listed = 0  # how many more short lines the last announcing line may have
    for line in lines:
        short = _is_short(line)
        if short and (listed > 0 or _LIST_ITEM.match(line)):
            listed -= 1
            flags.append(False)
            continue
        listed = _MAX_LIST_ITEMS if line.endswith(":") else 0
        flags.append(short)
    _unflag_framed_runs(lines, flags)
    return flags


def _is_short(line: str) -> bool:
    return len(line) <= _MENU_LINE_CHARS and not is_sentence(line) and not line.endswith(",")


def _unflag_framed_runs(lines: Sequence[str], flags: list[bool]) -> None:
    """A run of short lines with prose just above and just below it is the article's table or
    list (results under a heading, say); a page's menus sit among other chrome."""
    start = 0
    while start < len(flags):
        if not flags[start]:
            start += 1
            continue
        end = start
        while end < len(flags) and flags[end]:
            end += 1
        if start > 0 and end < len(lines) and _is_prose(lines[start - 1]) and _is_prose(lines[end]):
            flags[start:end] = [False] * (end - start)
        start = end


def _is_prose(line: str) -> bool:
    return len(line) > _MENU_LINE_CHARS and is_sentence(line)


def _menu_shaped(lines: Sequence[str], menu: Sequence[bool]) -> bool:
    distinct = {line.casefold() for line, flag in zip(lines, menu, strict=True) if flag}
    return len(distinct) >= max(_MIN_MENU_LINES, _MIN_MENU_SHARE * len(lines))


def _runs(menu: Sequence[bool]) -> int:
    """Runs of at least _RUN_LINES menu lines in a row."""
    runs, length = 0, 0
    for flag in [*menu, False]:
        if flag:
            length += 1
            continue
        runs += length >= _RUN_LINES
        length = 0
    return runs


def _has_chrome(lines: Sequence[str]) -> bool:
    chrome = [line for line in lines if is_chrome(line)]
    return len(chrome) >= _MIN_CHROME_LINES or any(is_footer(line) for line in chrome)


def _headline_repeats_document_title(lines: Sequence[str]) -> bool:
    """A later line is the first line or most of it: the headline under the document title.
    The line right under the first is a scraper's doubled title, not a headline below menus."""
    if len(lines) < 2 * _HEADER_LINES:
        return False
    first = f" {lines[0].casefold()} "
    shortest = len(without_site(lines[0])) // 2
    return any(
        shortest <= len(line) <= len(lines[0])
        and f" {line.casefold()} " in first
        and is_title_shaped(line)
        for line in lines[2 : len(lines) // 2]
    )
