"""The article's body: its paragraphs, subheadings and quotes in order (stub: trafilatura)."""

import trafilatura
from lxml.html import HtmlElement

from app.ingest.html.page import ExtractedBody, PageMetadata


def extract_body(tree: HtmlElement, url: str | None, metadata: PageMetadata) -> ExtractedBody:
    text = trafilatura.extract(tree, url=url, include_comments=False) or ""
    paragraphs = tuple(line.strip() for line in text.split("\n") if line.strip())
    return ExtractedBody(paragraphs=paragraphs, extractor="trafilatura")
