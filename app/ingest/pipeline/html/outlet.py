"""The publication's own name: og:site_name, application-name, JSON-LD publisher, the
`<title>` suffix, the masthead logo's alt text, else the host. Where several sources spell the
same name, the most readable spelling wins ("The Hill" over "TheHill", "Live Science" over
"livescience.com")."""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

from lxml.html import HtmlElement

from app.ingest.pipeline.html.agencies import is_agency
from app.ingest.pipeline.html.json_ld import JsonLdFacts
from app.ingest.pipeline.html.meta_tags import MetaTags
from app.ingest.pipeline.html.page_index import PageIndex
from app.ingest.pipeline.html.site_names import (
    TITLE_SEPARATOR,
    domain_label,
    first_segment,
    host_of,
    looks_like_domain,
    site_key,
)

_LOGO_WORDS = re.compile(r"(?:'s|’s)?\b(?:logo|image|img|icon|header|home|homepage)\b", re.I)
_MAX_NAME_CHARS = 80
_MAX_LOGOS = 5
_MAX_IMAGES = 200
# A logo's class sits on the image or on the link or box around it.
_LOGO_ANCESTORS = 3
# Shorter host names prefix too many words for a title segment to be the site's name by that.
_MIN_HOST_KEY = 4


@dataclass(frozen=True, slots=True)
class NameCandidate:
    name: str
    origin: str


def site_name_candidates(
    index: PageIndex, meta: MetaTags, json_ld: JsonLdFacts, url: str | None
) -> list[NameCandidate]:
    """What the page calls its site, strongest source first; a `<title>` segment or a logo's
    alt counts only when it agrees with another source or with the host ("Vortex Cannon
    Entertainment" on vortexcannon.org)."""
    stated = list(_stated_names(meta, json_ld))
    known = {site_key(c.name) for c in stated}
    host_key = site_key(domain_label(url) or "")
    known.add(host_key)

    segments = _title_segments(index)
    if len(segments) > 1:
        last, first = site_key(segments[-1]), site_key(segments[0])
        extends_host = len(host_key) >= _MIN_HOST_KEY and last.startswith(host_key)
        if last in known or extends_host:
            stated.append(NameCandidate(segments[-1], "title"))
        if first in known:
            stated.append(NameCandidate(segments[0], "title"))
    stated.extend(c for c in _logo_names(index) if site_key(c.name) in known)
    if host := host_of(url):
        stated.append(NameCandidate(host, "domain"))
    return [c for c in stated if site_key(c.name)]


def choose_outlet(candidates: list[NameCandidate], url: str | None) -> NameCandidate | None:
    """The strongest stated name, unless a weaker statement agrees with the host and it does
    not (Reuters' og:site_name is its edition, "U.S.")."""
    if not candidates:
        return None
    host_key = site_key(domain_label(url) or "")
    stated = [c for c in candidates if c.origin not in ("masthead", "domain")]
    best = next((c for c in stated if site_key(c.name) == host_key), candidates[0])
    # A logo's alt text is decoration ("Mac Rumors"): it spells the name only when nothing
    # else does.
    same = [
        c
        for c in candidates
        if site_key(c.name) == site_key(best.name) and (c.origin != "masthead" or c is best)
    ]
    readable = max(same, key=_readability)
    return NameCandidate(readable.name, best.origin)


def _stated_names(meta: MetaTags, json_ld: JsonLdFacts) -> Iterator[NameCandidate]:
    for name in ("og:site_name", "application-name", "apple-mobile-web-app-title"):
        for value in meta.all(name):
            if "://" in value:  # a URL, not a name; the host speaks for itself
                continue
            yield NameCandidate(first_segment(value)[:_MAX_NAME_CHARS], "meta")
    # A wire story's JSON-LD often names the agency as publisher, not the site showing it.
    if json_ld.publisher and not is_agency(json_ld.publisher):
        yield NameCandidate(first_segment(json_ld.publisher)[:_MAX_NAME_CHARS], "json-ld")


def _title_segments(index: PageIndex) -> list[str]:
    titles = index.tagged("title")
    title = " ".join(titles[0].text_content().split()) if titles else ""
    return [part.strip()[:_MAX_NAME_CHARS] for part in TITLE_SEPARATOR.split(title)]


def _logo_names(index: PageIndex) -> Iterator[NameCandidate]:
    logos = [img for img in index.tagged("img")[:_MAX_IMAGES] if _is_logo(img)]
    for logo in logos[:_MAX_LOGOS]:
        alt = " ".join(_LOGO_WORDS.sub(" ", logo.get("alt") or "").replace("-", " ").split())
        if alt:
            yield NameCandidate(alt[:_MAX_NAME_CHARS], "masthead")


def _is_logo(image: HtmlElement) -> bool:
    if not image.get("alt"):
        return False
    nodes = [image, *islice(image.iterancestors(), _LOGO_ANCESTORS)]
    return any("logo" in f"{n.get('class') or ''} {n.get('id') or ''}".lower() for n in nodes)


def _readability(candidate: NameCandidate) -> tuple[bool, bool, bool]:
    name = candidate.name
    return (not looks_like_domain(name), " " in name, name != name.lower())
