"""The HTML front door: a fetched page in, the article's text and metadata out. Pure functions
(lxml and the extraction libraries; no database, no HTTP)."""

from app.ingest.pipeline.html.body import extract_body
from app.ingest.pipeline.html.document import parse_document
from app.ingest.pipeline.html.metadata import extract_metadata
from app.ingest.pipeline.html.page import ExtractedBody, PageMetadata

__all__ = ["ExtractedBody", "PageMetadata", "extract_body", "extract_metadata", "parse_document"]
