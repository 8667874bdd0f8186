"""The header block: `date | outlet` (or `outlet | date`), title, optional subtitle, optional
byline. Scrapers often repeat the block; the repeat shows exactly where the header ends. An
"Updated …" notice in or just after it is dropped: it is neither the date nor a subtitle."""

import re
from dataclasses import dataclass, replace
from datetime import date

from app.ingest.pipeline.dates import MONTH_NAME, parse_date
from app.ingest.pipeline.normalise import fold
from app.ingest.pipeline.report import ParseReport

_SEPARATOR = re.compile(r"\s+[|—–·-]\s+|\s*[|·]\s*")
_BYLINE = re.compile(r"^(?:by|BY|By)\s+(?P<names>.+)$")
_NAME_SPLIT = re.compile(r"\s*(?:,\s*and\s+|,\s*|\s+and\s+|\s*&\s*)\s*")
_NAME = re.compile(r"^[A-Z\u00C0-\u024F][\w.'’-]*(?:\s+[\w.'’-]+){0,5}$")
# How far down a dateline may sit, and how long a header block may be.
_DATELINE_WITHIN = 3
_MAX_BLOCK = 5
_MAX_SUBTITLE = 250
_OPENING_QUOTES = ("“", '"', "‘", "«", "„")
# A sentence end, also where a scraper glued the next sentence on ("2006.The").
_SENTENCE_END = re.compile(r"[.!?][”\"’]?(?:\s|$|(?=[“\"‘]?[A-Z][a-z]))")
# "Updated March 3, 2025", "Last updated: 3 March 2025 10:42 GMT", "Updated on Mon, 3 Mar":
# the word, then straight on a date or time, never a sentence ("Updated figures show …").
_DAY_OR_MONTH = (
    rf"(?:{MONTH_NAME}|mon(?:day)?|tue(?:sday)?|"
    r"wed(?:nesday)?|thu(?:rsday)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?)\b"
)
_UPDATE_NOTICE = re.compile(
    r"^(?=.*\d)(?!.*[a-z]{2}[.!?]$)(?:last[ -])?(?:updated|modified)(?: on| at)?\s*[:|·—–-]?\s*"
    rf"(?:\d|{_DAY_OR_MONTH})",
    re.IGNORECASE,
)
_MAX_UPDATE_NOTICE = 100


@dataclass(frozen=True, slots=True)
class Header:
    published_at: date | None
    outlet: str | None
    title: str | None
    subtitle: str | None
    byline: tuple[str, ...]
    body_start: int  # index of the first line after the header


def parse_dateline(line: str) -> tuple[date, str | None] | None:
    """(day, outlet) for `date <sep> outlet`, `outlet <sep> date` or a bare date; an update
    notice closing the line (`… | Updated March 3, 2025`) is no part of either."""
    if len(line) > 120 or is_update_notice(line):
        return None
    line = _without_update_notice(line)
    day = parse_date(line)
    if day is not None:
        return day, None
    for match in _SEPARATOR.finditer(line):
        left, right = line[: match.start()].strip(), line[match.end() :].strip()
        if not left or not right:
            continue
        if (day := parse_date(left)) is not None:
            return day, right
        if (day := parse_date(right)) is not None:
            return day, left
    return None


def _without_update_notice(line: str) -> str:
    for match in _SEPARATOR.finditer(line):
        if is_update_notice(line[match.end() :]):
            return line[: match.start()]
    return line


def parse_byline(line: str) -> tuple[str, ...]:
    match = _BYLINE.match(line)
    if not match or len(line) > 200:
        return ()
    names = [name.strip(" .") for name in _NAME_SPLIT.split(match.group("names"))]
    if not names or not all(_NAME.match(name) for name in names if name):
        return ()
    return tuple(name for name in names if name)


def _copies(lines: list[str], start: int, size: int) -> int:
    """How many times lines[start:start+size] comes in a row (folded comparison)."""
    block = [fold(line) for line in lines[start : start + size]]
    copies = 1
    while [
        fold(line) for line in lines[start + copies * size : start + (copies + 1) * size]
    ] == block:
        copies += 1
    return copies


def _looks_like_subtitle(candidate: str, following: list[str]) -> bool:
    """Without a repeated block to show it, a subtitle is one short sentence after the title,
    not a quotation (body text often opens with one), not a byline."""
    if not following or len(candidate) > _MAX_SUBTITLE or parse_byline(candidate):
        return False
    if parse_byline(following[0]):
        return True
    if candidate.startswith(_OPENING_QUOTES):
        return False
    sentences = len(_SENTENCE_END.findall(candidate))
    return sentences <= 1 and len(candidate) < max(120, len(following[0]) // 2)


def is_update_notice(line: str) -> bool:
    return len(line) <= _MAX_UPDATE_NOTICE and bool(_UPDATE_NOTICE.match(line))


def parse_header(lines: list[str], report: ParseReport) -> Header:
    """The header, read as if no "Updated …" notice were there; notices before the body drop."""
    kept = [index for index, line in enumerate(lines) if not is_update_notice(line)]
    header = _parse_header([lines[index] for index in kept], report)
    body_start = kept[header.body_start] if header.body_start < len(kept) else len(lines)
    for line in lines[:body_start]:
        if is_update_notice(line):
            report.removed(line, "update notice (not the publication date)")
    return replace(header, body_start=body_start)


def _parse_header(lines: list[str], report: ParseReport) -> Header:
    for index in range(min(_DATELINE_WITHIN, len(lines))):
        found = parse_dateline(lines[index])
        if found:
            return _from_dateline(lines, index, found, report)
    report.missing += ["published_at", "outlet"]
    return _without_dateline(lines, report)


def _from_dateline(
    lines: list[str], at: int, found: tuple[date, str | None], report: ParseReport
) -> Header:
    day, outlet = found
    for line in lines[:at]:
        report.removed(line, "before the dateline")
    key = fold(lines[at])
    size = next(
        (n for n in range(2, _MAX_BLOCK + 1) if at + n < len(lines) and fold(lines[at + n]) == key),
        None,
    )
    if size is not None and (copies := _copies(lines, at, size)) > 1:
        report.header_copies = copies
        for copy in range(1, copies):
            for line in lines[at + copy * size : at + (copy + 1) * size]:
                report.removed(line, "repeated header block")
        block = lines[at : at + size]
        end = at + copies * size
        how = f"block repeated {copies} times: it ends where the repeat begins"
    else:
        report.header_copies = 1
        block = lines[at : at + 2]
        if at + 2 < len(lines) and _looks_like_subtitle(lines[at + 2], lines[at + 3 :]):
            block.append(lines[at + 2])
        end = at + len(block)
        how = "single block: subtitle decided by its length and shape"
    title = block[1] if len(block) > 1 else None
    subtitle = block[2] if len(block) > 2 and not parse_byline(block[2]) else None
    byline = next((parse_byline(line) for line in block[2:] if parse_byline(line)), ())
    if not byline and end < len(lines) and (byline := parse_byline(lines[end])):
        report.removed(lines[end], "byline")
        end += 1
    for line in block:
        report.removed(line, "header metadata")
    report.header = {"found_by": how, "dateline": lines[at]}
    if outlet is None:
        report.missing.append("outlet")
    if title is None:
        report.missing.append("title")
    return Header(day, outlet, title, subtitle, byline, end)


def _without_dateline(lines: list[str], report: ParseReport) -> Header:
    """Best effort: a short first line followed by more text is taken for the title."""
    if len(lines) >= 2 and len(lines[0]) <= 200 and not lines[0].endswith((".", ":", ";")):
        report.removed(lines[0], "header metadata (title, no dateline)")
        report.header = {"found_by": "no dateline: the first short line is the title"}
        byline = parse_byline(lines[1])
        if byline:
            report.removed(lines[1], "byline")
        return Header(None, None, lines[0], None, byline, 2 if byline else 1)
    report.missing.append("title")
    report.header = {"found_by": "no header found"}
    return Header(None, None, None, None, (), 0)
