"""The pipeline's pieces, one rule at a time."""

import re
from datetime import date

import pytest

from app.ingest.pipeline.bio import parse_bio
from app.ingest.pipeline.dates import MONTH_NAME, parse_date
from app.ingest.pipeline.from_text import parse_article
from app.ingest.pipeline.header import parse_byline, parse_dateline
from app.ingest.pipeline.normalise import fold_phrases, fold_words, normalise_text
from app.ingest.pipeline.paragraphs import repair_glued
from app.ingest.pipeline.report import ParseReport
from app.ingest.pipeline.sections import RawSection, split_sections
from app.ingest.pipeline.segment import knowledge, segment


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("November 6, 2024", date(2024, 11, 6)),
        ("Nov. 6, 2024", date(2024, 11, 6)),
        ("Sept. 6, 2024", date(2024, 9, 6)),
        ("6 November 2024", date(2024, 11, 6)),
        ("2024-11-06", date(2024, 11, 6)),
        ("Wednesday, November 6, 2024", date(2024, 11, 6)),
        ("November 2024", None),  # no day: never made up
        ("November 6", None),  # no year
        ("2024", None),
        ("The Jerusalem Post", None),
        ("February 30, 2024", None),
        ("May the force be with you 2024", None),
    ],
)
def test_dates_are_parsed_strictly(text: str, expected: date | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("word", "is_month"),
    [("Jan", True), ("sept", True), ("September", True), ("JUNE", True), ("Mayor", False)],
)
def test_month_name_matches_whole_month_names_only(word: str, is_month: bool) -> None:
    assert bool(re.fullmatch(MONTH_NAME, word, re.IGNORECASE)) == is_month


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("November 6, 2024 | The Jerusalem Post", (date(2024, 11, 6), "The Jerusalem Post")),
        ("Reuters — Nov. 6, 2024", (date(2024, 11, 6), "Reuters")),
        ("Haaretz – 2024-11-06", (date(2024, 11, 6), "Haaretz")),
        ("Le Monde · 6 November 2024", (date(2024, 11, 6), "Le Monde")),
        ("Al-Monitor - 2024-11-06", (date(2024, 11, 6), "Al-Monitor")),
        ("November 6, 2024", (date(2024, 11, 6), None)),
        (
            "March 1, 2025 | Example News | Updated March 3, 2025",
            (date(2025, 3, 1), "Example News"),
        ),
        ("Updated · March 3, 2025", None),
        ("Trump is serious - for now", None),
        ("How will Iran’s proxies in Iraq respond to US election?", None),
    ],
)
def test_datelines(line: str, expected: object) -> None:
    assert parse_dateline(line) == expected


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("By Jane Doe", ("Jane Doe",)),
        ("By Jane Doe and John Roe", ("Jane Doe", "John Roe")),
        (
            "BY Bassem Mroue, Sarah El Deeb and Abby Sewell",
            ("Bassem Mroue", "Sarah El Deeb", "Abby Sewell"),
        ),
        ("By Seth J. Frantzman & Anna al-Sayed", ("Seth J. Frantzman", "Anna al-Sayed")),
        ("By the way, the militias are serious.", ()),
        ("Byzantine politics again", ()),
    ],
)
def test_bylines(line: str, names: tuple[str, ...]) -> None:
    assert parse_byline(line) == names


@pytest.mark.parametrize(
    ("text", "pieces"),
    [
        ("desultory attacks.This is now", ["desultory attacks.", "This is now"]),
        ("ended in 2019.The militias", ["ended in 2019.", "The militias"]),
        ("she said.“We will", ["she said.", "“We will"]),
        ("are gone.”The ministry", ["are gone.”", "The ministry"]),
        ("the U.S.-led coalition", ["the U.S.-led coalition"]),
        ("rose 2.5 percent", ["rose 2.5 percent"]),
        ("e.g.The one", ["e.g.The one"]),
        ("read jpost.com daily", ["read jpost.com daily"]),
        ("see www.Example.org now", ["see www.Example.org now"]),
        ("J.R.R. Tolkien and Seth J. Frantzman", ["J.R.R. Tolkien and Seth J. Frantzman"]),
        ("Mr.Smith arrived", ["Mr.Smith arrived"]),
    ],
)
def test_glued_paragraphs(text: str, pieces: list[str]) -> None:
    assert repair_glued(text) == pieces


@pytest.mark.parametrize(
    ("paragraph", "name", "bio"),
    [
        (
            "is the author of a book and an adjunct fellow at FDD.",
            None,
            "is the author of a book and an adjunct fellow at FDD.",
        ),
        (
            "Jane Doe is a correspondent for Reuters in Baghdad.",
            "Jane Doe",
            "is a correspondent for Reuters in Baghdad.",
        ),
        (
            "Abu Bakr al-Sayed is a researcher at Chatham House.",
            "Abu Bakr al-Sayed",
            "is a researcher at Chatham House.",
        ),
        ("Masoud Pezeshkian is the president of Iran.", None, None),
        ("The militias believe that Trump is serious.", None, None),
        ("Trump is a former president and a candidate again.", None, None),
    ],
)
def test_bios(paragraph: str, name: str | None, bio: str | None) -> None:
    found = parse_bio(paragraph)
    assert (found.name, found.bio) == (name, bio) if found else bio is None


def _segment(line: str, own: list[str] = [], other: list[str] = [], body: str = "") -> list[str]:  # noqa: B006
    return [found.name for found in segment(line, knowledge(own, other, fold_phrases(body)))]


@pytest.mark.parametrize(
    ("line", "own", "body", "expected"),
    [
        # The taxonomy's vocabulary decides, and longer known names win over shorter ones.
        (
            "Iran Iran Global Threat Network Israel at War",
            ["Iran", "Iran Global Threat Network", "Israel at War"],
            "",
            ["Iran", "Iran Global Threat Network", "Israel at War"],
        ),
        # The vocabulary's spelling is kept.
        ("iran-backed terrorism", ["Iran-backed Terrorism"], "", ["Iran-backed Terrorism"]),
        # Gazetteer: countries and large cities.
        ("United States Saudi Arabia Tehran", [], "", ["United States", "Saudi Arabia", "Tehran"]),
        # Body evidence, without apostrophes, diacritics or the al- article.
        (
            "Kata'ib Hezbollah Ali al-Sistani Recep Tayyip Erdoğan",
            [],
            "Kataib Hezbollah and Ali Sistani met Recep Tayyip Erdogan.",
            ["Kata'ib Hezbollah", "Ali al-Sistani", "Recep Tayyip Erdoğan"],
        ),
        # Evidence never spans a comma.
        ("Hamas Hezbollah", [], "Hamas, Hezbollah and others", ["Hamas", "Hezbollah"]),
        # Glue: joiners, particles, name prefixes, a leading abbreviation.
        (
            "Islamic State of Iraq and the Levant Zionism",
            [],
            "",
            ["Islamic State of Iraq and the Levant", "Zionism"],
        ),
        ("Abu Mahdi al-Muhandis Hamas", [], "", ["Abu Mahdi al-Muhandis", "Hamas"]),
        ("U.S. Defense Policy and Strategy", [], "", ["U.S. Defense Policy and Strategy"]),
        # Unknown words stand alone; repeats are dropped.
        ("Zionism Antisemitism Zionism", [], "", ["Zionism", "Antisemitism"]),
        # Explicit delimiters are trusted.
        ("drones, militias; Iraq", [], "", ["drones", "militias", "Iraq"]),
        # Nothing splittable: kept as given.
        ("of and the", [], "", ["of", "and", "the"]),
    ],
)
def test_segmentation(line: str, own: list[str], body: str, expected: list[str]) -> None:
    assert _segment(line, own, [], body) == expected


def test_segmentation_is_a_dp_not_greedy() -> None:
    # Greedy longest-match would take "Israel at War Syria" apart wrongly if it took "Israel"
    # first; the DP finds the split that covers every word with known names.
    assert _segment("Israel Israel at War Syria", ["Israel", "Israel at War", "Syria"]) == [
        "Israel",
        "Israel at War",
        "Syria",
    ]
    # Another taxonomy's vocabulary is trusted over the glue rules.
    assert _segment("Gulf States Iran", [], ["Gulf States"]) == ["Gulf States", "Iran"]


@pytest.mark.parametrize(
    ("line", "body", "expected"),
    [
        # Lowercase connectors stay inside a name that they join capitalised words into.
        (
            "China Ministry of Foreign Affairs Taiwan",
            "",
            ["China", "Ministry of Foreign Affairs", "Taiwan"],
        ),
        # Where two such names meet, the word goes to the first one's tail.
        (
            "Ministry of Foreign Affairs Council on Foreign Relations",
            "",
            ["Ministry of Foreign Affairs", "Council on Foreign Relations"],
        ),
        # A body saying "of the Treasury" never cuts the name at its connector, and the word
        # before an abbreviation-led name is not its head.
        (
            "Sanctions U.S. Department of the Treasury Russia",
            "The head of the Treasury spoke.",
            ["Sanctions", "U.S. Department of the Treasury", "Russia"],
        ),
        ("Bank of England Inflation", "", ["Bank of England", "Inflation"]),
        (
            "Inflation Bank of England",
            "The Bank of England raised rates as inflation rose.",
            ["Inflation", "Bank of England"],
        ),
        ("Banco de España Spain", "", ["Banco de España", "Spain"]),
        # A known place keeps its name's tail (not Port of Los | Angeles).
        ("Port of Los Angeles China", "", ["Port of Los Angeles", "China"]),
        # A tail needs a word that can't end a name: Treasury can, Foreign can't.
        (
            "Department of the Treasury Sanctions",
            "",
            ["Department of the Treasury", "Sanctions"],
        ),
    ],
)
def test_connectors_keep_names_whole(line: str, body: str, expected: list[str]) -> None:
    assert _segment(line, [], [], body) == expected


_LISTING = [
    "March 1, 2025 | The Courier",
    "Gallery reopens with a show of local painters",
    "The gallery on Mill Street reopened on Saturday after a year of repairs.",
    "The curator said the show would travel to two other towns later in the year.",
]


@pytest.mark.parametrize(
    ("last_line", "section"),
    [
        ("Topics: China Export Controls Singapore", ("Topics", "China Export Controls Singapore")),
        (
            "Related Topics: Bank of England Inflation",
            ("Related Topics", "Bank of England Inflation"),
        ),
        ("Tags: china, export controls", ("Tags", "china, export controls")),
        ("People: Xi Jinping", ("People", "Xi Jinping")),
        # Body sentences with a word and a colon: not taxonomy labels, or not tags.
        ("Update: the ministry said the rules would change.", None),
        ("Note: Figures Are Estimates", None),
        ("Analysis: What Comes Next", None),
        ("Photos: AP, Reuters", None),
        ("Correction: An earlier version misstated the date.", None),
        ("Topics: The ministry said it would act.", None),
        ("Keywords: the ministry said it would act, and it did", None),
        # Closing lines of listings and credits: the label names no taxonomy, or the rest has
        # figures (prices, bus numbers) that no tag list has.
        ("Tickets: £12, £8 for students and seniors", None),
        ("Details: Mill Street Gallery, Riverside", None),
        ("Prices: Adults $20, Children $10", None),
        ("Directions: Take Bus 12 to Mill Street", None),
        ("Contributors: Jane Doe, Tom Lee", None),
        ("Pictures: Getty Images", None),
        ("Topics: Route 12, Mill Street", None),
        ("Issues: Fares up to £5, Parking", None),
    ],
)
def test_a_lone_label_and_tags_line_ends_the_body_only_when_it_reads_as_tags(
    last_line: str, section: tuple[str, str] | None
) -> None:
    body, sections = split_sections(["A body sentence.", last_line], ParseReport())
    assert [(s.label, s.line) for s in sections] == ([section] if section else [])
    assert body == (["A body sentence."] if section else ["A body sentence.", last_line])


def test_a_lone_line_under_a_label_the_caller_files_tags_under_is_a_section() -> None:
    line = "Desks: Mill Street Gallery, Riverside"
    assert split_sections(["A body sentence.", line], ParseReport())[1] == []
    body, sections = split_sections(["A body sentence.", line], ParseReport(), ["desks"])
    assert (body, sections) == (["A body sentence."], [RawSection("Desks", line[7:])])


def test_closing_lines_stay_in_the_parsed_body_and_a_topics_line_is_filed() -> None:
    lines = [*_LISTING, "Directions: Take Bus 12 to Mill Street"]
    assert parse_article("\n".join(lines)).body.endswith(lines[-1])
    parsed = parse_article("\n".join([*_LISTING, "Topics: China Export Controls Singapore"]))
    assert parsed.body.endswith(_LISTING[-1])
    assert [s.label for s in parsed.sections] == ["Topics"]


_HEADER = ["March 1, 2025 | Example News", "Ministry sets out new programme"]
_BODY = [
    "The ministry said the programme would run for ten years. It did not give a budget.",
    "Critics were unconvinced.",
]


@pytest.mark.parametrize(
    "lines",
    [
        ["Updated March 3, 2025", *_HEADER, *_BODY],
        [_HEADER[0], "Last updated: 3 March 2025 10:42 GMT", _HEADER[1], *_BODY],
        [*_HEADER, "Updated March 3, 2025", *_BODY],
        [*_HEADER, "By Jane Doe", "Updated on Mon, 3 Mar 2025", *_BODY],
        ["Updated · March 3, 2025", *_HEADER, *_BODY],
    ],
)
def test_an_update_notice_is_neither_the_date_nor_the_body(lines: list[str]) -> None:
    parsed = parse_article("\n".join(lines))
    assert (parsed.published_at, parsed.outlet) == (date(2025, 3, 1), "Example News")
    assert (parsed.title, parsed.subtitle) == (_HEADER[1], None)
    assert parsed.body == "\n\n".join(_BODY)
    reasons = [removed["reason"] for removed in parsed.report.removed_lines]
    assert "update notice (not the publication date)" in reasons


def test_a_sentence_starting_with_updated_stays_in_the_body() -> None:
    sentence = "Updated figures for 2024 show the economy grew."
    parsed = parse_article("\n".join([*_HEADER, _BODY[0], sentence]))
    assert parsed.body.endswith(sentence)


def test_folding() -> None:
    assert fold_words("Kata’ib  Hezbollah") == "kataib hezbollah"
    assert fold_words("Erdoğan") == "erdogan"
    assert fold_words("Ali al-Sistani") == fold_words("Ali Sistani")
    assert "|" in fold_phrases("Kataib Hezbollah, Asaib Ahl al-Haq")
    assert normalise_text("a\r\nb\rc\u00a0d\u200be\x00") == "a\nb\nc de"
