"""The elements metadata is read from, found in two passes over the tree instead of one XPath
query per question (each full-tree query costs about a millisecond on a real page)."""

from collections import defaultdict
from dataclasses import dataclass, field

from lxml import etree
from lxml.html import HtmlElement

INDEXED_TAGS = ("body", "meta", "link", "script", "title", "h1", "h2", "time", "img")
# class, id, rel and itemprop values that mark a byline, an author or a publication date; plain
# contains() on the spellings pages use (XPath has no cheap case folding).
_MARKING_ATTRIBUTES = etree.XPath(
    "//body//@class[contains(., 'uthor') or contains(., 'yline') or contains(., 'yLine')]"
    " | //body//@id[contains(., 'uthor') or contains(., 'yline') or contains(., 'yLine')]"
    " | //body//@rel[. = 'author']"
    " | //body//@itemprop[contains(., 'uthor') or contains(., 'atePublished')]"
)
_MAX_MARKED = 300


@dataclass(frozen=True, slots=True)
class PageIndex:
    by_tag: dict[str, list[HtmlElement]] = field(default_factory=dict)
    # Body elements whose class, id, rel or itemprop mentions an author, byline or
    # datePublished, in document order.
    marked: list[HtmlElement] = field(default_factory=list)

    def tagged(self, tag: str) -> list[HtmlElement]:
        return self.by_tag.get(tag, [])


def index_page(tree: HtmlElement) -> PageIndex:
    by_tag: defaultdict[str, list[HtmlElement]] = defaultdict(list)
    for element in tree.iter(*INDEXED_TAGS):
        by_tag[str(element.tag)].append(element)
    marked: list[HtmlElement] = []
    for value in _MARKING_ATTRIBUTES(tree):
        if len(marked) >= _MAX_MARKED:
            break
        element = value.getparent()
        if not marked or marked[-1] is not element:
            marked.append(element)
    return PageIndex(dict(by_tag), marked)
