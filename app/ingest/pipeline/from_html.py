"""The HTML front door: a fetched page becomes the same parsed article a text scrape does. The
page's own statements give the header (title, byline, day, outlet); its extracted paragraphs go
through the text pipeline's body stage (taxonomy lines, bios, glued paragraphs)."""

from app.ingest.pipeline.from_text import KnownNames, ParsedArticle, parse_body
from app.ingest.pipeline.html import extract_body, extract_metadata, parse_document
from app.ingest.pipeline.normalise import normalise_text
from app.ingest.pipeline.report import ParseReport

_MAX_REMOVED = 50


def parse_html(page: str, url: str | None, known: KnownNames | None = None) -> ParsedArticle:
    """Best effort, always: never raises; the report says what could not be found."""
    report = ParseReport(input="html")
    tree = parse_document(page)
    if tree is None:
        report.missing += ["title", "published_at", "body"]
        return _empty(report)
    metadata = extract_metadata(tree, url)
    extracted = extract_body(tree, url, metadata)
    report.found = dict(metadata.origins)
    for block in extracted.removed[:_MAX_REMOVED]:
        report.removed(block.get("text", ""), block.get("reason", "not part of the article"))
    lines = [line for line in normalise_text("\n".join(extracted.paragraphs)).split("\n") if line]
    body, bios, sections = parse_body(
        lines,
        metadata.authors,
        (metadata.title, metadata.subtitle),
        known or KnownNames(),
        report,
    )
    report.header = {"extractor": extracted.extractor}
    for name, value in (("title", metadata.title), ("published_at", metadata.published_at)):
        if not value:
            report.missing.append(name)
    return ParsedArticle(
        title=metadata.title,
        subtitle=metadata.subtitle,
        body=body,
        published_at=metadata.published_at,
        outlet=metadata.outlet,
        byline=metadata.authors,
        bios=bios,
        sections=sections,
        report=report,
        language=metadata.language,
        canonical_url=metadata.canonical_url,
        credit=metadata.credit,
        keywords=metadata.keywords,
        section=metadata.section,
    )


def _empty(report: ParseReport) -> ParsedArticle:
    return ParsedArticle(
        title=None,
        subtitle=None,
        body="",
        published_at=None,
        outlet=None,
        byline=(),
        bios=(),
        sections=(),
        report=report,
    )
