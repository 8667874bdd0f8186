"""Text normalisation: the first step, and the one every later comparison leans on."""

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

# Each pattern costs a scan of the whole text: control and invisible characters, both
# dropped, are one. re only skips ahead fast to a pattern's first character when the pattern
# starts with a plain character or class, not with a repeat: hence "  +", not " {2,}".
_SURROGATES = re.compile(r"[\ud800-\udfff]")
_CONTROL_OR_INVISIBLE = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200d\u2060\ufeff\u00ad]"
)
_NO_BREAK_SPACES = re.compile(r"[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_SPACE_RUNS = re.compile(r"  +")
_QUOTES = str.maketrans(
    {"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'", "“": '"', "”": '"', "„": '"'}
)


def normalise_text(text: str) -> str:
    """One newline style, plain spaces (no-break and zero-width ones are scraping noise), NFC,
    no control characters, no spaces at line ends. Punctuation is kept as published: curly
    quotes stay curly. Idempotent."""
    text = _SURROGATES.sub("\ufffd", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _NO_BREAK_SPACES.sub(" ", _CONTROL_OR_INVISIBLE.sub("", text))
    text = _SPACE_RUNS.sub(" ", unicodedata.normalize("NFC", text))
    return "\n".join(line.strip() for line in text.split("\n")).strip("\n")


def fold(text: str) -> str:
    """A comparison key: case, quote style, spacing and NFKC differences don't count."""
    folded = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    return " ".join(folded.split())


_COMBINING = re.compile(r"[\u0300-\u036f]")
_NON_ASCII = re.compile(r"[^\x00-\x7f][^\x00-\x7f]*")  # a run, spelled for re's fast skip


@lru_cache(maxsize=65_536)
def _ascii_run(run: str) -> str:
    folded = _COMBINING.sub("", unicodedata.normalize("NFKD", run)).translate(_QUOTES)
    return folded if folded.isascii() else anyascii(folded)


def to_ascii(text: str) -> str:
    """Latin letters without diacritics, plain quotes, and anything else (Arabic, Cyrillic, …)
    transliterated by anyascii; only the non-ASCII runs are looked at, each once."""
    if text.isascii():
        return text
    return _NON_ASCII.sub(lambda match: _ascii_run(match.group()), text)


@lru_cache(maxsize=65_536)
def fold_words(text: str) -> str:
    """A looser key for finding names in text: diacritics, apostrophes and the Arabic article
    (al-/el-) don't count, so Kata'ib matches Kataib, Erdoğan matches Erdogan, Ali al-Sistani
    matches Ali Sistani. Words are separated by single spaces."""
    ascii_text = to_ascii(text).casefold().replace("'", "")
    words = re.findall(r"[a-z0-9]+", ascii_text)
    return " ".join(word for word in words if word not in ("al", "el"))


# Punctuation that ends a clause; a full stop only after a lowercase word or a number, so
# that abbreviations (U.S. Central Command) stay inside their name. Full stops go first: a
# mark's " | " would otherwise give the stop before it the space it needs ("war.," is no stop).
# re scans fast for a leading literal or ASCII class (hence the look-behind after the dot), and
# str.replace beats any pattern for the typographic marks, which become "|" first.
_FULL_STOP = re.compile(r"\.(?<=[a-z0-9]\.)(?=\s|$)")
_TYPOGRAPHIC_MARKS = "“”«»—–"
_CLAUSE_BREAK = re.compile(r"[,;:!?()\[\]\"|][,;:!?()\[\]\"|]*")  # a run, as _NON_ASCII
# For ASCII text: lowercase, apostrophes dropped, anything but letters, digits and "|" a space.
_WORD_CHARACTERS = str.maketrans(
    {
        character: None if character == "'" else character.lower() if character.isalnum() else " "
        for character in map(chr, range(128))
        if character != "|"
    }
)
_ARTICLE = re.compile(r"[ae]l (?<![a-z0-9][ae]l )")  # "al " or "el " starting a word


def fold_phrases(text: str) -> str:
    """`fold_words` for a whole text in one pass, with "|" where punctuation separates
    clauses, so that a phrase looked up in it never spans a comma ("Kataib Hezbollah, Asaib
    Ahl al-Haq" holds two names)."""
    text = _FULL_STOP.sub(" | ", text)
    for mark in _TYPOGRAPHIC_MARKS:
        text = text.replace(mark, "|")
    words = to_ascii(_CLAUSE_BREAK.sub(" | ", text)).translate(_WORD_CHARACTERS).split()
    return _ARTICLE.sub("", " ".join(words) + " ").strip()
