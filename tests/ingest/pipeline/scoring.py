"""How extraction is scored against hand-checked pages, the development set's way: word
4-gram overlap for bodies, folded comparison for names and titles."""

import re
import unicodedata
from collections import Counter

_TOKEN = re.compile(r"\w+")
_TYPOGRAPHIC = (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"'), ("—", "-"), ("–", "-"))


def shingle_f1(expected: str, extracted: str, n: int = 4) -> float:
    """The benchmark's measure for one page: word 4-gram overlap, F1 of precision and recall."""

    def shingles(text: str) -> Counter[tuple[str, ...]]:
        tokens = _TOKEN.findall(text)
        return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)))

    want, got = shingles(expected), shingles(extracted)
    overlap = sum((want & got).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(got.values()), overlap / sum(want.values())
    return 2 * precision * recall / (precision + recall)


def norm(text: str | None) -> str:
    """NFKC, typographic quotes and dashes folded, case, spacing, full stops and a leading
    "the" ignored."""
    text = unicodedata.normalize("NFKC", text or "")
    for typographic, plain in _TYPOGRAPHIC:
        text = text.replace(typographic, plain)
    return " ".join(text.casefold().split()).strip(" .").replace(".", "").removeprefix("the ")
