"""Text shaping shared by structured create and the ingest pipeline."""

import re
import unicodedata

from app.schemas import scrub

_INLINE_SPACE = re.compile(r"[ \t\u00a0\u2007\u202f]+")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff]")


def normalise_body(body: str) -> str:
    """Paragraphs (one per non-empty line) separated by exactly one blank line."""
    text = unicodedata.normalize("NFC", _INVISIBLE.sub("", scrub(body)))
    lines = (_INLINE_SPACE.sub(" ", line).strip() for line in re.split(r"\r\n|\r|\n", text))
    return "\n\n".join(line for line in lines if line)
