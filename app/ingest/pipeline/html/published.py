"""The day the article was first published, from the strongest evidence the page offers:
JSON-LD datePublished, publication meta tags, a marked-up publication element, the header's
`<time>`, a visible dateline beside the headline, the URL's /yyyy/mm/dd/. Modified and updated
dates are never used, nor copyright years (they name no day)."""

import re
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from typing import Literal

from lxml.html import HtmlElement

from app.ingest.pipeline.dates import MONTH_NAME, parse_date
from app.ingest.pipeline.html.furniture import in_furniture
from app.ingest.pipeline.html.meta_tags import MetaTags
from app.ingest.pipeline.html.page_index import PageIndex

EARLIEST = date(1900, 1, 1)

# Publication meta names, strongest first; none of them is a modification date.
PUBLISHED_META = (
    "article:published_time",
    "article:published",
    "og:published_time",
    "og:article:published_time",
    "datepublished",
    "publish-date",
    "publish_date",
    "publishdate",
    "published_time",
    "pubdate",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.date",
    "dcterms.created",
    "citation_publication_date",
    "citation_date",
    "article_date_original",
    "originalpublicationdate",
    "date",
)
_ISO_DAY = re.compile(r"^\s*((?:19|20)\d\d)[-/.]?(0[1-9]|1[0-2])[-/.]?(0[1-9]|[12]\d|3[01])(?!\d)")
_MONTH_NAMES = "jan feb mar apr may jun jul aug sep oct nov dec"
_MONTH_ABBREVIATIONS = tuple(_MONTH_NAMES.split())
# /2019/11/18/, /2019-11-18-, and /2019/nov/18/.
_URL_DAY = re.compile(
    rf"/((?:19|20)\d\d)[/-](0[1-9]|1[0-2]|{'|'.join(_MONTH_ABBREVIATIONS)}|sept)[/-]"
    r"(0?[1-9]|[12]\d|3[01])(?=[/_.-]|$)",
    re.IGNORECASE,
)
_MONTH = rf"{MONTH_NAME}\.?"
_TEXT_DAY = re.compile(
    rf"(?<!\d)(?:(?:19|20)\d\d[-./](?:0?[1-9]|1[0-2])[-./](?:0?[1-9]|[12]\d|3[01])(?!\d)"
    rf"|\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d\d\b"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+(?:19|20)\d\d\b)",
    re.IGNORECASE,
)
# A date right after these words is an update, not the publication.
_UPDATED_BEFORE = re.compile(r"(?:updated|modified|edited|last)\W*(?:on|at)?\W*$", re.IGNORECASE)
_UPDATE_MARK = re.compile(r"updat|modif", re.IGNORECASE)
# How much text beside the headline a dateline may sit in: less before it, where mastheads
# print today's date.
_DATELINE_NODES = {"following": 30, "preceding": 12}
_DATELINE_CHARS = 600


def valid_day(day: date | None) -> date | None:
    """The day, unless it is before 1900 or after today (a garbage or far-future stamp)."""
    if day is None or not EARLIEST <= day <= datetime.now(UTC).date():
        return None
    return day


def parse_machine_date(value: str) -> date | None:
    """A date as metadata writes it: ISO 8601 first, else the first full date a reader would
    see in it."""
    if match := _ISO_DAY.match(value):
        try:
            return valid_day(date(*(int(part) for part in match.groups())))
        except ValueError:
            return None
    # Only the date itself goes to the text parser: time zone names confuse it ("10:18am ist").
    match = _TEXT_DAY.search(value[:100])
    return valid_day(parse_date(match.group())) if match else None


def published_from_meta(meta: MetaTags) -> date | None:
    for name in PUBLISHED_META:
        for value in meta.all(name):
            if (day := parse_machine_date(value)) is not None:
                return day
    return None


def published_from_markup(index: PageIndex) -> tuple[date, str] | None:
    """An element marked as the publication date (itemprop), else the first `<time>` that is
    not an update or a comment's."""
    for element in index.marked:
        if (element.get("itemprop") or "").lower() != "datepublished":
            continue
        if (day := _element_day(element)) is not None:
            return day, "markup"
    for element in index.tagged("time"):
        if _is_update(element) or in_furniture(element):
            continue
        if (day := _element_day(element)) is not None:
            return day, "time"
    return None


def published_from_dateline(
    headline: HtmlElement | None, axis: Literal["following", "preceding"] = "following"
) -> date | None:
    """The first full date printed just after the headline (or, with axis="preceding", just
    before it), unless the text calls it an update."""
    if headline is None:
        return None
    found = headline.xpath(
        f"{axis}::text()[normalize-space()][not(parent::script or parent::style)]"
        f"[position() <= {_DATELINE_NODES[axis]}]"
    )
    texts = [str(text) for text in found] if isinstance(found, list) else []
    nearest = texts if axis == "following" else texts[::-1]
    return _first_day(_within(nearest, _DATELINE_CHARS))


def published_from_url(url: str | None) -> date | None:
    match = _URL_DAY.search(url or "")
    if match is None:
        return None
    year, month, day = match.groups()
    number = int(month) if month.isdigit() else _MONTH_ABBREVIATIONS.index(month[:3].lower()) + 1
    try:
        return valid_day(date(int(year), number, int(day)))
    except ValueError:
        return None


def _element_day(element: HtmlElement) -> date | None:
    for value in (element.get("datetime"), element.get("content")):
        if value and (day := parse_machine_date(value[:100])) is not None:
            return day
    return _first_day([element.text_content()[:200]])


def _is_update(element: HtmlElement) -> bool:
    """A `<time>` marked (on itself or its box) as the modification date."""
    parent = element.getparent()
    for node in (element, parent) if parent is not None else (element,):
        marks = f"{node.get('class') or ''} {node.get('id') or ''} {node.get('itemprop') or ''}"
        if _UPDATE_MARK.search(marks):
            return True
    return False


def _within(texts: list[str], limit: int) -> Iterator[str]:
    taken = 0
    for text in texts:
        if taken > limit:
            return
        taken += len(text)
        yield text[:limit]


def _first_day(texts: Iterable[str]) -> date | None:
    for text in texts:
        for match in _TEXT_DAY.finditer(text):
            if _UPDATED_BEFORE.search(text[max(0, match.start() - 25) : match.start()]):
                continue
            if (day := parse_machine_date(match.group())) is not None:
                return day
    return None
