"""Whole-page visible text: recognised as such, and only the article kept. Hand-made pages for
each rule, then real pages (page_text/ beside this file, from the real-pages development set,
MIT licensed) with their hand-checked bodies."""

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.ingest.pipeline import clean_body, parse_article
from tests.ingest.pipeline.scoring import shingle_f1

PAGES = Path(__file__).parent / "page_text"
EXPECTED: dict[str, dict[str, Any]] = json.loads((PAGES / "expected.json").read_text())
BODIES: dict[str, str] = json.loads((PAGES / "ground-truth.json").read_text())
CORPUS = Path(__file__).parent / "corpus"

MENU = "\n".join(
    ["Home", "World", "Politics", "Business", "Tech", "Science", "Health", "Sports", "Opinion"]
)
PARAGRAPHS = [
    "The city council voted on Tuesday to extend the night bus service to the northern "
    "suburbs, ending a dispute that had lasted for more than two years.",
    "Council members said the extension would cost about four million a year, which the "
    "transport authority has agreed to cover from its reserve fund until 2027.",
    "Residents of the northern suburbs have long complained that the last bus leaves the "
    "centre before midnight, leaving shift workers with few ways to get home.",
]
FOOTER = "\n".join(
    [
        "Related",
        "Council approves new budget for parks",
        "Mayor unveils plan for cycle lanes",
        "Subscribe to our newsletter",
        "About us",
        "Contact",
        "Privacy Policy",
        "© 2024 The Daily Example. All rights reserved.",
    ]
)


def _page(*blocks: str) -> str:
    return "\n\n".join(blocks)


ARTICLE_PAGE = _page(
    "Council extends night buses to northern suburbs | The Daily Example",
    MENU,
    "Council extends night buses to northern suburbs",
    "By Jane Doe",
    "Nov. 6, 2024",
    "\n\n".join(PARAGRAPHS),
    FOOTER,
)


def test_a_page_keeps_only_its_article() -> None:
    parsed = parse_article(ARTICLE_PAGE)
    assert parsed.report.input == "page text"
    assert parsed.title == "Council extends night buses to northern suburbs"
    assert parsed.byline == ("Jane Doe",)
    assert parsed.published_at is not None and parsed.published_at.isoformat() == "2024-11-06"
    assert parsed.body.split("\n\n") == PARAGRAPHS
    reasons = [removed["reason"] for removed in parsed.report.removed_lines]
    assert any(reason.startswith("page chrome before the article") for reason in reasons)
    assert any(reason.startswith("page chrome after the article") for reason in reasons)
    assert parsed.report.to_dict()["input"] == "page text"


@pytest.mark.parametrize("case", sorted(path.stem for path in CORPUS.glob("*.txt")))
def test_clean_scrapes_are_recognised_and_left_alone(case: str) -> None:
    text = (CORPUS / f"{case}.txt").read_text(encoding="utf-8")
    parsed = parse_article(text, url="https://example.com/2024/11/06/some-story")
    assert parsed.report.input == "clean scrape"
    assert parsed == parse_article(text)


def test_the_url_slug_finds_a_headline_the_document_title_does_not_name() -> None:
    page = ARTICLE_PAGE.replace(
        "Council extends night buses to northern suburbs | The Daily Example", "The Daily Example"
    )
    url = "https://example.com/2024/11/06/council-extends-night-buses-northern-suburbs"
    parsed = parse_article(page, url=url)
    assert parsed.title == "Council extends night buses to northern suburbs"
    assert parsed.body.split("\n\n") == PARAGRAPHS


COMMENTS = "\n".join(
    [
        "3 Comments",
        "busrider42 says:",
        "November 6, 2024 at 9:15 am",
        "About time! I have been walking home from the station for years and it is a long, "
        "dark and frankly unpleasant walk in winter, whatever the council says about it now.",
        "northsider says:",
        "November 6, 2024 at 10:02 am",
        "Four million a year seems a lot for a handful of buses, and nobody has explained "
        "what happens once the reserve fund runs out in 2027, or who pays for it then.",
        "commuter says:",
        "November 6, 2024 at 11:40 am",
        "I work nights at the hospital and this will save me a taxi fare three times a week, "
        "which adds up to more than my council tax over a year, so I for one am delighted.",
        "oldtimer says:",
        "November 6, 2024 at 12:05 pm",
        "We had a night bus to the northern suburbs in the eighties and it was cut because "
        "hardly anyone used it; I hope the council has looked at why that happened before "
        "spending the money again, because the same thing could easily happen a second time.",
    ]
)


@pytest.mark.parametrize("without_title_line", [False, True])
def test_reader_comments_are_not_the_article(without_title_line: bool) -> None:
    page = _page(ARTICLE_PAGE.replace(FOOTER, COMMENTS), FOOTER)
    if without_title_line:
        page = page.split("\n\n", 1)[1]
    assert parse_article(page).body.split("\n\n") == PARAGRAPHS


def test_teasers_and_ad_slots_around_the_article_are_dropped() -> None:
    teasers = "\n".join(
        [
            "Latest Headlines",
            "Police Say Two Arrested After Break-In At Downtown Jewellery Store Two people were "
            "arrested early on Monday after an alarm went off at a store on Main Street.",
            "Local Bakery Wins National Award For Best Sourdough Loaf In The Country The judges "
            "praised the bakery's crust, which they called the finest they had tasted.",
        ]
    )
    body = "\n\n".join([PARAGRAPHS[0], "Advertisement", *PARAGRAPHS[1:]])
    page = ARTICLE_PAGE.replace("\n\n".join(PARAGRAPHS), body).replace(MENU, MENU + "\n" + teasers)
    parsed = parse_article(page)
    assert parsed.body.split("\n\n") == PARAGRAPHS


def test_a_page_without_a_heading_still_files_with_the_document_title() -> None:
    page = ARTICLE_PAGE.replace("Council extends night buses to northern suburbs\n\nBy", "By")
    parsed = parse_article(page)
    assert parsed.title == "Council extends night buses to northern suburbs"
    assert parsed.body.split("\n\n") == PARAGRAPHS


def test_a_clean_scrape_with_a_long_list_stays_clean() -> None:
    items = "\n".join(f"Item number {n} on the list" for n in range(1, 16))
    text = "\n".join(
        ["Nov. 6, 2024 | Reuters", "A title", *PARAGRAPHS, "The measures:", items, PARAGRAPHS[0]]
    )
    parsed = parse_article(text)
    assert parsed.report.input == "clean scrape"
    assert parsed.title == "A title" and "Item number 15 on the list" in parsed.body


WINNERS = ["Mayor: Ann Lee", "Deputy: Tom Hart", "Clerk: Sam Reyes"] + [
    f"Ward {n}: {name}" for n, name in enumerate(["Li Wei", "Jo Park", "Abe Cole", "Kay Fox"], 1)
]
RESULTS = ["Arsenal 2 Chelsea 1", "Leeds 0 Burnley 0", "Spurs 1 Villa 1", "Fulham 3 Brentford 2"]
# Clean scrapes with no dateline at the top and many short lines: lists, bullet points, Q&A,
# tables of results. Each shows at most one sign of a page, and the header finds its title.
CLEAN_WITH_LISTS = {
    "announced list under a byline": ["By Maria Lopez", PARAGRAPHS[0], "The winners:", *WINNERS],
    "announced list, credit line four lines down": [
        "The new council has a young majority",
        "By Maria Lopez | The Ledger",
        "Published March 5, 2024",
        PARAGRAPHS[0],
        "The winners:",
        *WINNERS,
    ],
    "announced list without a byline": [PARAGRAPHS[0], "The winners:", *WINNERS],
    "bullet points and a numbered list": [
        PARAGRAPHS[0],
        "Key pledges",
        *(f"• Pledge {n} of the new council" for n in range(1, 6)),
        PARAGRAPHS[1],
        *(f"{n}. Step {n}" for n in range(1, 6)),
    ],
    "Q&A lines": [
        "By Maria Lopez",
        "Q: What first?",
        "A: The buses.",
        "Q: And rents?",
        "A: Frozen.",
    ],
    "tables of results under headings": [
        x
        for league in ("Premier League", "Championship", "League One")
        for x in (PARAGRAPHS[0], league, *RESULTS)
    ],
    "a doubled title and a copyright line": [
        "Council election results are in",
        PARAGRAPHS[0],
        *WINNERS,
        PARAGRAPHS[1],
        "© 2024 The Ledger",
    ],
    "a table, a copyright line and chrome": [
        "Results are in",
        PARAGRAPHS[0],
        *WINNERS,
        PARAGRAPHS[1],
        "Advertisement",
        "© 2024 The Ledger",
    ],
}


@pytest.mark.parametrize("case", sorted(CLEAN_WITH_LISTS))
def test_clean_scrapes_with_lists_stay_clean(case: str) -> None:
    lines = ["Council election results are in", *CLEAN_WITH_LISTS[case], PARAGRAPHS[2]]
    parsed = parse_article("\n".join(lines))
    assert parsed.report.input == "clean scrape"
    assert parsed.title == "Council election results are in"
    body = parsed.body.split("\n\n")
    assert body[-1] == PARAGRAPHS[2] and all(
        line in body for line in WINNERS + RESULTS if line in lines
    )
    if lines[1] == "By Maria Lopez":
        assert parsed.byline == ("Maria Lopez",)


def test_a_lead_that_opens_with_names_is_not_a_teaser() -> None:
    lead = (
        "The European Union's Foreign Policy Chief Josep Borrell said on Thursday that the "
        "bloc would back the council's plan, as shift workers had asked."
    )
    parsed = parse_article(ARTICLE_PAGE.replace(PARAGRAPHS[0], f"{lead}\n\n{PARAGRAPHS[0]}"))
    assert parsed.body.split("\n\n") == [lead, *PARAGRAPHS]


def test_sentences_that_open_like_chrome_stay_in_the_body() -> None:
    shares = "Shares in the bus operator rose 3% on the news, their best day since the spring."
    more = "More than two thousand residents signed the petition that started the dispute."
    cookies = "The bakery on the corner will sell cookies to late passengers, its owner said."
    extra = [shares, more, cookies]
    page = ARTICLE_PAGE.replace(PARAGRAPHS[2], "\n\n".join([PARAGRAPHS[2], *extra]))
    assert parse_article(page).body.split("\n\n") == [*PARAGRAPHS, *extra]


def test_text_without_the_document_title_finds_the_headline_above_the_byline() -> None:
    page = ARTICLE_PAGE.split("\n\n", 1)[1]  # innerText of <body>: no <title> line
    parsed = parse_article(page)
    assert parsed.report.input == "page text"
    assert parsed.title == "Council extends night buses to northern suburbs"
    assert parsed.byline == ("Jane Doe",)
    assert parsed.body.split("\n\n") == PARAGRAPHS


def test_a_dateline_with_other_words_gives_the_day() -> None:
    page = ARTICLE_PAGE.replace("Nov. 6, 2024", "Published 10:02 AM EST Nov. 6, 2024")
    parsed = parse_article(page)
    assert parsed.published_at is not None and parsed.published_at.isoformat() == "2024-11-06"
    assert parsed.body.split("\n\n") == PARAGRAPHS


def test_a_credit_line_gives_byline_and_day_and_leaves_the_body() -> None:
    lead = "The plan was drawn up by Transport Officer Sam Lee after a survey of shift workers."
    page = ARTICLE_PAGE.replace("By Jane Doe\n\nNov. 6, 2024", "Posted by Jane Doe on Nov. 6, 2024")
    parsed = parse_article(page.replace(PARAGRAPHS[0], f"{lead}\n\n{PARAGRAPHS[0]}"))
    assert parsed.byline == ("Jane Doe",)
    assert parsed.published_at is not None and parsed.published_at.isoformat() == "2024-11-06"
    assert parsed.body.split("\n\n") == [lead, *PARAGRAPHS]


def test_a_list_the_article_announces_is_part_of_it() -> None:
    stops = ["Main Street at Station Road", "Northgate Shopping Centre stop", "Hill Park Lane end"]
    body = "\n\n".join([*PARAGRAPHS, "The new night stops:", "\n".join(stops)])
    parsed = parse_article(ARTICLE_PAGE.replace("\n\n".join(PARAGRAPHS), body))
    assert parsed.body.split("\n\n") == [*PARAGRAPHS, "The new night stops:", *stops]


PAGE_LINES = [
    *MENU.split("\n"),
    *FOOTER.split("\n"),
    *PARAGRAPHS,
    *COMMENTS.split("\n"),
    "Council extends night buses to northern suburbs | The Daily Example",
    "Council extends night buses to northern suburbs",
    "By Jane Doe",
    "Posted by Jane Doe on Nov. 6, 2024 at 9:00 am",
    "Nov. 6, 2024",
    "The new night stops:",
    "Main Street at Station Road",
    "",
    "Advertisement",
    "x" * 300,
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(PAGE_LINES), max_size=80),
    st.sampled_from([None, "", "https://e.x/a-b"]),
)
def test_any_page_parses_to_a_clean_body_and_reports_what_it_lacks(
    lines: list[str], url: str | None
) -> None:
    parsed = parse_article("\n".join(lines), url=url)
    assert clean_body(parsed.body) == parsed.body
    assert ("title" in parsed.report.missing) == (parsed.title is None)


@pytest.mark.parametrize("page", sorted(EXPECTED))
def test_real_pages(page: str) -> None:
    expected = EXPECTED[page]
    text = (PAGES / f"{page}.txt").read_text(encoding="utf-8")
    parsed = parse_article(text, url=expected["url"])
    paragraphs = parsed.body.split("\n\n")
    assert parsed.report.input == "page text"
    assert parsed.title == expected["title"]
    if "first_starts" in expected:
        assert paragraphs[0].startswith(expected["first_starts"])
    if "last_starts" in expected:
        assert paragraphs[-1].startswith(expected["last_starts"])
    assert shingle_f1(BODIES[page], parsed.body) >= expected["min_f1"]


def test_the_saved_pages_are_diverse_enough() -> None:
    assert len(EXPECTED) >= 15
    assert (
        len({re.sub(r"^https?://(www\.)?", "", e["url"]).split("/")[0] for e in EXPECTED.values()})
        >= 15
    )
