"""A byline's text split into people, and a credit when it names an organisation instead.

"By Troy L. Smith, Cleveland.com" is Troy L. Smith; "Ilana Muhlstein, MS, RDN" is Ilana
Muhlstein; "PTI, Washington" credits PTI (what follows an organisation is a dateline);
"jdadmin", "Admin" and "The Russian and Syrian defense ministries" are nobody."""

import re
from dataclasses import dataclass

from app.ingest.pipeline.dates import MONTH_NAME
from app.ingest.pipeline.html.agencies import is_agency
from app.ingest.pipeline.html.site_names import looks_like_domain, site_key

_BY = re.compile(
    r"^.*?\b(?:(?:written|posted|reported|words|text|story|published)\s+)?by\b\s*:?\s*",
    re.IGNORECASE | re.DOTALL,
)
# "By" in other languages, only where a byline starts (not "von" or "di": name particles).
_FOREIGN_BY = re.compile(r"^(?:por|par|door|av|przez|af)\s+(?=\w)", re.IGNORECASE)
_PIECE_SEPARATOR = re.compile(r"\s*(?:[,;|/•·]|\s(?:and|&|und|et|y|e)\s|\s[-–—]\s)\s*", re.I)
_MONTH = rf"{MONTH_NAME}\.?"
# Where the names end: a date, a time, or an update/publication note.
_NAMES_END = re.compile(
    rf"\b(?:{_MONTH}\s+\d|\d{{1,2}}\s+{_MONTH}|\d{{1,2}}:\d\d|(?:19|20)\d\d"
    r"|(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|updated|published|posted|last\s+modified)",
    re.IGNORECASE,
)
_NOISE = re.compile(r"\S+@\S+|https?://\S+|www\.\S+|@\w+|\([^)]*\)|\[[^\]]*\]")
_PARTICLE_WORDS = (
    "van von de der den da di du del della la le bin binti al el dos das ten ter st y e"
)
_PARTICLES = frozenset(_PARTICLE_WORDS.split())
# Words no person's name is made of: roles, page furniture, pronouns and articles.
_NOT_NAME_TEXT = """
    the a an of for in on at to from with our your their his her its this that is are was
    admin administrator webmaster editor editors author authors writer writers
    contributor contributors correspondent reporter columnist staff team guest senior chief
    national political international deputy managing associate news service desk photo photos
    video share follow email contact more view profile about read posted updated published
    opinion blog users user anonymous unknown company ministries ministry
"""
_NOT_NAME_WORDS = frozenset(_NOT_NAME_TEXT.split())
# "Text: Venera Erofeeva", "Words: ...": a one-word label before a colon.
_LABEL = re.compile(r"^[^\W\d]{2,12}\s*:\s*")
_CREDENTIAL = re.compile(r"^(?:[A-Z]{2,4}|Ph\.?D\.?|M\.?D\.?|Jr\.?|Sr\.?)$")
_MAX_NAME_WORDS = 5
_MIN_SITE_WORD = 4
_MAX_BYLINE_CHARS = 300


@dataclass(frozen=True, slots=True)
class Byline:
    people: tuple[str, ...] = ()
    credit: str | None = None

    def __bool__(self) -> bool:
        return bool(self.people or self.credit)


def parse_byline_text(text: str, site_keys: frozenset[str] = frozenset()) -> Byline:
    """People named in a byline, in order; a credit for an agency or the site itself. Names
    stop at the first organisation: what follows it is a place or a date."""
    return parse_byline_pieces([text], site_keys)


def parse_byline_pieces(texts: list[str], site_keys: frozenset[str] = frozenset()) -> Byline:
    people: list[str] = []
    for text in texts:
        for piece in _pieces(text):
            if is_agency(piece):
                return Byline(tuple(people), piece)
            if site_key(piece) in site_keys:  # the site itself: a credit only when alone
                return Byline(tuple(people), None if people else piece)
            if looks_like_domain(piece) or _is_sites_desk(piece, site_keys):
                return Byline(tuple(people))
            if not _CREDENTIAL.match(piece) and looks_like_person(piece) and piece not in people:
                people.append(piece)
    return Byline(tuple(people))


def _is_sites_desk(piece: str, site_keys: frozenset[str]) -> bool:
    """One word of the site's name (its own account: "Vortex" on Vortex Cannon Entertainment),
    or a desk or role named after it ("Telegraph Sport", "Live Science Contributor")."""
    key = site_key(piece)
    single_word = " " not in piece and len(key) >= _MIN_SITE_WORD
    sites = [site for site in site_keys if len(site) >= _MIN_SITE_WORD]
    return any(key.startswith(site) or (single_word and site.startswith(key)) for site in sites)


def looks_like_person(name: str) -> bool:
    words = name.split()
    if not 1 <= len(words) <= _MAX_NAME_WORDS or any(ch.isdigit() for ch in name):
        return False
    # An initial ("A. J. Smith") is not the article "a".
    if any(word.casefold().rstrip(".") in _NOT_NAME_WORDS for word in words if word[-1] != "."):
        return False
    # A lone all-capitals word is an account or a call sign ("KWCHCIK"), not a name.
    if len(words) == 1 and name.isupper():
        return False
    # Scripts without case (Korean, Chinese, Arabic...) have no capitals to check.
    cased = [word for word in words if word[0].isalpha() and word[0].lower() != word[0].upper()]
    return all(word[0].isupper() or word in _PARTICLES for word in cased) and bool(
        any(ch.isalpha() for ch in name)
    )


def _pieces(text: str) -> list[str]:
    text = " ".join(_NOISE.sub(" ", text[:_MAX_BYLINE_CHARS]).split())
    if re.search(r"\bby\b", text, re.IGNORECASE):
        text = _BY.sub("", text, count=1)
    text = _FOREIGN_BY.sub("", text)
    if end := _NAMES_END.search(text):
        text = text[: end.start()]
    text = _LABEL.sub("", text)
    pieces = (piece.strip(" .:-–—'\"“”") for piece in _PIECE_SEPARATOR.split(text))
    return [piece for piece in pieces if piece]
