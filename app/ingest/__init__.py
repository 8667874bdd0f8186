"""The raw-text ingest pipeline: pure functions from scraped text to a parsed article."""

from app.ingest.bio import AuthorBio
from app.ingest.normalise import normalise_text
from app.ingest.pipeline import (
    PIPELINE_VERSION,
    ParsedArticle,
    TaxonomySection,
    Vocabulary,
    clean_body,
    parse_article,
    retag,
)
from app.ingest.report import ParseReport
from app.ingest.segment import Found

__all__ = [
    "PIPELINE_VERSION",
    "AuthorBio",
    "Found",
    "ParseReport",
    "ParsedArticle",
    "TaxonomySection",
    "Vocabulary",
    "clean_body",
    "normalise_text",
    "parse_article",
    "retag",
]
