"""How a site names itself, compared loosely: "TheHill", "The Hill" and "thehill.com" are one
name; `<title>` suffixes and prefixes that are the site's name come off the headline."""

import re
from collections.abc import Set as AbstractSet
from urllib.parse import urlsplit

# Separators between a headline and the site's name in `<title>` and og:site_name.
TITLE_SEPARATOR = re.compile(r"\s+(?:[|\-–—»·•]|::)\s+|\s*\|\s*")
_DOMAIN_SHAPED = re.compile(r"^(?:www\.)?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,6}$", re.IGNORECASE)
# Second-level labels under a country code (example.co.uk, example.com.br).
_GENERIC_SECOND_LEVEL = frozenset({"co", "com", "net", "org", "ac", "gov", "edu", "ne", "or"})
_NOT_ALPHANUMERIC = re.compile(r"\W+")
# A trailing segment this short and capitalised, left after the site's name, is a section
# ("News", "Breaking News").
_SECTION_MAX_WORDS = 2


def host_of(url: str | None) -> str | None:
    """The host a URL names, lower case and `www.` aside; None without one."""
    try:
        host = urlsplit(url or "").hostname
    except ValueError:  # an unclosed [ in the host
        return None
    return host.removeprefix("www.") if host else None


def domain_label(url: str | None) -> str | None:
    """The registered name in the host: `entermedia` for www.entermedia.co.kr."""
    host = host_of(url)
    if not host or "." not in host:
        return None
    labels = host.split(".")[:-1]
    if len(labels) > 1 and labels[-1] in _GENERIC_SECOND_LEVEL:
        labels = labels[:-1]
    return labels[-1] if labels else None


def looks_like_domain(name: str) -> bool:
    return bool(_DOMAIN_SHAPED.match(name.strip()))


def site_key(name: str) -> str:
    """The name folded for comparison: case, spaces, punctuation and a domain's TLD dropped."""
    name = name.strip()
    if looks_like_domain(name):
        name = name.lower().removeprefix("www.").split(".")[0]
    return _NOT_ALPHANUMERIC.sub("", name.casefold()).removeprefix("the")


def first_segment(name: str) -> str:
    """The name before any tagline: "LinkNaija | Nigeria's popular news platform" is
    LinkNaija."""
    return TITLE_SEPARATOR.split(name.strip(), maxsplit=1)[0].strip()


def strip_site_name(title: str, site_keys: AbstractSet[str]) -> str:
    """The headline in a `<title>`-like string: the site's name (and a short section left
    beside it) taken off either end."""
    parts = [part for part in TITLE_SEPARATOR.split(title.strip()) if part.strip()]
    stripped = False
    while len(parts) > 1 and site_key(parts[-1]) in site_keys:
        parts.pop()
        stripped = True
    if stripped and len(parts) > 1 and _looks_like_section(parts[-1]):
        parts.pop()
    while len(parts) > 1 and site_key(parts[0]) in site_keys:
        parts.pop(0)
    if not parts:
        return title.strip()
    # Rejoin what is left with the page's own separator, so a headline's dash survives.
    start, end = title.find(parts[0]), title.rfind(parts[-1]) + len(parts[-1])
    return title[start:end].strip() if 0 <= start < end else " - ".join(parts)


def _looks_like_section(part: str) -> bool:
    words = part.split()
    return len(words) <= _SECTION_MAX_WORDS and all(word[0].isupper() for word in words)
