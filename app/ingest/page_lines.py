"""How much each line of a page's visible text looks like article prose, and the contiguous run
of lines that holds the article: the one maximising the summed score (prose adds, chrome costs).
Everything here is about a line's shape, never about a site."""

import re
from collections import Counter
from collections.abc import Sequence

from app.ingest.normalise import fold

# A sentence ends the line (maybe behind a closing quote or bracket).
_ENDS_SENTENCE = re.compile(r"[.!?…:;][”\"’'»)\]]*$")
_HAS_CLAUSE = re.compile(r"[.,;:!?…]\s")
# Lines that are chrome whatever surrounds them: ad slots, footers, consent banners, sharing.
_CHROME = re.compile(
    r"^(?:advertisement|advertising|ad|sponsored(?: content)?|continue reading.*|read more.*|"
    r"related(?: articles| stories| posts| content| links| coverage)?:?|share(?: this)?.*|"
    r"(?:also|more) (?:on|from|read)\b.*|see also\b.*|recommended(?: for you)?|"
    r"(?:most )?(?:popular|read|viewed|shared)(?: now| stories| articles)?|trending(?: now)?|"
    r"(?:\d+ )?comments?|leave a (?:reply|comment)|(?:sign up|subscribe)\b.*|"
    r"follow us\b.*|tags?:?|topics?:?|filed under:?|print|email|e-mail)$",
    re.IGNORECASE,
)
_FOOTER = re.compile(
    r"©|\(c\) ?\d{4}|\bcopyright\b|all rights reserved|\bcookies?\b|privacy policy|"
    r"terms of (?:use|service)",
    re.IGNORECASE,
)
# A heading that opens what follows the article: reader comments or lists of other stories.
_TAIL_HEADING = re.compile(
    r"^(?:\d+ )?(?:comments?|responses?|replies|(?:leave|post) a (?:reply|comment)|"
    r"join the (?:discussion|conversation)|(?:related|more|recommended|popular|latest|recent|"
    r"trending|top)(?: \w+){0,3}|you (?:may|might) also like.*|what to read next)\s*:?$",
    re.IGNORECASE,
)
# Prose pays per word; a line that is not prose costs a fixed amount, more when it repeats
# elsewhere on the page (menus, share bars and teasers come twice; article sentences rarely).
_MIN_PROSE_WORDS = 7
_UNFINISHED_CREDIT = 10  # a long line without a sentence end: a teaser or caption until proven
_SHORT_COST = 3.0
_REPEAT_COST = 4.0
_CHROME_COST = 8.0


def words(line: str) -> int:
    """Words, counting a run of CJK characters as one word per two characters."""
    count = len(line.split())
    wide = sum(1 for character in line if "\u3040" <= character <= "\u9fff")
    return count + wide // 2


def is_chrome(line: str) -> bool:
    return bool(_CHROME.match(line.strip(" :|»›>·•-"))) or (
        len(line) < 200 and bool(_FOOTER.search(line))
    )


def is_tail_heading(line: str) -> bool:
    return bool(_TAIL_HEADING.match(line.strip(" :|»›>·•-")))


def is_sentence(line: str) -> bool:
    return bool(_ENDS_SENTENCE.search(line))


def line_score(line: str, repeated: bool) -> float:
    if is_chrome(line):
        return -_CHROME_COST
    count = words(line)
    if count >= _MIN_PROSE_WORDS and is_sentence(line):
        return float(count)
    if count >= _UNFINISHED_CREDIT and _HAS_CLAUSE.search(line):
        return float(count - _UNFINISHED_CREDIT)
    return -(_REPEAT_COST if repeated else _SHORT_COST)


def scores(lines: Sequence[str]) -> list[float]:
    counts = Counter(fold(line) for line in lines)
    return [line_score(line, counts[fold(line)] > 1) for line in lines]


def best_region(values: Sequence[float]) -> tuple[int, int]:
    """[start, end) of the contiguous run with the highest sum (Kadane); (0, 0) if none is
    positive."""
    best, best_span = 0.0, (0, 0)
    running, start = 0.0, 0
    for index, value in enumerate(values):
        if running <= 0:
            running, start = 0.0, index
        running += value
        if running > best:
            best, best_span = running, (start, index + 1)
    return best_span
