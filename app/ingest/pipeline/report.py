"""What the pipeline did, step by step, for the ingest report."""

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class ParseReport:
    # "clean scrape", "page text" (a whole page's visible text, chrome and all) or "html": what
    # the pipeline took the input to be.
    input: str = "clean scrape"
    # Where each field came from ("json-ld", "meta", "byline", "url", ...), for fetched pages.
    found: dict[str, str] = field(default_factory=dict)
    header_copies: int = 0
    header: dict[str, Any] = field(default_factory=dict)
    removed_lines: list[dict[str, str]] = field(default_factory=list)
    repaired_paragraphs: list[dict[str, str]] = field(default_factory=list)
    sections: list[dict[str, Any]] = field(default_factory=list)
    bios: list[dict[str, Any]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    def removed(self, line: str, reason: str) -> None:
        self.removed_lines.append({"line": line[:300], "reason": reason})

    def to_dict(self) -> dict[str, Any]:
        return {
            "input": self.input,
            "found": self.found,
            "header_copies": self.header_copies,
            "header": self.header,
            "removed_lines": self.removed_lines,
            "repaired_paragraphs": self.repaired_paragraphs,
            "sections": self.sections,
            "bios": self.bios,
            "missing": self.missing,
        }
