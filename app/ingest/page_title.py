"""The headline of a page's visible text. A page says its headline twice: in the document title
(which visible-text scrapers put first, usually with the site's name appended) and as the
heading above the article; the URL's slug often spells it a third time. The heading is the line
before the article that agrees best with those."""

import re
from collections.abc import Sequence
from urllib.parse import urlsplit

from app.ingest.normalise import fold_words

_SLUG_SEPARATORS = re.compile(r"[-_+.]+")
_SLUG_NOISE = re.compile(r"^(?:\d+|html?|php|aspx?|amp|index|story|article|news)$")
_SITE_SUFFIX = re.compile(r"\s+[|\-–—:•·]\s+(?!.*\s[|\-–—:•·]\s)")
_MAX_TITLE = 250
_MIN_TITLE_WORDS = 2
_MIN_AGREEMENT = 0.5


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


def _agreement(line: str, document_title: str, slug: set[str]) -> float:
    """How well a line agrees with the document title and the slug, 0 to 2."""
    line_words = fold_words(line).split()
    if not line_words:
        return 0.0
    score = 0.0
    title_words = fold_words(document_title)
    if f" {' '.join(line_words)} " in f" {title_words} ":
        score += 1.0
    if slug:
        score += len(slug & set(line_words)) / max(len(slug), len(set(line_words)))
    return score


def is_title_shaped(line: str) -> bool:
    return len(line) <= _MAX_TITLE and len(line.split()) >= _MIN_TITLE_WORDS


def find_title(lines: Sequence[str], body_start: int, url: str | None) -> tuple[int, str] | None:
    """(line index, headline) of the heading before the body, or the document title without
    its site suffix when no line before the body agrees with it."""
    if not lines:
        return None
    slug = slug_words(url)
    document_title = lines[0]
    best: tuple[float, int] | None = None
    for index in range(body_start - 1, 0, -1):
        line = lines[index]
        if not is_title_shaped(line):
            continue
        agreement = _agreement(line, document_title, slug)
        # Nearer the body wins a tie: the heading sits above the article, teasers further up.
        if agreement >= _MIN_AGREEMENT and (best is None or agreement > best[0] + 0.1):
            best = (agreement, index)
    if best is not None:
        return best[1], lines[best[1]]
    if is_title_shaped(document_title):
        return 0, _SITE_SUFFIX.split(document_title, maxsplit=1)[0]
    return None
