"""Taxonomy sections at the end of a scrape: a `Label:` line (which may repeat), then the tags,
or `Label: tags` on one line."""

import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass

from app.ingest.pipeline.name_words import is_connector
from app.ingest.pipeline.normalise import fold
from app.ingest.pipeline.report import ParseReport
from app.ingest.pipeline.segment import DELIMITERS

_LABEL = re.compile(r"^(?P<label>[A-Z][\w&'’ -]{0,38}[\w])\s*:$")
_INLINE = re.compile(r"^(?P<label>[A-Z][\w&'’-]*(?: [A-Z][\w&'’-]*){0,2})\s*:\s+(?P<tags>\S.*)$")
# A lone `Label: tags` line has the shape of a closing body line ("Tickets: £12, £8 for
# students", "Details: Mill Street Gallery, Riverside"): it is taken for a section only when its
# label names a taxonomy (a closed list, not any plural) and the rest reads as tags.
_TAXONOMY_WORDS = frozenset(
    {
        "topics",
        "topic",
        "tags",
        "tag",
        "keywords",
        "categories",
        "category",
        "subjects",
        "subject",
        "sections",
        "section",
        "people",
        "places",
        "regions",
        "region",
        "countries",
        "country",
        "companies",
        "organisations",
        "organizations",
        "themes",
        "issues",
    }
)
_SENTENCE_END = re.compile(r"(?:[a-z0-9][.!?]|[!?])(?:\s|$)")
_MAX_TAG_LINE_WORDS = 60
_MAX_DELIMITED_TAG_WORDS = 5


@dataclass(frozen=True, slots=True)
class RawSection:
    label: str
    line: str


def _label(line: str) -> str | None:
    match = _LABEL.match(line)
    return match.group("label").strip() if match else None


def _names_taxonomy(label: str, known_labels: Collection[str]) -> bool:
    """A taxonomy word ends the label (Topics, Related Topics) or the caller files tags under it."""
    return label.split()[-1].casefold() in _TAXONOMY_WORDS or fold(label) in known_labels


def _has_figures(text: str) -> bool:
    """Digits or currency signs: prices, times and directions ("Bus 12"), never a tag list."""
    return any(char.isdigit() or unicodedata.category(char) == "Sc" for char in text)


def _reads_as_tags(line: str) -> bool:
    """Short, no sentence end, and either a delimited list of short names or Title Case words
    (lowercase only for connectors: Bank of England, Hayat Tahrir al-Sham)."""
    words = line.split()
    if len(words) > _MAX_TAG_LINE_WORDS or _SENTENCE_END.search(line):
        return False
    if DELIMITERS.search(line):
        items = DELIMITERS.split(line)
        return all(0 < len(item.split()) <= _MAX_DELIMITED_TAG_WORDS for item in items)
    return all(word[:1].isupper() or word[:1].isdigit() or is_connector(word) for word in words)


def _lone_tag_line(inline: re.Match[str], known_labels: Collection[str]) -> bool:
    tags = inline.group("tags")
    return (
        _names_taxonomy(inline.group("label"), known_labels)
        and not _has_figures(tags)
        and _reads_as_tags(tags)
    )


def _parse_tail(
    lines: list[str], known_labels: Collection[str]
) -> list[tuple[str, str | None]] | None:
    """The tail as (label, tag line) pairs, or None when it is not made of sections only;
    `known_labels` are folded."""
    pairs: list[tuple[str, str | None]] = []
    index = 0
    while index < len(lines):
        label = _label(lines[index])
        if label is None:
            inline = _INLINE.match(lines[index])
            if inline is None or not (pairs or _lone_tag_line(inline, known_labels)):
                return None
            pairs.append((inline.group("label"), inline.group("tags")))
            index += 1
            continue
        index += 1
        while (
            index < len(lines)
            and _label(lines[index])
            and fold(_label(lines[index]) or "") == fold(label)
        ):
            index += 1  # the same label again: a scraping repeat
        tag_line = None
        if index < len(lines) and _label(lines[index]) is None:
            tag_line = lines[index]
            index += 1
        pairs.append((label, tag_line))
    return pairs


def split_sections(
    lines: list[str], report: ParseReport, known_labels: Collection[str] = ()
) -> tuple[list[str], list[RawSection]]:
    """(the lines before the sections, the sections by label in source order); `known_labels`
    are taxonomy labels the caller already files tags under."""
    folded_labels = {fold(label) for label in known_labels}
    for start in range(max(0, len(lines) - 40), len(lines)):
        if _label(lines[start]) is None and not (start and _INLINE.match(lines[start])):
            continue
        pairs = _parse_tail(lines[start:], folded_labels)
        if pairs is None or not any(tag_line for _, tag_line in pairs):
            continue
        for line in lines[start:]:
            if _label(line):
                report.removed(line, "taxonomy label")
        merged: dict[str, tuple[str, list[str]]] = {}
        for label, tag_line in pairs:
            entry = merged.setdefault(fold(label), (label, []))
            if tag_line:
                entry[1].append(tag_line)
        sections = [RawSection(label, " ".join(tag_lines)) for label, tag_lines in merged.values()]
        return lines[:start], sections
    return lines, []
