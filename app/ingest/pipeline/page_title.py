"""The headline of a page's visible text. A page says its headline twice: in the document title
(which visible-text scrapers put first, usually with the site's name appended) and as the
heading above the article; the URL's slug often spells it a third time. The heading is the line
before the article that agrees best with those."""

import re
from collections.abc import Sequence
from urllib.parse import urlsplit

from app.ingest.pipeline.normalise import fold_words
from app.ingest.pipeline.page_lines import is_chrome, is_dated

_SLUG_SEPARATORS = re.compile(r"[-_+.]+")
_SLUG_NOISE = re.compile(r"^(?:\d+|html?|php|aspx?|amp|index|story|article|news)$")
_SITE_SUFFIX = re.compile(r"\s+[|\-–—:•·]\s+(?!.*\s[|\-–—:•·]\s)")
_MAX_TITLE = 250
_MIN_TITLE_WORDS = 2
_MIN_AGREEMENT = 0.8
_CONTAINED_BONUS = 0.2
# A heading by its shape alone: some words, not a sentence, within a few lines of the body.
_HEADLINE_ABOVE = 12
_MIN_HEADLINE_WORDS = 4
_MAX_HEADLINE_WORDS = 30
# Lines near a headline that are not one: credits and bylines, captions, breadcrumbs.
_NOT_A_HEADLINE = re.compile(
    r"^by\b|\bby [A-Z]\w*(?: [A-Z][\w.]*)*$|\b(?:contributor|correspondent|reporter|staff writer|"
    r"editor)\b|^(?:media |image |photo )?caption\b|\b(?:photo|image|getty|shutterstock)\b|"
    r" [>»/|] ",
    re.IGNORECASE,
)


def slug_words(url: str | None) -> set[str]:
    """The words of the URL path's most telling segment (the longest)."""
    if not url:
        return set()
    segments = [segment for segment in urlsplit(url).path.split("/") if segment]
    if not segments:
        return set()
    slug = max(segments, key=lambda segment: segment.count("-") + segment.count("_"))
    return {
        word
        for word in fold_words(" ".join(_SLUG_SEPARATORS.split(slug))).split()
        if not _SLUG_NOISE.match(word)
    }


def _agreement(line: str, title_words: list[str], slug: set[str]) -> float:
    """How well a line agrees with the document title's words and the slug, 0 to 2.2: the
    share of words in common (Dice), a little more when the line is a part of the title as
    written, plus the share of slug words in common."""
    line_words = fold_words(line).split()
    if not line_words or not title_words:
        return 0.0
    shared = len(set(line_words) & set(title_words))
    score = 2 * shared / (len(set(line_words)) + len(set(title_words)))
    if f" {' '.join(line_words)} " in f" {' '.join(title_words)} ":
        score += _CONTAINED_BONUS
    if slug:
        score += len(slug & set(line_words)) / max(len(slug), len(set(line_words)))
    return score


def _document_title_words(first_line: str) -> list[str]:
    """The first line's words, less the site name after its last separator."""
    return fold_words(without_site(first_line)).split()


def is_title_shaped(line: str) -> bool:
    return len(line) <= _MAX_TITLE and len(line.split()) >= _MIN_TITLE_WORDS


def headline_candidates(lines: Sequence[str], url: str | None) -> list[tuple[float, int]]:
    """(agreement, index) of the lines that may be the headline: they agree with the document
    title (the first line) or the URL slug."""
    if not lines:
        return []
    slug = slug_words(url)
    title_words = _document_title_words(lines[0])
    candidates = []
    for index in range(1, len(lines)):
        # A heading ends without a full stop; a sentence that repeats the title is body text.
        if is_title_shaped(lines[index]) and not lines[index].endswith("."):
            agreement = _agreement(lines[index], title_words, slug)
            if agreement >= _MIN_AGREEMENT:
                candidates.append((agreement, index))
    return candidates


def document_headline(lines: Sequence[str], body_start: int) -> str | None:
    """The document title without the site's name after it, for a page whose heading is lost;
    or, when the first line is no title (text without the <title>), the last title-shaped line
    above the body."""
    if lines and is_title_shaped(lines[0]):
        return without_site(lines[0])
    return next(
        (lines[index] for index in range(body_start - 1, 0, -1) if is_title_shaped(lines[index])),
        None,
    )


def without_site(title: str) -> str:
    """The document title less the site's name after its last separator."""
    headline, *site = _SITE_SUFFIX.split(title, maxsplit=1)
    # The site's name is the shorter side; a longer tail is part of the headline.
    if site and is_title_shaped(headline) and len(site[0]) < len(headline):
        return headline
    return title


def headline_above(lines: Sequence[str], body_start: int) -> int | None:
    """Index of the nearest line above the body shaped like a headline: for a page whose
    document title and URL name none (visible text without the <title>, say)."""
    for index in range(body_start - 1, max(-1, body_start - 1 - _HEADLINE_ABOVE), -1):
        if _headline_shaped(lines[index]):
            return index
    return None


def _headline_shaped(line: str) -> bool:
    count = len(line.split())
    return (
        _MIN_HEADLINE_WORDS <= count <= _MAX_HEADLINE_WORDS
        and len(line) <= _MAX_TITLE
        and not line.endswith((".", ":", ",", ";"))
        and not is_chrome(line)
        and not is_dated(line)
        and not _NOT_A_HEADLINE.search(line)
    )
