"""The shared fixture, through the pipeline alone (the HTTP test is tests/ingest/test_router.py)."""

import json
from pathlib import Path

import pytest

from app.ingest.pipeline import KnownNames, parse_article

FIXTURES = Path(__file__).parents[2] / "fixtures"
RAW = (FIXTURES / "jpost-iran-proxies.raw.txt").read_text(encoding="utf-8")
EXPECTED = json.loads((FIXTURES / "jpost-iran-proxies.expected.json").read_text(encoding="utf-8"))
ARTICLE = EXPECTED["expected_article"]
ISSUES = EXPECTED["before"]["request"]["body"]["tags"]


def test_header_body_and_bio() -> None:
    parsed = parse_article(RAW, KnownNames(tags={"Issues": ISSUES}))
    assert parsed.title == ARTICLE["title"]
    assert parsed.subtitle == ARTICLE["subtitle"]
    assert parsed.published_at is not None
    assert parsed.published_at.isoformat() == ARTICLE["published_at"]
    assert parsed.outlet == ARTICLE["outlet"]["name"]
    assert parsed.body.startswith(ARTICLE["body"]["starts_with"])
    assert parsed.body.endswith(ARTICLE["body"]["ends_with"])
    for fragment in ARTICLE["body"]["must_not_contain"]:
        assert fragment not in parsed.body
    assert len(parsed.body.split("\n\n")) in (9, 10)
    assert "The militias believe that Trump is serious" in parsed.body.split("\n\n")
    assert [(bio.name, bio.bio) for bio in parsed.bios] == [(None, ARTICLE["authors"][0]["bio"])]
    assert parsed.report.header_copies == 2


@pytest.mark.parametrize("vocabulary", [{"Issues": ISSUES}, {}])
def test_topics_come_out_right_with_or_without_vocabulary(vocabulary: dict[str, list[str]]) -> None:
    parsed = parse_article(RAW, KnownNames(tags=vocabulary))
    topics = next(section for section in parsed.sections if section.label == "Topics")
    assert [tag.name for tag in topics.tags] == ARTICLE["tags"]["Topics"]


def test_issues_come_out_right_with_the_loaded_vocabulary() -> None:
    parsed = parse_article(RAW, KnownNames(tags={"Issues": ISSUES}))
    issues = next(section for section in parsed.sections if section.label == "Issues")
    assert [tag.name for tag in issues.tags] == ARTICLE["tags"]["Issues"]
    assert {tag.source for tag in issues.tags} == {"vocabulary"}
