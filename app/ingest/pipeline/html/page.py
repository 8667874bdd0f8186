"""What the HTML front door finds in a page, handed on to the text pipeline."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True, slots=True)
class PageMetadata:
    """The page's own statements about the article; `origins` says where each field came from
    (`json-ld`, `meta`, `byline`, `time`, `dateline`, `url`, `title`, `masthead`, `domain`)."""

    title: str | None = None
    subtitle: str | None = None
    authors: tuple[str, ...] = ()
    # An agency or staff byline ("Associated Press", "Reuters staff"): a credit, not a person.
    credit: str | None = None
    published_at: date | None = None
    outlet: str | None = None
    canonical_url: str | None = None
    language: str | None = None
    keywords: tuple[str, ...] = ()
    section: str | None = None
    origins: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ExtractedBody:
    """The article's paragraphs in order (subheadings and quotes included), and what was cut."""

    paragraphs: tuple[str, ...]
    # {"text": the first characters of a removed block, "reason": why}; capped.
    removed: tuple[Mapping[str, str], ...] = ()
    extractor: str = ""
