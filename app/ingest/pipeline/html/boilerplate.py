"""Blocks an extractor keeps that are not the article: repeated headlines, bylines and dates,
promos, share prompts, link teasers, credits and the trailing tag/related sections. Generic
wording, markup (is the block a whole link?) and position only: a label with its colon counts
anywhere, wording a plain sentence can share ("share it with", "can be reached at") only in a
run of such blocks at either end of the story."""

import re
from collections.abc import Sequence, Set
from dataclasses import dataclass
from datetime import date

from app.ingest.pipeline.dates import MONTH_NAME

# A promo, prompt or label is a line or two; a real paragraph that mentions a newsletter is longer.
SHORT_BLOCK_CHARS = 250
# "Share this article", "Follow us on X": a prompt is a short line, not a sentence of the story.
PROMPT_MAX_CHARS = 120
# Bylines, datelines and headline echoes sit above the story: only these leading blocks count.
LEAD_BLOCKS = 3
# A label that opens a trailing section (tags, related stories) counts only in the body's last
# part: the same word early on is more likely a subheading of the story.
TRAILING_SHARE = 0.33
# How much of a page title a block must be to count as the headline repeated.
HEADLINE_SHARE = 0.6
# A byline or dateline is a few words, not a sentence.
LEAD_LINE_MAX_CHARS = 100
LEAD_LINE_MAX_WORDS = 12

# Wording that asks the reader to sign up: what makes a newsletter or a price a promo.
_SIGN_UP = r"\b(?:subscrib(?:e|ing)|sign(?:ing)? up)\b"
# A price is a promo's beside sign-up wording, a newsletter or a period ("£5 a month").
_PRICE_PROMO = rf"(?:{_SIGN_UP}|\bnewsletters?\b|\b(?:per|a) (?:week|month)\b)"
# What a contact line gives: an email address, a phone number or an @handle.
_ADDRESS = r"(?:[\w.+-]+@[\w-]+\.\w|(?<![\w@])@\w{2,}|\+?\d[\d ()./-]{6,}\d)"

# Labels that mark a block as page furniture wherever it sits: a teaser label with its colon
# ("Related: ...", "Read more: ...") or standing alone, a "Photo:"/"Source:" credit, an ad label.
_LABELLED: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "related-article teaser",
        re.compile(
            r"^(?:read more|related|see also|more from|read next|recommended|more"
            r"|you (?:may|might) also like)(?: (?:posts?|stories|articles|content|reading))?"
            r"\s*(?::|\.\.\.|…|$)|^also on \S+\.[a-z]{2,}\b",
            re.I,
        ),
    ),
    (
        "image caption or credit",
        re.compile(
            r"^(?:image|photo|picture)(?:\s+(?:source|credit)s?)?\s*:"
            r"|\((?:image |photo )?credits?\s*:[^)]*\)$",
            re.I,
        ),
    ),
    ("credit line", re.compile(r"^(?:sources?|credits?)\s*:", re.I)),
    ("advertisement label", re.compile(r"^(?:advertisement|sponsored|ad)$", re.I)),
)

# Wording that is furniture only in a run of such blocks at either end of the story: the same
# words in the middle are the story's own ("would share it with the council").
_AT_AN_END: tuple[tuple[str, re.Pattern[str], int], ...] = (
    (
        "newsletter or subscription promo",
        re.compile(
            r"^(?:subscribe|sign up|register) (?:now|today|here|to (?:our|the))\b"
            r"|\b(?:delivered|straight|right) (?:to|in|into) your inbox\b"
            # Anchored: unanchored, each look-ahead would rescan the block from every position.
            rf"|^(?=.*\bnewsletters?\b).*{_SIGN_UP}"
            rf"|^(?=.*\bfor as little as\b).*{_PRICE_PROMO}"
            r"|\bif you (?:enjoyed|liked) this (?:article|story)",
            re.I,
        ),
        SHORT_BLOCK_CHARS,
    ),
    (
        "share or follow prompt",
        re.compile(
            r"^(?:share (?:this|on)\b|like this (?:story|article)\b|follow us\b"
            r"|follow .{0,80}\bon (?:twitter|facebook|instagram|linkedin)\b)",
            re.I,
        ),
        PROMPT_MAX_CHARS,
    ),
    (
        "author contact line",
        re.compile(
            rf"^(?=.*{_ADDRESS})(?:have a tip\b|contact the (?:writer|reporter|author)\b"
            r"|.*\b(?:may|can) be reached at\b)",
            re.I,
        ),
        SHORT_BLOCK_CHARS,
    ),
    (
        "credit line",
        # "Reporting by Jane Doe": the label, then a name.
        re.compile(
            r"^(?i:(?:additional )?reporting|editing|writing|compiled) (?i:by) [A-Z\u00C0-\u024F]"
        ),
        SHORT_BLOCK_CHARS,
    ),
)

# Labels that open the page's furniture after the story: everything from them on is cut.
_TRAILING_SECTION = re.compile(
    r"^(?:tags|topics|filed under|related (?:articles|stories|posts|content)|more stories"
    r"|recommended(?: for you)?|comments|share this(?: article| story)?|most (?:read|popular))"
    r"\s*:?$",
    re.I,
)
# "By Jane Doe" or "By Jane Doe and John Roe, Reuters": capitalised names, no sentence end.
_BYLINE = re.compile(r"^(?:By|BY|Por|Von|Par|Di)\s+[A-Z][^.!?]*$")
# A date or time the way a page prints its own: "05/10/2018", "20:13", "November 18, 2019";
# in any language, the publication day's number beside its year.
_NUMERIC_DATE = re.compile(r"\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b|\b[0-2]?\d:[0-5]\d\b")
_WRITTEN_DATE = re.compile(rf"\b{MONTH_NAME}\.?\s+[0-3]?\d\b|\b[0-3]?\d\s+{MONTH_NAME}\.?\s", re.I)
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


def _labelled_reason(text: str) -> str | None:
    if len(text) > SHORT_BLOCK_CHARS:
        return None
    return next((reason for reason, rule in _LABELLED if rule.search(text)), None)


def _end_reason(text: str) -> str | None:
    return next(
        (
            reason
            for reason, rule, max_chars in _AT_AN_END
            if len(text) <= max_chars and rule.search(text)
        ),
        None,
    )


def _end_runs(flagged: Sequence[bool]) -> set[int]:
    """The flagged blocks in an unbroken run from the first block or up to the last."""
    count = len(flagged)
    lead = next((index for index in range(count) if not flagged[index]), count)
    close = next((index for index in reversed(range(count)) if not flagged[index]), -1)
    return set(range(lead)) | set(range(close + 1, count))


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


def _sure_reason(
    index: int, blocks: Sequence[str], clues: PageClues, authors: Set[str]
) -> str | None:
    """A reason that holds wherever the block sits (lead lines: among the first blocks)."""
    text = blocks[index]
    reason = _labelled_reason(text)
    if reason is None and index < LEAD_BLOCKS:
        reason = _lead_reason(text, clues, authors)
    return reason


def _story_reasons(story: Sequence[str], clues: PageClues) -> dict[int, str]:
    """The story's blocks to cut, by index: the sure ones, and the ones whose wording is
    furniture only at an end, when the run they are in reaches that end."""
    normalised = PageClues(
        headlines=[n for n in (_norm(h) for h in clues.headlines) if n],
        authors=clues.authors,
        link_texts=clues.link_texts,
        published=clues.published,
    )
    authors = {_norm(a) for a in clues.authors}
    teasers = _link_teasers(story, clues.link_texts)
    sure: dict[int, str] = {}
    for index in range(len(story)):
        if index in teasers:
            sure[index] = "link to another story"
        elif (reason := _sure_reason(index, story, normalised, authors)) is not None:
            sure[index] = reason
    at_an_end = {
        index: reason
        for index, text in enumerate(story)
        if index not in sure and (reason := _end_reason(text)) is not None
    }
    ends = _end_runs([index in sure or index in at_an_end for index in range(len(story))])
    return sure | {index: reason for index, reason in at_an_end.items() if index in ends}


def find_boilerplate(blocks: Sequence[str], clues: PageClues) -> list[Verdict]:
    """The blocks to cut, each with its reason, in order."""
    tail = _trailing_section_start(blocks)
    end = len(blocks) if tail is None else tail
    reasons = _story_reasons(blocks[:end], clues)
    reasons.update(dict.fromkeys(range(end, len(blocks)), "trailing section after the story"))
    return [Verdict(index, reasons[index]) for index in sorted(reasons)]
