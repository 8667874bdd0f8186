"""Taxonomy sections at the end of a scrape: a `Label:` line (which may repeat), then the tags."""

import re
from dataclasses import dataclass

from app.ingest.normalise import fold
from app.ingest.report import ParseReport

_LABEL = re.compile(r"^(?P<label>[A-Z][\w&'’ -]{0,38}[\w])\s*:$")
_INLINE = re.compile(r"^(?P<label>[A-Z][\w&'’-]*(?: [A-Z][\w&'’-]*){0,2})\s*:\s+(?P<tags>\S.*)$")


@dataclass(frozen=True, slots=True)
class RawSection:
    label: str
    line: str


def _label(line: str) -> str | None:
    match = _LABEL.match(line)
    return match.group("label").strip() if match else None


def _parse_tail(lines: list[str]) -> list[tuple[str, str | None]] | None:
    """The tail as (label, tag line) pairs, or None when it is not made of sections only."""
    pairs: list[tuple[str, str | None]] = []
    index = 0
    while index < len(lines):
        label = _label(lines[index])
        if label is None:
            inline = _INLINE.match(lines[index])
            if inline is None or not pairs:
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


def split_sections(lines: list[str], report: ParseReport) -> tuple[list[str], list[RawSection]]:
    """(the lines before the sections, the sections by label in source order)."""
    for start in range(max(0, len(lines) - 40), len(lines)):
        if _label(lines[start]) is None and not (start and _INLINE.match(lines[start])):
            continue
        pairs = _parse_tail(lines[start:])
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
