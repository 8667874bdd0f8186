"""Pages too big for the extraction libraries (hostile or broken: hundreds of thousands of tags,
megabytes of text in one node). Their time grows faster than the page, so such a page gets a
single bounded pass that keeps its visible text, split at block elements."""

from collections.abc import Iterator
from itertools import islice

from lxml.etree import XPath, iterwalk
from lxml.html import HtmlElement

# Real article pages have a few thousand elements and up to a megabyte of text, scripts
# included; these are many times that, so only a hostile or broken page reaches them.
MAX_ELEMENTS = 15_000
MAX_PAGE_TEXT_CHARS = 3_000_000
# The most text the plain pass returns.
MAX_TEXT_CHARS = 1_000_000
# The plain pass itself stops after this many tags (a 10 MB page can hold millions).
MAX_WALKED_ELEMENTS = 200_000
_COUNT_ELEMENTS = XPath("count(//*)")
_COUNT_TEXT_CHARS = XPath("string-length(string(/))")
_INVISIBLE = frozenset({"script", "style", "noscript", "template"})
_BLOCKS = frozenset(
    {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "tr", "br"}
    | {"section", "article", "header", "footer", "dd", "dt", "table", "ul", "ol", "body"}
)


def is_oversized(tree: HtmlElement) -> bool:
    # XPath counts in C: no Python object per element or string per text node.
    return bool(
        _COUNT_ELEMENTS(tree) > MAX_ELEMENTS or _COUNT_TEXT_CHARS(tree) > MAX_PAGE_TEXT_CHARS
    )


def _paragraphs(tree: HtmlElement) -> Iterator[str]:
    """One walk in document order; a block element's start and end both close a paragraph."""
    buffer: list[str] = []
    hidden = 0
    walk = iterwalk(tree, events=("start", "end"))
    for event, element in islice(walk, 2 * MAX_WALKED_ELEMENTS):
        tag = element.tag
        if tag in _BLOCKS:
            yield " ".join(" ".join(buffer).split())
            buffer.clear()
        if event == "start":
            hidden += tag in _INVISIBLE
            if not hidden and element.text:
                buffer.append(element.text[:MAX_TEXT_CHARS])
        else:
            hidden -= tag in _INVISIBLE
            if not hidden and element.tail:
                buffer.append(element.tail[:MAX_TEXT_CHARS])
    yield " ".join(" ".join(buffer).split())


def plain_paragraphs(tree: HtmlElement) -> tuple[str, ...]:
    """The page's visible text split at block elements, in order, bounded in size."""
    kept: list[str] = []
    budget = MAX_TEXT_CHARS
    for text in _paragraphs(tree):
        if text:
            kept.append(text[:budget])
            budget -= len(text)
        if budget <= 0:
            break
    return tuple(kept)
