"""The words that bind a name's words together in a tag line: joiners (Bank of England),
Arabic particles (Hayat Tahrir al-Sham), name prefixes (Abu Mohammed) and leading
abbreviations (U.S. Treasury)."""

import re
from functools import lru_cache

from app.ingest.pipeline.normalise import fold_words

_JOINERS = {
    "of",
    "and",
    "the",
    "at",
    "in",
    "for",
    "on",
    "to",
    "de",
    "del",
    "la",
    "le",
    "da",
    "do",
    "du",
    "des",
    "von",
    "van",
    "der",
    "den",
    "y",
    "e",
    "&",
}
_NAME_PREFIXES = {"abu", "umm", "bin", "ibn", "bint", "sheikh", "sayyed", "sayyid", "mullah"}
_PARTICLE = re.compile(r"^(?:al|el|al|ul|ad|ar|as|at|az|an|ash)-\w", re.IGNORECASE)
_ABBREVIATION = re.compile(r"^(?:[A-Z]\.){2,}$")


def is_connector(word: str) -> bool:
    """A lowercase word that may stand inside a name: a joiner (Bank of England) or an Arabic
    particle (Hayat Tahrir al-Sham)."""
    return word.casefold() in _JOINERS or bool(_PARTICLE.match(word))


@lru_cache(maxsize=65_536)
def word_facts(word: str) -> tuple[str, bool, bool, bool, bool]:
    """(folded, capitalised, binds right, binds left, joiner): tag lines repeat the same words
    article after article, so each is looked at once."""
    lower = word.casefold()
    joiner = lower in _JOINERS
    binds_right = joiner or lower in _NAME_PREFIXES or bool(_ABBREVIATION.match(word))
    binds_left = joiner or bool(_PARTICLE.match(word))
    return fold_words(word), word[:1].isupper(), binds_right, binds_left, joiner
