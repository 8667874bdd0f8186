"""The ingest pipeline: pure functions from a scrape (clean text, page text or a fetched page's
HTML) to a parsed article. No database, no HTTP: easy to test on hundreds of cases."""

from app.ingest.pipeline.bio import AuthorBio
from app.ingest.pipeline.from_text import (
    PIPELINE_VERSION,
    KnownNames,
    ParsedArticle,
    TaxonomySection,
    clean_body,
    parse_article,
    retag,
)
from app.ingest.pipeline.normalise import normalise_text
from app.ingest.pipeline.report import ParseReport
from app.ingest.pipeline.segment import Found

__all__ = [
    "PIPELINE_VERSION",
    "AuthorBio",
    "Found",
    "KnownNames",
    "ParseReport",
    "ParsedArticle",
    "TaxonomySection",
    "clean_body",
    "normalise_text",
    "parse_article",
    "retag",
]
