"""The corpus: raw scrapes of many outlets and shapes (corpus/NN-name.txt
beside this file), each with what must come out of it (NN-name.json; only the keys
given are checked)."""

import json
from pathlib import Path
from typing import Any

import pytest

from app.ingest.pipeline import KnownNames, ParsedArticle, parse_article

CORPUS = Path(__file__).parent / "corpus"
CASES = sorted(path.stem for path in CORPUS.glob("*.txt"))


def test_the_corpus_is_large_enough() -> None:
    assert len(CASES) >= 30


def _check(parsed: ParsedArticle, expected: dict[str, Any]) -> None:
    paragraphs = parsed.body.split("\n\n") if parsed.body else []
    report = parsed.report
    simple: dict[str, Any] = {
        "title": parsed.title,
        "subtitle": parsed.subtitle,
        "published_at": parsed.published_at.isoformat() if parsed.published_at else None,
        "outlet": parsed.outlet,
        "byline": list(parsed.byline),
        "bios": [{"name": bio.name, "bio": bio.bio} for bio in parsed.bios],
        "paragraphs": len(paragraphs),
        "header_copies": report.header_copies,
        "repaired": len(report.repaired_paragraphs),
        "tags": {
            section.label: [tag.name for tag in section.tags]
            for section in parsed.sections
            if section.tags
        },
        "tag_sources": {
            section.label: [tag.source for tag in section.tags] for section in parsed.sections
        },
    }
    for key, value in expected.items():
        if key in simple:
            if key == "tag_sources":
                assert {k: simple[key][k] for k in value} == value
            else:
                assert simple[key] == value, key
    for fragment in expected.get("body_contains", []):
        assert fragment in parsed.body
    for fragment in expected.get("body_not_contains", []):
        assert fragment not in parsed.body
    for fragment, times in expected.get("body_count", {}).items():
        assert parsed.body.count(fragment) == times
    if "body_starts_with" in expected:
        assert parsed.body.startswith(expected["body_starts_with"])
    for missing in expected.get("missing_includes", []):
        assert missing in report.missing
    assert "\n\n\n" not in parsed.body and "\u00a0" not in parsed.body and "\r" not in parsed.body


@pytest.mark.parametrize("name", CASES)
def test_corpus_case(name: str) -> None:
    expected = json.loads((CORPUS / f"{name}.json").read_text(encoding="utf-8"))
    text = (CORPUS / f"{name}.txt").read_bytes().decode("utf-8")  # CR and CRLF kept as written
    vocabulary = KnownNames(tags=expected.pop("vocabulary", {}))
    _check(parse_article(text, vocabulary), expected)
