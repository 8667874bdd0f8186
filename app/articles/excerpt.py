"""An article's excerpt: what a list shows of its body. It is written with the article (lists
read it as stored, never the body) and written again whenever the body changes."""

EXCERPT_CHARS = 280


def excerpt(body: str) -> str:
    """The opening of the body, cut at a word, first paragraph only."""
    first = body.split("\n\n", 1)[0]
    if len(first) <= EXCERPT_CHARS:
        return first
    cut = first[:EXCERPT_CHARS].rsplit(" ", 1)[0]
    return cut.rstrip(",;:—–- ") + "…"
