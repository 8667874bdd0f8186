"""How newsdb decides that two things are the same: URLs, names, titles, bodies."""

import hashlib
import re
import unicodedata
from datetime import date
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from anyascii import anyascii
from breame.data.spelling_constants import BRITISH_ENGLISH_SPELLINGS
from slugify import slugify
from url_normalize import url_normalize

from app.db.models import MAX_URL_CHARS
from app.errors import InvalidInput
from app.ingest.pipeline.html.site_names import host_of
from app.ingest.pipeline.normalise import to_ascii

# Parameters that say how a reader arrived, not which piece they read.
_TRACKING_PARAM = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|twclid|igshid|mc_cid|mc_eid|"
    r"_ga|_gl|_hsenc|_hsmi|mkt_tok|ocid|cmpid|smid|sr_share|share|ref|ref_src|ref_url|"
    r"campaign_id|source|spm|at_medium|at_campaign|at_custom\d)$",
    re.IGNORECASE,
)
_APOSTROPHES = re.compile(r"[’'ʼ`´‘]")
_QUOTES = '"“”«»„‟‹›'


# A public host name such as example.com: what an outlet's domain may be.
HOST_NAME = re.compile(r"[a-z0-9.-]+\.[a-z]{2,}")


def canonical_url(url: str) -> str:
    """One spelling per piece: https, lower-case host without `www.`, no fragment, no tracking
    parameters, sorted query, no trailing slash."""
    try:
        normalised = url_normalize(url.strip()) or url.strip()
        parts = urlsplit(normalised)
        host = (parts.hostname or "").lower().removeprefix("www.")
        if parts.port:
            host = f"{host}:{parts.port}"
    except ValueError as error:  # a bad port, an unclosed [, a host label IDNA refuses
        raise InvalidInput(f"the url {url[:200]!r} cannot be read: {error}") from None
    if not host:
        raise InvalidInput(f"the url {url[:200]!r} names no host")
    query = sorted(
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not _TRACKING_PARAM.match(key)
    )
    path = parts.path.rstrip("/") if parts.path != "/" else ""
    canonical = urlunsplit(("https", host, path, urlencode(query), ""))
    if len(canonical) > MAX_URL_CHARS:
        raise InvalidInput(
            f"the url is {len(canonical)} characters once normalised; at most {MAX_URL_CHARS}"
        )
    return canonical


def readable_url(url: str) -> bool:
    """Whether `canonical_url` can file the URL (a page's own links may be anything)."""
    try:
        canonical_url(url)
    except InvalidInput:
        return False
    return True


def site_domain(url: str) -> str | None:
    """The host an outlet is known by (`www.` aside), when it is a public host name."""
    host = host_of(url)
    return host if host and HOST_NAME.fullmatch(host) else None


def same_site(first: str, second: str) -> bool:
    """Whether two URLs name one host (`www.` aside)."""
    host = host_of(first)
    return host is not None and host == host_of(second)


# Every slug name_key gives (python-slugify's, or the fallback's), at most 300 characters: a
# path or query naming another slug finds nothing.
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


@lru_cache(maxsize=100_000)
def name_key(name: str) -> str:
    """The slug a name is filed under: case, spacing, quotes and apostrophes don't matter
    (Kata'ib, Kata’ib and kataib are one tag)."""
    cleaned = _APOSTROPHES.sub("", name).strip().strip(_QUOTES)
    return slugify(cleaned, max_length=300, word_boundary=False) or _fallback_slug(name)


def _fallback_slug(name: str) -> str:
    # Names made only of symbols still need a stable, unique slug.
    return "x-" + hashlib.sha256(name.strip().encode("utf-8", "replace")).hexdigest()[:16]


def title_key(title: str) -> str:
    folded = anyascii(unicodedata.normalize("NFKC", _APOSTROPHES.sub("", title))).casefold()
    return " ".join(re.findall(r"[a-z0-9]+", folded))


def spelling_folded_title(title: str) -> str:
    """`title_key` with British spellings made American (Defence Organisation launches
    programme = Defense Organization launches program): one title, respelt by a re-scrape."""
    return " ".join(BRITISH_ENGLISH_SPELLINGS.get(word, word) for word in title_key(title).split())


def identity_key(outlet_slug: str | None, title: str, day: date) -> str:
    """Outlet + normalised title + publication day: the identity of a piece without a URL."""
    material = f"{outlet_slug or ''}\n{title_key(title)}\n{day.isoformat()}"
    return hashlib.sha256(material.encode()).hexdigest()


# Word characters of the ASCII text SimHash reads (`\w` on ASCII); every other byte becomes a
# space, so one bytes.translate + split finds the words that `re.findall(r"\w+")` would.
_WORD_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_WORDS_ONLY = bytes(byte if byte in _WORD_BYTES else 0x20 for byte in range(256))
# Copying a prepared 8-byte BLAKE2b is cheaper than building one per shingle (no argument parsing).
_BLAKE2B_8 = hashlib.blake2b(digest_size=8)


@lru_cache(maxsize=1_024)
def _bit_masks(count: int) -> tuple[int, ...]:
    """For bit j, an integer with bit j set in each of `count` bytes: ANDing a column of
    digest bytes with it and counting the set bits counts that bit over all shingles."""
    return tuple(int.from_bytes(bytes([1 << bit]) * count, "little") for bit in range(8))


def simhash(text: str) -> int:
    """64-bit SimHash over word 3-grams, as a signed integer (fits BIGINT). Bodies that differ
    by a few words land a few bits apart; unrelated bodies about 32 bits apart."""
    # to_ascii leaves only ASCII, so bytes operations see the same words as str ones would.
    words = to_ascii(text).casefold().encode().translate(_WORDS_ONLY).split()
    shingles = (
        list(map(b" ".join, zip(words, words[1:], words[2:], strict=False)))
        if len(words) > 2
        else [b" ".join(words)]
    )
    copy = _BLAKE2B_8.copy
    digests = []
    for shingle in shingles:
        hasher = copy()
        hasher.update(shingle)
        digests.append(hasher.digest())
    joined = b"".join(digests)
    masks = _bit_masks(len(shingles))
    half = len(shingles) / 2
    value = 0
    for byte_index in range(8):
        column = int.from_bytes(joined[byte_index::8], "little")
        for bit, mask in enumerate(masks):
            if (column & mask).bit_count() > half:
                value |= 1 << (byte_index * 8 + bit)
    return value - (1 << 64) if value >= 1 << 63 else value


def hamming(a: int, b: int) -> int:
    return ((a ^ b) & ((1 << 64) - 1)).bit_count()


def fingerprint_bands(fingerprint: int) -> tuple[int, int, int, int]:
    """Four 16-bit bands: two fingerprints at most 3 bits apart share at least one band."""
    unsigned = fingerprint & ((1 << 64) - 1)
    return (
        unsigned & 0xFFFF,
        unsigned >> 16 & 0xFFFF,
        unsigned >> 32 & 0xFFFF,
        unsigned >> 48 & 0xFFFF,
    )


def fingerprint_columns(fingerprint: int) -> dict[str, int]:
    """An article's fingerprint and its four bands, as the row's columns."""
    bands = fingerprint_bands(fingerprint)
    return {"fingerprint": fingerprint} | {
        f"fingerprint_band{number}": band for number, band in enumerate(bands)
    }
