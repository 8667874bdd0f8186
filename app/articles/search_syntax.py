"""Web-search syntax ("a phrase", OR, -exclusion) turned into an FTS5 query that cannot fail.

PostgreSQL reads the same syntax itself (`websearch_to_tsquery`); SQLite's FTS5 has its own
grammar, in which user text must never be spliced raw: every term goes in as a quoted string."""

import re
from dataclasses import dataclass, field

_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


@dataclass(slots=True)
class WebQuery:
    # Every group must match; a group matches when any of its alternatives does.
    groups: list[list[str]] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)


def parse_web_query(text: str) -> WebQuery:
    query = WebQuery()
    pending_or = False
    for match in _TOKEN.finditer(text):
        negated, phrase, word = match.group(1), match.group(2), match.group(3)
        if word == "OR":
            pending_or = bool(query.groups)
            continue
        if phrase is None:
            negated = "-" if word.startswith("-") and len(word) > 1 else ""
            phrase = word[1:] if negated else word
        term = " ".join(re.findall(r"\w+", phrase))
        if not term:
            continue
        if negated:
            query.excluded.append(term)
        elif pending_or:
            query.groups[-1].append(term)
        else:
            query.groups.append([term])
        pending_or = False
    return query


def _quoted(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def to_fts5(query: WebQuery) -> str | None:
    """The FTS5 MATCH expression, or None when nothing positive is left to search for."""
    if not query.groups:
        return None
    positive = " AND ".join(
        "(" + " OR ".join(_quoted(term) for term in group) + ")" for group in query.groups
    )
    if not query.excluded:
        return positive
    return f"({positive}) NOT ({' OR '.join(_quoted(term) for term in query.excluded)})"
