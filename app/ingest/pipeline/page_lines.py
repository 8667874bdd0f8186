"""How much each line of a page's visible text looks like article prose (prose adds its words,
chrome costs), and the other shapes a line can have: a dateline, a credit, a teaser. Everything
here is about a line's shape, never about a site."""

import math
import re
from collections import Counter
from collections.abc import Sequence
from datetime import date

from app.ingest.pipeline.dates import MONTH_NAME, parse_date

_WIDE = re.compile(r"[\u3040-\u9fff]")  # kana and CJK ideographs; Hangul has spaces
# A sentence ends the line (maybe behind a closing quote or bracket).
_SENTENCE_ENDS = (".", "!", "?", "…", ":", ";")
_CLOSING = "”\"’'»)]"
_HAS_CLAUSE = re.compile(r"[.,;:!?…]\s")
# Lines that are chrome whatever surrounds them: ad slots, footers, consent banners, sharing.
_CHROME = re.compile(
    r"^(?:advertisement|advertising|ad|sponsored(?: content)?|continue reading.*|read more.*|"
    r"related(?: articles| stories| posts| content| links| coverage)?:?|"
    r"share(?: this(?: \w+)?)?(?: (?:on|via|to|with) \w+)?|"
    r".*\b(?:not supported|unsupported|does not support|doesn't support)\b.*|"
    r"(?:also|more) (?:on|from|read)\b.*|see also\b.*|recommended(?: for you)?|"
    r"(?:most )?(?:popular|read|viewed|shared)(?: now| stories| articles)?|trending(?: now)?|"
    r"(?:\d+ )?comments?|leave a (?:reply|comment)|(?:sign up|subscribe)\b.*|"
    r"follow us\b.*|tags?:?|topics?:?|filed under:?|"
    r"(?:(?:facebook|twitter|email|e-mail|linkedin|reddit|pinterest|whatsapp|print|copy(?: link)?|"
    r"flipboard|tumblr|messenger|sms|comments?)[ |,/]*)+)$",
    re.IGNORECASE,
)
# Footers, consent banners and newsletter boxes, matched in the casefolded line (a plain
# alternation is fast). Words alone ("cookies", "copyright") are left to articles about them.
_FOOTER = re.compile(
    r"©|ⓒ|\(c\) 2|copyright \d{4}|all rights reserved|subject to copyright|"
    r"may not be (?:published|reproduced|copied|redistributed)|privacy policy|"
    r"terms of (?:use|service)|(?:site|website|we) uses? cookies|accept (?:all )?cookies|"
    r"cookie (?:policy|settings|preferences|consent)|(?:subscribe|sign up)\b.{0,40}\bnewsletter"
)
# Reader comments come after the article, always: their heading ends it. Other stories'
# headings ("Related", "More from …") usually do, but boxes of links also sit inside articles.
_COMMENTS_HEADING = re.compile(
    r"^(?:\d+ |\w+ ){0,2}(?:comments?|responses?|replies|reactions)(?: \(\d+\))?$|"
    r"^(?:leave|post|add|write) (?:a|your) (?:reply|comment)|^join the (?:discussion|conversation)|"
    r"^\d+ (?:comments?|responses?|replies|thoughts?) (?:to|on)\b",
    re.IGNORECASE,
)
_OTHER_STORIES_HEADING = re.compile(
    r"^(?:most )?(?:related|more|recommended|popular|latest|recent|trending|top)(?: \w+){0,3}$|"
    r"^(?:more|also) (?:from|on|in|at)\b|"
    r"^(?:\w+ )?more (?:stories|articles|news|posts|videos)\b|"
    r"^(?:you (?:may|might) (?:also )?like|what to read next|read (?:next|more|also))\b",
    re.IGNORECASE,
)
_SIGNATURE = re.compile(r"^.{1,100}\s(?:says|said|wrote|writes):$")
_HEADING_TRIM = " :|»›>·•-[]()"
# A date with a time or a month's name: on a short line, the article's (or a comment's)
# dateline, whatever words surround it ("Posted by … on …", "Published …", "Updated …").
_MONTH = rf"{MONTH_NAME}\.?"
_DATED = re.compile(
    r"\b(?:19|20)\d\d\b.*\b\d{1,2}[:.]\d\d\b|\b\d{1,2}[:.]\d\d\b.*\b(?:19|20)\d\d\b|"
    rf"\b{_MONTH} \d{{1,2}},? (?:19|20)\d\d\b|\b\d{{1,2}} {_MONTH} (?:19|20)\d\d\b|"
    r"\b\d{1,2}:\d\d ?[ap]\.?m\b|\b(?:19|20)\d\d-\d\d-\d\d|\b\d{1,2}/\d{1,2}/\d{2,4}\b|"
    r"\b\d+ (?:minutes?|hours?|days?|weeks?) ago\b",
    re.IGNORECASE,
)
_DAY = re.compile(
    rf"\b{_MONTH} \d{{1,2}},? (?:19|20)\d\d\b|\b\d{{1,2}} {_MONTH},? (?:19|20)\d\d\b|"
    r"\b(?:19|20)\d\d-\d\d-\d\d\b",
    re.IGNORECASE,
)
_MAX_DATELINE_WORDS = 15
# "By" and the names after it, up to whatever follows them on a credit line: a dash, a comma,
# a bar, a date, a lowercase word ("Posted by Jane Doe on …", "By Jane Doe - Staff Writer").
_NAME_WORD = rf"(?!(?i:{_MONTH})\s+\d)[A-Z\u00C0-\u024F][\w.'’-]*"
_CREDIT = re.compile(
    rf"(?:^|\s)[Bb]y:?\s+(?P<names>{_NAME_WORD}(?:\s+(?:{_NAME_WORD}|and|&)\s*)*)"
    r"(?=$|\s+[-–—|·•]|\s*[,|]|\s+(?:on|at|in|for|is|\d))"
)
_MAX_CREDIT_LINE = 120
# A word of a Title Case headline; a comma or full stop after it ends the headline.
_TITLE_WORD = re.compile(r"^[\"'‘“(]?[A-Z0-9$£€][\w'’$%&-]*[:?!]?[\"'’”)]?$")
_MINOR_WORDS = frozenset(
    ["a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to", "with"]
)
_TEASER_TITLE_WORDS = 7
_TEASER_STORY_WORDS = 5
# Prose pays per word; a line that is not prose costs a fixed amount, more when it repeats
# elsewhere on the page (menus, share bars and teasers come twice; article sentences rarely).
_MIN_PROSE_WORDS = 7
_UNFINISHED_CREDIT = 10  # a long line without a sentence end: a teaser or caption until proven
_SHORT_COST = 3.0
_REPEAT_COST = 4.0
CHROME_COST = 8.0
_MAX_CHROME_LINE = 200
_MAX_HEADING = 80
_OTHER_STORIES_COST = 30.0


def words(line: str) -> int:
    """Words; scripts written without spaces (CJK) count one word per two characters."""
    count = len(line.split())
    if line.isascii():
        return count
    return count + len(_WIDE.findall(line)) // 2


def is_chrome(line: str) -> bool:
    return len(line) <= _MAX_CHROME_LINE and _is_chrome(line, line.strip(_HEADING_TRIM))


def is_footer(line: str) -> bool:
    """A copyright, privacy, cookie or newsletter line: a page's, never an article's prose."""
    return len(line) <= _MAX_CHROME_LINE and bool(_FOOTER.search(line.casefold()))


def _is_chrome(line: str, bare: str) -> bool:
    return bool(_CHROME.match(bare) or _FOOTER.search(line.casefold()))


def is_sentence(line: str) -> bool:
    return line.rstrip(_CLOSING).endswith(_SENTENCE_ENDS)


def line_score(line: str, repeated: bool) -> float:
    if len(line) <= _MAX_CHROME_LINE:
        bare = line.strip(_HEADING_TRIM)
        if len(line) <= _MAX_HEADING and _COMMENTS_HEADING.match(bare):
            return -math.inf  # nothing after it is the article's
        if len(line) <= _MAX_HEADING and _OTHER_STORIES_HEADING.match(bare):
            return -_OTHER_STORIES_COST
        if _is_chrome(line, bare) or _SIGNATURE.match(line):
            return -CHROME_COST
    if repeated:
        return -_REPEAT_COST
    count = words(line)
    if _opens_with_headline(line) or is_dated(line, count):
        return -_SHORT_COST
    return _prose_value(line, count)


def _prose_value(line: str, count: int) -> float:
    if count >= _MIN_PROSE_WORDS and is_sentence(line):
        return float(count)
    if count >= _UNFINISHED_CREDIT and _HAS_CLAUSE.search(line):
        return float(count - _UNFINISHED_CREDIT)
    return -_SHORT_COST


def is_marked_down_lead(line: str) -> bool:
    """Prose that only the teaser rule marked down: right under the headline it is the
    article's first paragraph, opening with a run of names ("The European Union's Foreign
    Policy Chief Josep Borrell said …"), since a teaser never sits there."""
    count = words(line)
    return (
        _opens_with_headline(line)
        and not is_chrome(line)
        and not is_dated(line, count)
        and _prose_value(line, count) > 0
    )


def is_dated(line: str, count: int | None = None) -> bool:
    """A short line that carries a date: a dateline, whatever words surround it."""
    if count is None:
        count = words(line)
    return count <= _MAX_DATELINE_WORDS and bool(_DATED.search(line))


def day_in(line: str) -> date | None:
    """The day a dateline with other words in it names ("Published 10:02 AM EST Nov 19, 2019",
    "Posted on October 9, 2018 at 4:02 pm"), when it names a whole one."""
    match = _DAY.search(line) if is_dated(line) else None
    return parse_date(match.group()) if match else None


def credit_in(line: str) -> str | None:
    """The names of a credit line in any of its usual shapes, as "By …" for parse_byline; a
    sentence ("… was written by Jane Doe.") is no credit line."""
    if len(line) > _MAX_CREDIT_LINE or is_sentence(line):
        return None
    match = _CREDIT.search(line)
    return f"By {match.group('names').strip()}" if match else None


def _opens_with_headline(line: str) -> bool:
    """A teaser: a Title Case headline glued to the first sentence of its story."""
    tokens = line.split()
    if len(tokens) < _TEASER_TITLE_WORDS + _TEASER_STORY_WORDS:
        return False
    capitalised = 0
    for token in tokens:
        if _TITLE_WORD.match(token):
            capitalised += 1
        elif token not in _MINOR_WORDS:
            break
    return capitalised >= _TEASER_TITLE_WORDS and len(tokens) >= capitalised + _TEASER_STORY_WORDS


def scores(lines: Sequence[str]) -> list[float]:
    keys = [line.casefold() for line in lines]
    counts = Counter(keys)
    return [line_score(line, counts[key] > 1) for line, key in zip(lines, keys, strict=True)]
