"""Raw scraped text in, a clean parsed article out: pure functions, no database, no HTTP."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from app.ingest.pipeline.bio import AuthorBio, parse_bio
from app.ingest.pipeline.header import parse_header
from app.ingest.pipeline.normalise import fold, fold_phrases, normalise_text
from app.ingest.pipeline.page_kind import looks_like_page_text
from app.ingest.pipeline.page_text import read_page
from app.ingest.pipeline.paragraphs import repair_glued
from app.ingest.pipeline.report import ParseReport
from app.ingest.pipeline.sections import split_sections
from app.ingest.pipeline.segment import Found, knowledge, segment

# Bump when the same text would come out differently: `newsdb reparse` uses it.
PIPELINE_VERSION = "2026.12.2"
# Text beyond this is kept as received but not parsed (a scrape is not a book).
MAX_PARSED_CHARS = 1_000_000
_MAX_BIOS = 3


@dataclass(frozen=True, slots=True)
class KnownNames:
    """Names the database already knows (tags by taxonomy label, authors), which the pipeline
    trusts when it segments tag lines and finds bios; everything optional. Not to be confused
    with a publisher's vocabulary (a taxonomy's loaded tag list, where these often come from)."""

    tags: Mapping[str, Sequence[str]] = field(default_factory=dict)  # taxonomy label → names
    authors: Sequence[str] = ()


@dataclass(frozen=True, slots=True)
class TaxonomySection:
    label: str
    raw: str
    tags: tuple[Found, ...]


@dataclass(frozen=True, slots=True)
class ParsedArticle:
    title: str | None
    subtitle: str | None
    body: str  # paragraphs separated by exactly one blank line
    published_at: date | None
    outlet: str | None
    byline: tuple[str, ...]
    bios: tuple[AuthorBio, ...]
    sections: tuple[TaxonomySection, ...]
    report: ParseReport
    # What only a fetched page states (the HTML front door fills these in).
    language: str | None = None
    canonical_url: str | None = None
    credit: str | None = None
    keywords: tuple[str, ...] = ()
    section: str | None = None


def parse_article(
    text: str, known: KnownNames | None = None, *, url: str | None = None
) -> ParsedArticle:
    """Best effort, always: never raises; the report says what could not be found. `url`, when
    the scraper sends it, helps find the headline in a whole page's text."""
    known = known or KnownNames()
    report = ParseReport()
    if len(text) > MAX_PARSED_CHARS:
        report.removed(text[MAX_PARSED_CHARS : MAX_PARSED_CHARS + 80], "beyond the parsed length")
        text = text[:MAX_PARSED_CHARS]
    lines = [line for line in normalise_text(text).split("\n") if line]
    if looks_like_page_text(lines):
        report.input = "page text"
        page = read_page(lines, url, report)
        header, lines = page.header, page.body
    else:
        header = parse_header(lines, report)
    heading = (header.title, header.subtitle)
    body, bios, sections = parse_body(
        lines[header.body_start :], header.byline, heading, known, report
    )
    return ParsedArticle(
        title=header.title,
        subtitle=header.subtitle,
        body=body,
        published_at=header.published_at,
        outlet=header.outlet,
        byline=header.byline,
        bios=bios,
        sections=sections,
        report=report,
    )


def parse_body(
    lines: list[str],
    byline: tuple[str, ...],
    heading: tuple[str | None, str | None],
    known: KnownNames,
    report: ParseReport,
) -> tuple[str, tuple[AuthorBio, ...], tuple[TaxonomySection, ...]]:
    """What follows the header, from either front door: taxonomy lines and closing bios taken
    out, glued paragraphs split; `heading` (title, subtitle) is where tag names are looked
    for besides the body."""
    body_lines, raw_sections = split_sections(lines, report, known.tags.keys())
    body_lines, bios = _take_bios(body_lines, (*byline, *known.authors), report)
    paragraphs = _repair(body_lines, report)
    if not paragraphs:
        report.missing.append("body")
    body = "\n\n".join(paragraphs)
    sections = _sections(
        [(section.label, section.line) for section in raw_sections],
        known,
        (*heading, body),
        report,
    )
    return body, bios, sections


def retag(parsed: ParsedArticle, known: KnownNames) -> ParsedArticle:
    """The same parse with its tag lines segmented again against other known names: what a
    caller does once it has looked up the stored tags the tag lines could match."""
    report = replace(parsed.report, sections=[])
    sections = _sections(
        [(section.label, section.raw) for section in parsed.sections],
        known,
        (parsed.title, parsed.subtitle, parsed.body),
        report,
    )
    return replace(parsed, sections=sections, report=report)


def _sections(
    lines: list[tuple[str, str]],
    known: KnownNames,
    texts: tuple[str | None, ...],
    report: ParseReport,
) -> tuple[TaxonomySection, ...]:
    if not lines:
        return ()
    # Names are looked for in everything the article says: title, subtitle and body.
    folded_text = fold_phrases("\n".join(text for text in texts if text))
    return tuple(_segment(label, line, known, folded_text, report) for label, line in lines)


def _take_bios(
    lines: list[str], names: tuple[str, ...], report: ParseReport
) -> tuple[list[str], tuple[AuthorBio, ...]]:
    """Bios close an article: peel them off the end (a co-written piece may have several)."""
    bios: list[AuthorBio] = []
    while lines and len(bios) < _MAX_BIOS and (bio := parse_bio(lines[-1], names)):
        report.removed(lines[-1], "author bio (moved to the author)")
        report.bios.insert(
            0,
            {
                "name": bio.name,
                "bio": bio.bio,
                "found_by": "named in the paragraph"
                if bio.name
                else "a closing 'is the …' paragraph whose name was lost",
            },
        )
        bios.insert(0, bio)
        lines = lines[:-1]
    return lines, tuple(bios)


def clean_body(text: str) -> str:
    """Any body text as newsdb stores bodies: normalised, one paragraph per line, glued
    paragraphs split, paragraphs separated by exactly one blank line. Idempotent."""
    lines = [line for line in normalise_text(text).split("\n") if line]
    return "\n\n".join(_repair(lines, ParseReport()))


def _repair(lines: list[str], report: ParseReport) -> list[str]:
    paragraphs: list[str] = []
    for line in lines:
        pieces = repair_glued(line)
        if len(pieces) > 1:
            report.repaired_paragraphs.append(
                {
                    "glued": line[:200],
                    "split_into": str(len(pieces)),
                    "rule": "sentence end glued to a capitalised word",
                }
            )
        paragraphs += pieces
    return paragraphs


def _segment(
    label: str, line: str, known: KnownNames, folded_body: str, report: ParseReport
) -> TaxonomySection:
    own: list[str] = []
    other: list[str] = []
    for taxonomy, names in known.tags.items():
        (own if fold(taxonomy) == fold(label) else other).extend(names)
    found = tuple(segment(line, knowledge(own, other, folded_body)))
    report.sections.append(
        {
            "label": label,
            "line": line[:500],
            "tags": [{"name": f.name, "found_by": f.source} for f in found],
        }
    )
    return TaxonomySection(label, line, found)
