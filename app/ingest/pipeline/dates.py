"""Dates as scrapers print them, parsed strictly: nothing missing is ever made up."""

import re
from datetime import date, datetime
from functools import lru_cache

from dateutil import parser

_FIRST = datetime(1900, 1, 1)
_SECOND = datetime(1901, 2, 2)
_MAX_LENGTH = 40
_YEAR = re.compile(r"(?<!\d)(?:1[89]|2[0-2])\d\d(?!\d)")
# A month's name, whole or abbreviated ("Sept" too), for patterns that find dates in a line;
# use it case-insensitively.
MONTH_NAME = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)


@lru_cache(maxsize=4096)
def parse_date(text: str) -> date | None:
    """The day a text names, only when it names day, month and year itself: "November 6,
    2024", "Nov. 6, 2024", "Sept. 6, 2024", "6 November 2024", "2024-11-06", with or
    without a weekday. Parsing with two different defaults shows whether any part was guessed."""
    text = text.strip()
    if not text or len(text) > _MAX_LENGTH or not _YEAR.search(text):
        return None
    try:
        # Only the day is wanted: a zone name ("ET") must neither matter nor warn.
        first = parser.parse(text, default=_FIRST, ignoretz=True)
        second = parser.parse(text, default=_SECOND, ignoretz=True)
    except (ValueError, OverflowError, TypeError):
        return None
    if first.date() != second.date() or not 1800 <= first.year <= 2200:
        return None
    return first.date()
