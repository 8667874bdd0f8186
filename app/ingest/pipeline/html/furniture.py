"""Page furniture: navigation, sidebars, footers, comments and teasers of other articles. Their
headings and bylines belong to other pages."""

import re

from lxml.html import HtmlElement

FURNITURE_TAGS = frozenset({"nav", "aside", "footer", "form"})
# Judged per class/id token, by how it starts or ends: "nav-container", "comment-author" and
# "post-sidebar" are furniture; BEM modifiers such as "header--simple-navigation" are not.
_FURNITURE_TOKEN = re.compile(
    r"^(?:comment|respond|reply|related|recommend|sidebar|footer|nav|menu|widget-area)"
    r"|(?:comments?|related|sidebar|footer|menu|navbar)$",
    re.IGNORECASE,
)


def in_furniture(
    element: HtmlElement,
    tags: frozenset[str] = FURNITURE_TAGS,
    token: re.Pattern[str] = _FURNITURE_TOKEN,
) -> bool:
    for node in (element, *element.iterancestors()):
        # <body> and <html> classes describe the page's state ("nav-no-loaded"), not a region.
        if node.tag in ("body", "html"):
            return False
        if node.tag in tags and not _articles_own_footer(node):
            return True
        marks = f"{node.get('class') or ''} {node.get('id') or ''}".split()
        if any(token.search(mark) for mark in marks):
            return True
    return False


def _articles_own_footer(node: HtmlElement) -> bool:
    """An <article>'s <footer> holds its byline and dates (HTML's own advice), not the site's."""
    return node.tag == "footer" and any(a.tag == "article" for a in node.iterancestors())
