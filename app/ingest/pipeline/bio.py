"""Author bios: a closing paragraph such as "<Name> is a senior fellow at …". Scrapers often
lose the name ("… is the author of …"); the bio is taken out of the body either way."""

import re
from dataclasses import dataclass

# What writers are: a closing "<Name> is a … fellow/correspondent/…" is a bio, while
# "<Name> is the president of …" is more likely the article's last sentence.
_WRITER_ROLES = (
    "author|fellow|editor|correspondent|reporter|journalist|writer|columnist|analyst|professor|"
    "researcher|contributor|scholar|lecturer|producer|photographer|commentator|host|economist|"
    "historian|strategist|anchor|blogger|freelancer|novelist|podcaster"
)
_OTHER_ROLES = (
    "director|chief|founder|expert|specialist|diplomat|officer|ambassador|president|chair|"
    "chairman|head|manager|partner|student|candidate|attorney|lawyer|consultant|adviser|"
    "advisor|associate|member|staff"
)
_WRITER_ROLE = re.compile(rf"\b(?:{_WRITER_ROLES})s?\b", re.IGNORECASE)
_ANY_ROLE = re.compile(rf"\b(?:{_WRITER_ROLES}|{_OTHER_ROLES})s?\b", re.IGNORECASE)
_PREDICATE = re.compile(r"^(?:is|was|serves as|has been|are|were)\b", re.IGNORECASE)
_NAMED = re.compile(
    r"^(?P<name>[A-Z\u00C0-\u024F][\w.'’-]*(?:\s+(?:[A-Z\u00C0-\u024F][\w.'’-]*|al-\w+|el-\w+|"
    r"bin|ibn|de|da|van|von|der|del|la|le)){1,5})\s+(?P<bio>(?:is|was|serves as|has been)\b.+)$"
)
_MAX_BIO = 600
_ROLE_WITHIN_WORDS = 14


@dataclass(frozen=True, slots=True)
class AuthorBio:
    name: str | None  # None when the scraper lost it
    bio: str  # from "is …" on, without the name


def _role_near_start(predicate: str, roles: re.Pattern[str] = _ANY_ROLE) -> bool:
    return bool(roles.search(" ".join(predicate.split()[:_ROLE_WITHIN_WORDS])))


def parse_bio(paragraph: str, known_names: tuple[str, ...] = ()) -> AuthorBio | None:
    """The bio a closing paragraph holds, if it is one."""
    text = paragraph.strip().lstrip("*_—–- ").rstrip("*_ ")
    if not text or len(text) > _MAX_BIO:
        return None
    for name in sorted(known_names, key=len, reverse=True):
        if text.startswith(name + " ") and _PREDICATE.match(rest := text[len(name) + 1 :]):
            return AuthorBio(name, rest) if _role_near_start(rest) else None
    if _PREDICATE.match(text):
        return AuthorBio(None, text) if _role_near_start(text) else None
    named = _NAMED.match(text)
    if named and _role_near_start(named.group("bio"), _WRITER_ROLE):
        return AuthorBio(named.group("name"), named.group("bio"))
    return None
