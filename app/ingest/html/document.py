"""Any bytes a scraper calls HTML, parsed into one lxml tree that every extractor shares."""

from lxml import html as lxml_html
from lxml.etree import ParserError

# libxml2's own recursion guard stops runaway nesting; this only bounds the input size.
MAX_HTML_CHARS = 10_000_000


def parse_document(page: str) -> lxml_html.HtmlElement | None:
    """The page's tree, or None when nothing in it parses as HTML."""
    try:
        return lxml_html.document_fromstring(page[:MAX_HTML_CHARS])
    except (ParserError, ValueError):
        return None
