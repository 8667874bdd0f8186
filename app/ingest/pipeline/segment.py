"""Splitting run-together tag lines ("Gulf States Iran Iran Global Threat Network ...").

A dynamic programme over the words picks the split with the best total score. A segment scores
by how it is known, most trusted first: the taxonomy's own vocabulary, another taxonomy's, a
gazetteer, the article's own body; failing those, glue rules (joiner words, Arabic particles,
name prefixes, leading abbreviations) bind words into one name; anything else stands alone.
"""

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

from app.ingest.pipeline.gazetteer import place_names
from app.ingest.pipeline.name_words import word_facts
from app.ingest.pipeline.normalise import fold_words

DELIMITERS = re.compile(r"\s*(?:[,;|•·]|\s/\s)\s*")
# No tag is longer than this: tag candidates are n-grams of a tag line's words up to it.
MAX_TAG_WORDS = 8
# A segment scores weight × words − 1: known segments beat the same words split up, longer
# known segments beat shorter ones, and with equal knowledge fewer segments win.
_WEIGHTS = {
    "vocabulary": 4.0,
    "vocabulary:other": 3.0,
    "gazetteer": 2.5,
    "body": 2.0,
    "glue": 1.0,
    "single-word": 0.5,
}
# What a loose tail adds to a glued name (see _loose_tail): a tie-break, or for a known pair
# what it would score on its own beyond glue.
_LOOSE_TAIL_BONUS = 0.25
_KNOWN_TAIL_BONUS = 2 * (_WEIGHTS["gazetteer"] - _WEIGHTS["glue"])
# Endings of the adjectives that name institutions' fields (Foreign, National, Economic,
# Chinese, British, Eastern, Legislative): such a word can't end a name by itself.
_ADJECTIVE = re.compile(r"(?:al|ic|ign|ern|ian|ese|ish|ive)$")


@dataclass(frozen=True, slots=True)
class Found:
    name: str
    source: str


@dataclass(frozen=True, slots=True)
class Knowledge:
    """What segmentation may lean on, folded for lookup (folded key → canonical name)."""

    own_vocabulary: Mapping[str, str]
    other_vocabulary: Mapping[str, str]
    body_words: str  # the body as folded words, with a space at each end
    body_vocabulary: frozenset[str]  # its single words: a quick "no" before a substring search
    # Every word-prefix of a vocabulary name: a span that is none can't grow into one.
    vocabulary_prefixes: frozenset[str]


def _prefixes(keys: Iterable[str]) -> set[str]:
    found: set[str] = set()
    for key in keys:
        words = key.split()
        found.update(" ".join(words[:n]) for n in range(1, len(words) + 1))
    return found


@lru_cache(maxsize=1)
def _place_prefixes() -> frozenset[str]:
    return frozenset(_prefixes(place_names()))


def knowledge(own: Sequence[str], other: Sequence[str], folded_body: str) -> Knowledge:
    """`folded_body` is the article body through `fold_phrases`."""
    own_keys, other_keys, prefixes = _folded_vocabulary(tuple(own), tuple(other))
    return Knowledge(
        own_keys, other_keys, f" {folded_body} ", frozenset(folded_body.split()), prefixes
    )


@lru_cache(maxsize=32)
def _folded_vocabulary(
    own: tuple[str, ...], other: tuple[str, ...]
) -> tuple[Mapping[str, str], Mapping[str, str], frozenset[str]]:
    """Folding a database's thousands of tag names cost ten times the rest of a parse, and
    article after article brings the same vocabulary (keyed by content: a new tag is a new
    key, in every worker)."""
    own_keys = {fold_words(name): name for name in own}
    other_keys = {fold_words(name): name for name in other}
    return (
        MappingProxyType(own_keys),
        MappingProxyType(other_keys),
        frozenset(_prefixes([*own_keys, *other_keys])),
    )


@dataclass(frozen=True, slots=True)
class _Line:
    """Per-word facts of one tag line, worked out once for all the spans the DP tries."""

    words: Sequence[str]
    folded: Sequence[str]
    capitalised: Sequence[bool]
    binds_right: Sequence[bool]
    binds_left: Sequence[bool]
    joiner: Sequence[bool]
    bound_seam: Sequence[bool]  # bound_seam[i]: words i and i+1 belong together
    # Every part of the folded word is a body word: the quick "no" before a substring search.
    in_body_vocabulary: Sequence[bool]

    @classmethod
    def of(cls, words: Sequence[str], facts: "Knowledge") -> "_Line":
        folded, capitalised, right, left, joiner = zip(*map(word_facts, words), strict=True)
        return cls(
            words,
            folded,
            capitalised,
            right,
            left,
            joiner,
            [right[i] or left[i + 1] for i in range(len(words) - 1)],
            [all(part in facts.body_vocabulary for part in key.split()) for key in folded],
        )


def _glue_bonus(line: _Line, start: int, end: int, facts: Knowledge) -> float | None:
    """What holding words[start:end] together as one name scores beyond its words, or None
    when glue can't. Every seam must be bound (by a joiner, a particle, a name prefix, an
    abbreviation) except at a name's two edges, where capitalised words may meet loose: a head
    chunk before the word that leads into a connector (Islamic | State of Iraq, Hayat | Tahrir
    al-Sham), and one tail word after the connector's word (Ministry of Foreign | Affairs, Port
    of Los | Angeles; see _loose_tail). Where two names meet (… of Foreign Affairs Council on
    …), the word goes to the tail."""
    if end - start < 2 or line.joiner[start] or line.binds_left[start] or line.binds_right[end - 1]:
        return None
    loose = [seam for seam in range(start, end - 1) if not line.bound_seam[seam]]
    if loose and len(loose) == end - start - 1:
        return None  # capitalised words side by side, nothing to connect them
    bonus = 0.0
    for seam in loose:
        if seam == end - 2 and seam > start and (tail := _loose_tail(line, seam, facts)):
            bonus = tail
        elif seam != loose[0] or not _loose_head(line, start, seam, end):
            return None
    return bonus


def _loose_head(line: _Line, start: int, seam: int, end: int) -> bool:
    return all(line.capitalised[start : seam + 2]) and seam + 2 < end and line.binds_left[seam + 2]


def _loose_tail(line: _Line, seam: int, facts: Knowledge) -> float | None:
    """What two capitalised words after a joiner add to the name when they go together: a
    known pair (of New York) as much as it would score on its own, so that the name keeps it;
    a first word that can't end a name (an adjective: of Foreign Affairs) a tie-break. None
    when they don't go together."""
    if not (line.joiner[seam - 1] and line.capitalised[seam] and line.capitalised[seam + 1]):
        return None
    word, pair = line.folded[seam], f"{line.folded[seam]} {line.folded[seam + 1]}"
    if pair in place_names() or pair in facts.own_vocabulary or pair in facts.other_vocabulary:
        return _KNOWN_TAIL_BONUS
    if _ADJECTIVE.search(word) and word not in place_names():
        return _LOOSE_TAIL_BONUS
    return None


def _open_and_close(line: _Line, start: int, end: int) -> bool:
    """A name never starts or ends with a lowercase connector: the body saying "of the
    Treasury" is no reason to cut "Department | of the Treasury"."""
    return not any(line.joiner[i] and not line.capitalised[i] for i in (start, end - 1))


# A scorable span: (its end, its score, how it is known, the vocabulary's name for it or None
# for the words as given).
_Span = tuple[int, float, str, str | None]


def _score(
    line: _Line, start: int, end: int, key: str, in_body: bool, facts: Knowledge
) -> tuple[float, str, str | None] | None:
    size = end - start
    if (name := facts.own_vocabulary.get(key)) is not None:
        source = "vocabulary"
    elif (name := facts.other_vocabulary.get(key)) is not None:
        source = "vocabulary:other"
    elif line.capitalised[start] and key in place_names():
        source = "gazetteer"
    elif in_body and (size > 1 or line.capitalised[start]) and _open_and_close(line, start, end):
        source = "body"
    elif size == 1:
        if line.binds_left[start] or line.joiner[start]:
            return None
        source = "single-word"
    elif (bonus := _glue_bonus(line, start, end, facts)) is not None:
        return _WEIGHTS["glue"] * size - 1 + bonus, "glue", None
    else:
        return None
    return _WEIGHTS[source] * size - 1, source, name


def _spans(line: _Line, start: int, facts: Knowledge) -> list[_Span]:
    """Every scorable span from `start`: grown word by word, and given up as soon as it can
    no longer become a known name or a glued one (each test only gets harder as it grows)."""
    spans, key, in_body, loose = [], "", True, 0
    for end in range(start + 1, min(len(line.words), start + MAX_TAG_WORDS) + 1):
        if end - start > 1 and not line.bound_seam[end - 2]:
            loose += 1
        word = line.folded[end - 1]
        key = f"{key} {word}" if key and word else key or word
        if not key:
            continue
        in_body = in_body and line.in_body_vocabulary[end - 1] and f" {key} " in facts.body_words
        known = key in facts.vocabulary_prefixes or key in _place_prefixes()
        if not (in_body or known or loose <= 2):
            break
        scored = _score(line, start, end, key, in_body, facts)
        if scored is not None:
            spans.append((end, *scored))
    return spans


def segment(line: str, facts: Knowledge) -> list[Found]:
    """The tags in one tag line, in order, each once."""
    if DELIMITERS.search(line):
        parts = [part.strip() for part in DELIMITERS.split(line)]
        return _unique([_known_or_given(part, facts) for part in parts if part])
    words = line.split()
    if not words:
        return []
    facts_of_line = _Line.of(words, facts)
    # best[end]: the best split of words[:end] as (score, −segments, the start, source and
    # vocabulary name of its last segment); the path is walked back once at the end.
    best: list[tuple[float, int, int, str, str | None] | None] = [None] * (len(words) + 1)
    best[0] = (0.0, 0, 0, "", None)
    for start in range(len(words)):
        previous = best[start]
        if previous is None:
            continue
        for end, score, source, name in _spans(facts_of_line, start, facts):
            candidate = (previous[0] + score, previous[1] - 1, start, source, name)
            current = best[end]
            if current is None or candidate[:2] > current[:2]:
                best[end] = candidate
    if best[len(words)] is None:  # unsplittable (e.g. only joiner words): keep the words as given
        return _unique([Found(word, "single-word") for word in words])
    found, end = [], len(words)
    while (step := best[end]) is not None and end:
        _, _, start, source, name = step
        found.append(Found(" ".join(words[start:end]) if name is None else name, source))
        end = start
    return _unique(found[::-1])


def _known_or_given(part: str, facts: Knowledge) -> Found:
    key = fold_words(part)
    if key in facts.own_vocabulary:
        return Found(facts.own_vocabulary[key], "vocabulary")
    if key in facts.other_vocabulary:
        return Found(facts.other_vocabulary[key], "vocabulary:other")
    return Found(part, "delimited")


def _unique(found: list[Found]) -> list[Found]:
    seen: set[str] = set()
    unique = []
    for item in found:
        key = fold_words(item.name) or item.name
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return unique
