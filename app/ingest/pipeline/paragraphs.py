"""Paragraph repair: two paragraphs glued by the scraper ("attacks.This") are split again."""

import re

# A sentence end (after a lowercase letter, a digit or a closing bracket), maybe a closing
# quote, then straight on a capitalised word, maybe behind an opening quote. The look-behind
# comes after the stop so that re skips fast from one [.!?] to the next.
_GLUED = re.compile(r"[.!?](?<=[a-z0-9\)\]%][.!?])[”\"’]?(?=[“\"‘]?[A-Z][a-z])")
_ABBREVIATION_BEFORE = re.compile(
    r"(?:\b(?:[A-Za-z]\.)+[A-Za-z]|\b(?:e\.g|i\.e|etc|vs|approx|No|St|Mr|Mrs|Ms|Dr|Prof|Gen|Col|Lt|Sgt|Rep|Sen|Gov|Jr|Sr|Inc|Ltd|Co|Corp))$"
)
_DOMAIN_AFTER = re.compile(
    r"^[A-Za-z][\w-]*\.(?:com|org|net|gov|edu|io|co|uk|il|de|fr|info|news)\b"
)
_WWW_BEFORE = re.compile(r"(?:www|https?://\S*)$", re.IGNORECASE)


def repair_glued(paragraph: str) -> list[str]:
    """The paragraph, split wherever two paragraphs were glued together."""
    pieces, start = [], 0
    for match in _GLUED.finditer(paragraph):
        before, after = paragraph[start : match.start()], paragraph[match.end() :]
        last_word = before.rsplit(" ", 1)[-1]
        if _ABBREVIATION_BEFORE.search(last_word) or _WWW_BEFORE.search(last_word):
            continue
        if _DOMAIN_AFTER.match(after):
            continue
        pieces.append(paragraph[start : match.end()].strip())
        start = match.end()
    pieces.append(paragraph[start:].strip())
    return [piece for piece in pieces if piece]
