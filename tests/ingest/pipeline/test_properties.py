"""Properties over any text: the pipeline never raises, and cleaning is idempotent."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.ingest.pipeline import KnownNames, clean_body, normalise_text, parse_article

PIECES = ["Issues:", "Topics:", "By ", "November 6, 2024 | ", " is the author of "]
SCRAPE_ALPHABET = st.sampled_from([*"abcXYZ .,:;|-—–·\n\r\t\u00a0\u200b\x00“”’'\"é2019", *PIECES])
scrapes = st.one_of(st.text(), st.lists(SCRAPE_ALPHABET, max_size=200).map("".join))
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(scrapes)
def test_the_pipeline_never_raises(text: str) -> None:
    parsed = parse_article(text, KnownNames(tags={"Issues": ["Iran", "Israel at War"]}))
    assert "\x00" not in parsed.body and "\n\n\n" not in parsed.body
    parsed.report.to_dict()


@SETTINGS
@given(scrapes)
def test_normalising_is_idempotent(text: str) -> None:
    once = normalise_text(text)
    assert normalise_text(once) == once


@SETTINGS
@given(scrapes)
def test_cleaning_a_clean_body_changes_nothing(text: str) -> None:
    body = parse_article(text).body
    assert clean_body(body) == body
    assert clean_body(clean_body(text)) == clean_body(text)


def test_megabytes_of_text_are_parsed_best_effort() -> None:
    huge = (
        "November 6, 2024 | Outlet\nTitle\n" + ("A long paragraph of words. " * 40 + "\n") * 2_000
    )
    parsed = parse_article(huge)
    assert parsed.title == "Title" and parsed.body
