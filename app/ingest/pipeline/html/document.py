"""Any bytes a scraper calls HTML, parsed into one lxml tree that every extractor shares."""

from lxml import html as lxml_html
from lxml.etree import ElementDefaultClassLookup, LxmlError

# libxml2's own depth guard (no huge_tree) stops runaway nesting and oversized text nodes; this
# only bounds the input size.
MAX_HTML_CHARS = 10_000_000

# Comments and processing instructions dropped at parse time: an extractor that later strips a
# comment node inside a paragraph takes the text after it (its tail) along, cutting the sentence.
# Bytes in, UTF-8 declared: a page's own XML declaration or <meta charset> cannot make lxml refuse
# a str or decode it twice.
_PARSER = lxml_html.HTMLParser(
    encoding="utf-8",
    remove_comments=True,
    remove_pis=True,
    collect_ids=False,
    default_doctype=False,
)
# Every element an HtmlElement, chosen in C: lxml.html's own lookup picks a class per tag (form,
# input, label...) in Python each time an element is touched, a tenth of the extraction time.
_PARSER.set_element_class_lookup(
    ElementDefaultClassLookup(
        element=lxml_html.HtmlElement,
        comment=lxml_html.HtmlComment,
        pi=lxml_html.HtmlProcessingInstruction,
        entity=lxml_html.HtmlEntity,
    )
)


def parse_document(page: str) -> lxml_html.HtmlElement | None:
    """The page's tree, or None when nothing in it parses as HTML."""
    # Lone surrogates (a broken decode upstream) cannot be encoded; "replace" keeps the rest.
    data = page[:MAX_HTML_CHARS].encode("utf-8", errors="replace")
    try:
        return lxml_html.document_fromstring(data, parser=_PARSER)
    except (LxmlError, ValueError):
        return None
