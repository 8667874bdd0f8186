"""Blocks an extractor keeps that are not the article: repeated headlines, bylines and dates,
promos, share prompts, link teasers, credits and the trailing tag/related sections. Generic
wording, markup (is the block a whole link?) and position only."""

import re
from collections.abc import Sequence, Set
from dataclasses import dataclass
from datetime import date

# A promo or prompt is a line or two; a real paragraph that mentions a newsletter is longer.
SHORT_BLOCK_CHARS = 250
# Bylines, datelines and headline echoes sit above the story: only these leading blocks count.
LEAD_BLOCKS = 3
# Credit lines ("Reporting by ...") close the story: only these last blocks count.
CLOSING_BLOCKS = 3
# A label that opens a trailing section (tags, related stories) counts only in the body's last
# part: the same word early on is more likely a subheading of the story.
TRAILING_SHARE = 0.33
# How much of a page title a block must be to count as the headline repeated.
HEADLINE_SHARE = 0.6
# A byline or dateline is a few words, not a sentence.
LEAD_LINE_MAX_CHARS = 100
LEAD_LINE_MAX_WORDS = 12

_SHORT_PROMOS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "newsletter or subscription promo",
        re.compile(
            r"\bnewsletters?\b|\b(?:in|to) your inbox\b|\bfor as little as\b"
            r"|^(?:subscribe|sign up|register) (?:now|today|here|to (?:our|the))\b"
            r"|\bif you (?:enjoyed|liked) this (?:article|story)",
            re.I,
        ),
    ),
    (
        "share or follow prompt",
        re.compile(
            r"^(?:share (?:this|on)|like this (?:story|article)|follow us\b)|\bshare it with\b"
            r"|^follow\b.{0,80}\bon (?:twitter|facebook|instagram|linkedin)\b",
            re.I,
        ),
    ),
    (
        "author contact line",
        re.compile(
            r"\b(?:may|can) be reached at\b|^have a tip\b|^contact the (?:writer|reporter)", re.I
        ),
    ),
    (
        "related-article teaser",
        re.compile(
            r"^(?:read more|related|also on \S+|see also|more from|read next|recommended"
            r"|you (?:may|might) also like)\b|^more\s*:?$",
            re.I,
        ),
    ),
    (
        "image caption or credit",
        re.compile(
            r"^(?:image|photo|picture)\s+(?:source|credit)s?\s*:"
            r"|\((?:image |photo )?credits?\s*:[^)]*\)$",
            re.I,
        ),
    ),
    ("advertisement label", re.compile(r"^(?:advertisement|sponsored|ad)$", re.I)),
)

# Labels that open the page's furniture after the story: everything from them on is cut.
_TRAILING_SECTION = re.compile(
    r"^(?:tags|topics|filed under|related (?:articles|stories|posts|content)|more stories"
    r"|recommended(?: for you)?|comments|share this(?: article| story)?|most (?:read|popular))"
    r"\s*:?$",
    re.I,
)
_CREDIT_LINE = re.compile(
    r"^(?:(?:additional )?reporting by|editing by|writing by|compiled by|source)\b\s*:?", re.I
)
# "By Jane Doe" or "By Jane Doe and John Roe, Reuters": capitalised names, no sentence end.
_BYLINE = re.compile(r"^(?:By|BY|Por|Von|Par|Di)\s+[A-Z][^.!?]*$")
# A date or time the way a page prints its own: "05/10/2018", "20:13", "November 18, 2019";
# in any language, the publication day's number beside its year.
_NUMERIC_DATE = re.compile(r"\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b|\b[0-2]?\d:[0-5]\d\b")
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_WRITTEN_DATE = re.compile(rf"\b{_MONTH}\s+[0-3]?\d\b|\b[0-3]?\d\s+{_MONTH}\s", re.I)
_SENTENCE_END = '.!?"”'


@dataclass(frozen=True, slots=True)
class PageClues:
    """What the page says beyond the extracted blocks, for telling its furniture apart."""

    headlines: Sequence[str]
    authors: Sequence[str]
    # Texts of the page's links, whitespace-normalised: a block that is one is a link.
    link_texts: Set[str]
    published: date | None = None


@dataclass(frozen=True, slots=True)
class Verdict:
    """Why a block is not the article's text."""

    index: int
    reason: str


def _norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def _headline_echo(text: str, headlines: Sequence[str]) -> bool:
    norm = _norm(text)
    # Titles often carry a " | Outlet" suffix: a block the title starts with is the headline
    # too, if it is most of the title (not a name or phrase the title opens with).
    return bool(norm) and any(
        h == norm or (h.startswith(norm + " ") and len(norm) >= HEADLINE_SHARE * len(h))
        for h in headlines
    )


def _is_date_line(text: str, published: date | None) -> bool:
    if len(text.split()) > LEAD_LINE_MAX_WORDS or text.endswith(tuple(_SENTENCE_END)):
        return False
    if _NUMERIC_DATE.search(text) or _WRITTEN_DATE.search(text):
        return True
    return published is not None and bool(
        re.search(rf"\b{published.year}\b", text) and re.search(rf"\b0?{published.day}\b", text)
    )


def _lead_reason(text: str, clues: PageClues, authors: Set[str]) -> str | None:
    if _headline_echo(text, clues.headlines):
        return "headline repeated in the body"
    if len(text) > LEAD_LINE_MAX_CHARS:
        return None
    if _BYLINE.match(text) or _norm(text) in authors:
        return "byline"
    if _is_date_line(text, clues.published):
        return "date line"
    return None


def _promo_reason(text: str) -> str | None:
    if len(text) > SHORT_BLOCK_CHARS:
        return None
    return next((reason for reason, rule in _SHORT_PROMOS if rule.search(text)), None)


def _trailing_section_start(blocks: Sequence[str]) -> int | None:
    first_checked = int(len(blocks) * (1 - TRAILING_SHARE))
    for index in range(max(first_checked, 1), len(blocks)):
        if _TRAILING_SECTION.match(blocks[index].strip()):
            return index
    return None


def _link_teasers(blocks: Sequence[str], link_texts: Set[str]) -> set[int]:
    """Whole-link blocks at either end of the body or in a run: headlines of other stories.
    A lone link inside the story ("Full results") is the story's own."""
    is_link = [text in link_texts for text in blocks]
    last = len(blocks) - 1
    return {
        index
        for index, link in enumerate(is_link)
        if link
        and (
            index in (0, last)
            or (index > 0 and is_link[index - 1])
            or (index < last and is_link[index + 1])
        )
    }


def _block_reason(
    index: int, blocks: Sequence[str], clues: PageClues, authors: Set[str]
) -> str | None:
    text = blocks[index]
    reason = _promo_reason(text)
    if reason is None and index < LEAD_BLOCKS:
        reason = _lead_reason(text, clues, authors)
    if reason is None and index >= len(blocks) - CLOSING_BLOCKS and _CREDIT_LINE.match(text):
        reason = "credit line"
    return reason


def find_boilerplate(blocks: Sequence[str], clues: PageClues) -> list[Verdict]:
    """The blocks to cut, each with its reason, in order."""
    normalised = PageClues(
        headlines=[n for n in (_norm(h) for h in clues.headlines) if n],
        authors=clues.authors,
        link_texts=clues.link_texts,
        published=clues.published,
    )
    authors = {_norm(a) for a in clues.authors}
    tail = _trailing_section_start(blocks)
    teasers = _link_teasers(blocks, clues.link_texts)
    verdicts: list[Verdict] = []
    for index in range(len(blocks)):
        if tail is not None and index >= tail:
            reason: str | None = "trailing section after the story"
        elif index in teasers:
            reason = "link to another story"
        else:
            reason = _block_reason(index, blocks, normalised, authors)
        if reason is not None:
            verdicts.append(Verdict(index, reason))
    return verdicts
