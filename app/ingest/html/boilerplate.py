"""Blocks an extractor keeps that are not the article: repeated headlines, bylines, promos,
share bars, teasers and the trailing tag/related sections. Generic wording and position only."""

import re
from collections.abc import Sequence
from dataclasses import dataclass

# A promo or prompt is a line or two; a real paragraph that mentions a newsletter is longer.
SHORT_BLOCK_CHARS = 250
# Bylines and headline echoes sit above the story: only this many leading blocks are checked.
LEAD_BLOCKS = 3
# How much of a page title a block must be to count as the headline repeated.
HEADLINE_SHARE = 0.6
# A label that opens a trailing section (tags, related stories) counts only in the body's last
# part: the same word early on is more likely a subheading of the story.
TRAILING_SHARE = 0.33

_SHORT_PROMOS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "newsletter or subscription promo",
        re.compile(
            r"\bnewsletters?\b|\b(?:in|to) your inbox\b|^(?:subscribe|sign up|register)"
            r" (?:now|today|here|to (?:our|the))\b",
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
            r"|you (?:may|might) also like)\b",
            re.I,
        ),
    ),
    ("image credit", re.compile(r"^(?:image|photo|picture)\s+(?:source|credit)s?\s*:", re.I)),
    ("advertisement label", re.compile(r"^(?:advertisement|sponsored|ad)$", re.I)),
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
_BYLINE_MAX_CHARS = 100


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


def _lead_reason(text: str, headlines: Sequence[str], authors: Sequence[str]) -> str | None:
    if _headline_echo(text, headlines):
        return "headline repeated in the body"
    if len(text) <= _BYLINE_MAX_CHARS and (
        _BYLINE.match(text) or _norm(text) in {_norm(a) for a in authors}
    ):
        return "byline"
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


def find_boilerplate(
    blocks: Sequence[str], headlines: Sequence[str], authors: Sequence[str]
) -> list[Verdict]:
    """The blocks to cut, each with its reason, in order."""
    normalised_headlines = [n for n in (_norm(h) for h in headlines) if n]
    verdicts: list[Verdict] = []
    tail = _trailing_section_start(blocks)
    for index, text in enumerate(blocks):
        if tail is not None and index >= tail:
            verdicts.append(Verdict(index, "trailing section after the story"))
            continue
        reason = _promo_reason(text)
        if reason is None and index < LEAD_BLOCKS:
            reason = _lead_reason(text, normalised_headlines, authors)
        if reason is not None:
            verdicts.append(Verdict(index, reason))
    return verdicts
