"""Whole-page visible text (navigation, teasers, banners and footers around the article, as
innerText or html-text give it, recognised by `page_kind`): the article found in it."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from app.ingest.pipeline.header import Header, parse_byline, parse_dateline
from app.ingest.pipeline.page_lines import (
    CHROME_COST,
    credit_in,
    day_in,
    is_chrome,
    is_marked_down_lead,
    scores,
)
from app.ingest.pipeline.page_region import best_region, best_runs, trim_edges
from app.ingest.pipeline.page_title import document_headline, headline_above, headline_candidates
from app.ingest.pipeline.report import ParseReport

# Where the byline and the dateline may sit: just above the headline (a kicker and a date),
# between it and the body, or this many lines into the body.
_META_ABOVE_TITLE = 2
_META_INTO_BODY = 3
_MAX_META_LINE = 120
# The article begins within this many lines of its headline (byline, date, share buttons and
# a picture's caption come between), after at most a few lines of prose that are not it, and
# holds at least this share of the page's best prose.
_BODY_WITHIN = 10
_PROSE_BEFORE_BODY = 3
_MIN_PROSE_SHARE = 0.1
_MIN_BODY_WORDS = 60
_SAMPLE_LINES = 5
# An announced list's items: some words each, none of them chrome or a heading.
_MIN_LIST_ITEM_WORDS = 3


@dataclass(frozen=True, slots=True)
class PageArticle:
    header: Header
    body: list[str]


def read_page(lines: Sequence[str], url: str | None, report: ParseReport) -> PageArticle:
    """The article inside a page's text: headline, byline, dateline and body lines."""
    values = scores(lines)
    candidates = headline_candidates(lines, url)
    title_at, start, end = _article_span(values, candidates)
    start, end = trim_edges(values, start, end)
    end = _with_announced_list(lines, values, end)
    how = "the heading above the body that repeats the document title or the URL slug"
    if title_at < 0:
        title_at, how = _headline_for(lines, start, candidates)
    start = _with_lead(lines, title_at, start)
    above = max(1, title_at - _META_ABOVE_TITLE) if title_at > 0 else start
    where = [i for i in range(above, min(end, start + _META_INTO_BODY)) if i != title_at]
    byline, day, outlet, metadata = _metadata(lines, where)
    body: list[str] = []
    dropped: list[str] = []
    for index in range(start, end):
        if index not in metadata:
            (dropped if is_chrome(lines[index]) else body).append(lines[index])
    _summarise_removed(lines[:start], lines[end:], dropped, report)
    title = lines[title_at] if title_at > 0 else document_headline(lines, start)
    report.header = {
        "found_by": "page text: the densest run of prose is the article",
        "title_found_by": how if title is not None else "not found",
    }
    for field, value in (("title", title), ("published_at", day), ("outlet", outlet)):
        if value is None:
            report.missing.append(field)
    return PageArticle(Header(day, outlet, title, None, byline, 0), body)


def _article_span(
    values: Sequence[float], candidates: Sequence[tuple[float, int]]
) -> tuple[int, int, int]:
    """(headline index or -1, body start, body end). The body is the run of lines with the
    most prose that starts just below a headline; failing one, the page's best run."""
    start, end = best_region(values, _MIN_BODY_WORDS)
    page_best = sum(values[start:end])
    runs = best_runs(values)
    enough = min(_MIN_PROSE_SHARE * page_best, _MIN_BODY_WORDS)
    best: tuple[float, int, int, int] | None = None
    for agreement, title_at in candidates:
        run_start = _body_below(values, runs, title_at, enough)
        if run_start is None:
            continue
        # The best agreeing headline; of equals, the first: the same headline lower down heads
        # a share box or a teaser.
        if best is None or agreement > best[0]:
            best = (agreement, title_at, run_start, runs[run_start][1])
    if best is None:
        return -1, start, end
    return best[1:]


def _with_announced_list(lines: Sequence[str], values: Sequence[float], end: int) -> int:
    """The body's end moved past the list its last line, or the line just after it, announces
    ("The tour dates:"): the lines of a few words each that follow, up to the first chrome or
    heading."""
    if not 0 < end < len(lines):
        return end
    announced = end + 1 if lines[end].endswith(":") and values[end] > -CHROME_COST else end
    if not lines[announced - 1].endswith(":"):
        return end
    items_end = announced
    while (
        items_end < len(lines)
        and values[items_end] > -CHROME_COST
        and len(lines[items_end].split()) >= _MIN_LIST_ITEM_WORDS
    ):
        items_end += 1
    return items_end if items_end > announced else end


def _with_lead(lines: Sequence[str], title_at: int, start: int) -> int:
    """The body's start moved up over the lines just above it, below the headline, that are
    prose the teaser rule marked down: the article's lead paragraph."""
    while start - 1 > title_at >= 0 and is_marked_down_lead(lines[start - 1]):
        start -= 1
    return start


def _headline_for(
    lines: Sequence[str], start: int, candidates: Sequence[tuple[float, int]]
) -> tuple[int, str]:
    """(index or -1, how) of a headline for a body no headline candidate was anchored to: the
    best agreeing one above it (the nearest of equals), else the nearest headline-shaped line
    above it, else the document title (-1)."""
    above = [candidate for candidate in candidates if candidate[1] < start]
    if above:
        return max(above)[1], "the line above the body that agrees best with the title or slug"
    found = headline_above(lines, start)
    if found is not None:
        return found, "the nearest headline-shaped line above the body"
    return -1, "the document title (first line) without its site name"


def _body_below(
    values: Sequence[float], runs: Sequence[tuple[float, int]], title_at: int, enough: float
) -> int | None:
    """Where the body begins below a headline: the first prose line that starts enough prose,
    past any amount of chrome (share bars, players, captions' credits) but only a few prose
    lines (a standfirst, a caption) that do not."""
    prose_lines = 0
    for index in range(title_at + 1, min(len(values), title_at + 1 + _BODY_WITHIN)):
        if values[index] <= 0:
            continue
        if runs[index][0] >= enough:
            return index
        prose_lines += 1
        if prose_lines == _PROSE_BEFORE_BODY:
            return None
    return None


def _metadata(
    lines: Sequence[str], where: Sequence[int]
) -> tuple[tuple[str, ...], date | None, str | None, set[int]]:
    """Byline, day and outlet from the lines between the headline and the body's first lines,
    and the indexes of the lines they came from."""
    byline: tuple[str, ...] = ()
    day: date | None = None
    outlet: str | None = None
    used: set[int] = set()
    for index in where:
        line = lines[index]
        if len(line) > _MAX_META_LINE:
            continue
        # One credit line often holds both: "By Jane Doe - Nov. 6, 2024 10:02 AM".
        if not byline and (names := parse_byline(line) or parse_byline(credit_in(line) or "")):
            byline = names
            used.add(index)
        if day is None and (found := parse_dateline(line)):
            day, outlet = found
            used.add(index)
        elif day is None and (day := day_in(line)) is not None:
            used.add(index)
    return byline, day, outlet, used


def _summarise_removed(
    before: Sequence[str], after: Sequence[str], inside: Sequence[str], report: ParseReport
) -> None:
    """One removed-lines entry per stretch of chrome, with its first lines for a sample."""
    for lines, reason in (
        (before, "page chrome before the article"),
        (after, "page chrome after the article"),
        (inside, "chrome inside the article"),
    ):
        if lines:
            report.removed(" / ".join(lines[:_SAMPLE_LINES]), f"{reason} ({len(lines)} lines)")
