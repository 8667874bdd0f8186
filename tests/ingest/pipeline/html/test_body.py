"""The HTML body extractor: saved real pages against their hand-checked bodies, boilerplate cut
with its reason, and hostile input that must neither raise nor hang."""

import gzip
import json
import re
import time
from pathlib import Path
from typing import Any

import pytest
from lxml import html as lxml_html
from lxml.html import HtmlElement

from app.ingest.pipeline.html import (
    ExtractedBody,
    PageMetadata,
    extract_body,
    extract_metadata,
    parse_document,
)
from app.ingest.pipeline.html.body import DISCARDED_TAGS
from app.ingest.pipeline.html.body_repair import recover_split_body
from app.ingest.pipeline.html.boilerplate import PageClues, find_boilerplate
from tests.ingest.pipeline.scoring import shingle_f1

HERE = Path(__file__).parent
# Hand-checked bodies of the saved pages (Scrapinghub's article-extraction benchmark, MIT).
EXPECTED: dict[str, dict[str, Any]] = json.loads(
    (HERE / "expected_bodies.json").read_text(encoding="utf-8")
)
# Generous: a slow shared CI machine, but a hang or a blow-up is far beyond it.
HOSTILE_SECONDS = 10.0


def _page(page_id: str) -> str:
    return gzip.decompress((HERE / "pages" / f"{page_id}.html.gz").read_bytes()).decode()


def _body_of(page: str, url: str | None = None) -> ExtractedBody:
    tree = parse_document(page)
    if tree is None:
        return ExtractedBody(paragraphs=())
    return extract_body(tree, url, extract_metadata(tree, url))


def _squashed(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("page_id", sorted(EXPECTED), ids=lambda page_id: page_id[:8])
def test_saved_page_body_matches_the_hand_checked_one(page_id: str) -> None:
    want = EXPECTED[page_id]
    body = _body_of(_page(page_id), want["url"])
    assert body.paragraphs, body.extractor
    assert _squashed(body.paragraphs[0]).startswith(want["first"])
    assert _squashed(body.paragraphs[-1]).startswith(want["last"])
    assert shingle_f1(want["body"], "\n\n".join(body.paragraphs)) >= want["min_f1"]
    assert body.extractor.startswith("trafilatura")


def test_paragraphs_are_separate_and_whitespace_normalised() -> None:
    page_id = sorted(EXPECTED)[0]
    body = _body_of(_page(page_id), EXPECTED[page_id]["url"])
    assert len(body.paragraphs) > 1
    for paragraph in body.paragraphs:
        assert paragraph == _squashed(paragraph) and paragraph


def test_extraction_leaves_the_shared_tree_as_it_was() -> None:
    page_id = sorted(EXPECTED)[1]
    tree = parse_document(_page(page_id))
    assert tree is not None
    before = lxml_html.tostring(tree)
    extract_body(tree, EXPECTED[page_id]["url"], PageMetadata())
    assert lxml_html.tostring(tree) == before


def test_only_elements_trafilatura_deletes_anyway_are_pruned_before_it_runs() -> None:
    from trafilatura.settings import MANUALLY_CLEANED

    assert set(DISCARDED_TAGS.strip("|").split("|")) <= set(MANUALLY_CLEANED)


STORY = [
    "The council voted on Tuesday to close the old bridge for repairs that are expected to "
    "last until next spring, officials said after the meeting ended late in the evening.",
    "Residents have complained for years about the state of the crossing, which carries more "
    "than twenty thousand vehicles a day between the two halves of the town.",
    "Engineers found cracks in two of the main supports during an inspection in the summer, "
    "and recommended that heavy lorries be kept off the bridge at once.",
    "The repairs will cost about four million pounds, paid mostly from the regional budget, "
    "with the rest coming from a national fund for ageing infrastructure.",
]


def _article_page(extra_top: str, extra_bottom: str) -> str:
    story = "".join(f"<p>{text}</p>" for text in STORY)
    return (
        "<html><head><title>Old bridge to close for repairs</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        f"<article><h1>Old bridge to close for repairs</h1>{extra_top}{story}{extra_bottom}"
        "</article><footer>Copyright 2024 The Town Paper</footer></body></html>"
    )


def test_story_kept_whole_and_in_order() -> None:
    body = _body_of(_article_page("", ""), "https://example.org/news/bridge")
    assert list(body.paragraphs) == STORY


def test_promos_and_trailing_sections_are_cut_with_a_reason() -> None:
    page = _article_page(
        "<p>By Jane Doe and John Roe</p>",
        "<p>Get the day’s top headlines delivered to your inbox every morning.</p>"
        "<p>Like this story? Share it with a friend!</p>"
        "<h3>Tags</h3><p>bridge, council, repairs, transport, town news and politics</p>",
    )
    body = _body_of(page, "https://example.org/news/bridge")
    assert list(body.paragraphs) == STORY
    reasons = {entry["reason"] for entry in body.removed}
    assert "byline" in reasons
    assert "newsletter or subscription promo" in reasons
    assert "share or follow prompt" in reasons
    assert "trailing section after the story" in reasons
    assert all(len(entry["text"]) <= 100 for entry in body.removed)


TEASERS = ["Ten things to know about the ring road", "Why the town's bus fares are going up"]


def _cut(blocks: list[str], link_texts: frozenset[str] = frozenset()) -> dict[str, str]:
    clues = PageClues(
        headlines=["Old bridge to close for repairs"], authors=[], link_texts=link_texts
    )
    return {blocks[v.index]: v.reason for v in find_boilerplate(blocks, clues)}


def test_datelines_credits_and_teaser_links_are_cut() -> None:
    blocks = [
        "Monday, November 18, 2019",
        *STORY,
        "Reporting by Jane Doe; Editing by John Roe",
        *TEASERS,
    ]
    assert _cut(blocks, frozenset(TEASERS)) == {
        "Monday, November 18, 2019": "date line",
        "Reporting by Jane Doe; Editing by John Roe": "credit line",
        TEASERS[0]: "link to another story",
        TEASERS[1]: "link to another story",
    }


def test_a_lone_link_inside_the_story_and_a_titled_year_are_kept() -> None:
    blocks = ["The 10 best moments of 2019", *STORY[:2], "Full results of the vote", *STORY[2:]]
    assert _cut(blocks, frozenset({"Full results of the vote"})) == {}


# A plain news story whose sentences share words with promos, prompts, teasers and credits.
AIRLINE = [
    "The regional airline announced on Monday that it would add three routes from the city "
    "airport this summer, citing strong demand from tourists.",
    "Related research by the university found that regional routes rarely turn a profit in "
    "their first two years.",
    "Fares will start at a low price, and seats for as little as £19 will go on sale next week.",
    "The airline's chief executive said the company had data on demand and would share it with "
    "the regional council.",
    "The airport can be reached at the end of a new tram line, which opened last year after "
    "long delays.",
    "Industry analysts said the plan was ambitious but that the airline had the aircraft to make "
    "it work, after leasing four new jets in the spring.",
    "Recommended fares for the winter season will be published by the regulator in October, "
    "after a consultation with airlines and passenger groups.",
    "Source code for the booking system was released by the airline last year, the company said "
    "in a statement on its website.",
]
PLAIN = [AIRLINE[index] for index in (1, 2, 3, 4, 6, 7)]


def test_plain_sentences_with_promo_words_stay_in_the_story() -> None:
    page = _article_page("", "".join(f"<p>{text}</p>" for text in AIRLINE))
    body = _body_of(page, "https://example.org/news/bridge")
    assert body.paragraphs == (*STORY, *AIRLINE)
    assert [entry["reason"] for entry in body.removed] == ["headline repeated in the body"]


@pytest.mark.parametrize("sentence", PLAIN, ids=lambda text: text[:20])
def test_a_plain_sentence_is_kept_as_the_first_or_last_block(sentence: str) -> None:
    assert _cut([sentence, *STORY]) == {}
    assert _cut([*STORY, sentence]) == {}


def test_labelled_furniture_goes_anywhere_and_promo_wording_in_a_run_at_the_end() -> None:
    labelled = {
        "Read more: Council approves the budget for the new library": "related-article teaser",
        "Related: The ten oldest bridges in the county": "related-article teaser",
        "Also on example.com Mayor announces new cycle lanes": "related-article teaser",
        "Source: Office for National Statistics": "credit line",
    }
    closing = {
        "Reporting by Jane Doe; Editing by John Roe": "credit line",
        "Have a tip? Jane Doe may be reached at jdoe@example.org.": "author contact line",
        "Follow us on Facebook and Twitter (@townpaper).": "share or follow prompt",
        "Get our newsletter: sign up here.": "newsletter or subscription promo",
        "Subscribe for as little as £1 a week.": "newsletter or subscription promo",
        "You may also like...": "related-article teaser",
    }
    # The same wording as the closing promo, inside the story, is the story's.
    inside = "Residents can sign up for the council's newsletter about the works on its website."
    first, second = list(labelled)[:2], list(labelled)[2:]
    blocks = [STORY[0], *first, STORY[1], inside, STORY[2], *second, STORY[3], *closing]
    assert _cut(blocks) == labelled | closing


def test_subheadings_quotes_and_list_items_stay_in_place() -> None:
    page = _article_page(
        "",
        "<h2>What happens next</h2>"
        "<blockquote>We will keep the footpath open for as long as it is safe to do so, "
        "the council's engineer told reporters.</blockquote>"
        "<ul><li>Buses will be diverted over the northern crossing.</li>"
        "<li>Cyclists may still use the footpath during the day.</li></ul>",
    )
    body = _body_of(page, "https://example.org/news/bridge")
    assert list(body.paragraphs[: len(STORY)]) == STORY
    assert body.paragraphs[len(STORY) :] == (
        "What happens next",
        "We will keep the footpath open for as long as it is safe to do so, "
        "the council's engineer told reporters.",
        "Buses will be diverted over the northern crossing.",
        "Cyclists may still use the footpath during the day.",
    )


HOSTILE_PAGES = {
    "empty": "",
    "only a comment": "<!-- nothing here -->",
    "nested tags, 10 MB": "<div>" * 2_000_000,
    "nested inline tags": "<p><b><i>" * 200_000 + "text",
    "all script": "<html><head><script>" + "var a = 1;" * 100_000 + "</script></head></html>",
    "frameset": "<html><frameset><frame src='a.html'><frame src='b.html'></frameset></html>",
    "stray bytes and surrogates": "<p>caf\udce9 \x00\x01\x1b na\udcefve \ufffd \ud800</p>" * 50,
    "mojibake": "<p>" + "Ã©tÃ© Ã  la plage â€” trÃ¨s bien. " * 40 + "</p>",
    "xml declaration": '<?xml version="1.0" encoding="iso-8859-1"?><html><p>x</p></html>',
    "huge single text node": "<html><body><p>" + "word " * 1_500_000 + "</p></body></html>",
    "binary junk": "".join(chr(code % 256) for code in range(200_000)),
}


@pytest.mark.parametrize("page", HOSTILE_PAGES.values(), ids=HOSTILE_PAGES.keys())
def test_hostile_page_gives_a_body_without_raising_or_hanging(page: str) -> None:
    # The body alone: the metadata extractor has tests of its own.
    started = time.perf_counter()
    tree = parse_document(page)
    body = extract_body(tree, None, PageMetadata()) if tree is not None else ExtractedBody(())
    assert time.perf_counter() - started < HOSTILE_SECONDS
    assert isinstance(body.paragraphs, tuple)
    assert all(isinstance(p, str) and p == _squashed(p) and p for p in body.paragraphs)


def test_page_without_body_element_still_gives_its_text() -> None:
    page = "".join(f"<p>{text}</p>" for text in STORY)
    body = _body_of(page)
    assert "\n".join(body.paragraphs) == "\n".join(STORY)


def test_control_characters_do_not_reach_the_paragraphs() -> None:
    page = _article_page("", f"<p>{STORY[0][:60]}\x00\x07 and the rest of it, said the mayor.</p>")
    body = _body_of(page)
    assert not any(re.search(r"[\x00-\x08\x0b-\x1f]", p) for p in body.paragraphs)


def test_huge_text_node_gives_its_text_bounded() -> None:
    tree = parse_document("<html><body><p>" + "word " * 1_500_000 + "</p></body></html>")
    assert tree is not None
    body = extract_body(tree, None, PageMetadata())
    assert body.paragraphs[0].startswith("word word")
    assert sum(map(len, body.paragraphs)) <= 1_000_000


def _chunked_page(second_chunk: list[str]) -> HtmlElement:
    chunk = "<div class='story-chunk'>{}</div>"
    tree = parse_document(
        "<html><body><article><h1>Old bridge to close for repairs</h1>"
        + chunk.format("".join(f"<p>{text}</p>" for text in STORY))
        + "<aside class='ad'><p>Advertisement</p></aside><h2>Cost</h2>"
        + chunk.format("".join(f"<p>{text}</p>" for text in second_chunk))
        + "</article></body></html>"
    )
    assert tree is not None
    return tree


def test_story_split_into_chunks_between_ads_is_put_back_in_order() -> None:
    more = [f"{text} Further detail number {n} was given." for n, text in enumerate(STORY)]
    # As if the extractor had kept the first chunk only.
    blocks = [*STORY[:2], "Old bridge", *STORY[2:]]
    assert recover_split_body(_chunked_page(more), blocks) == blocks + more


def test_one_stray_paragraph_in_a_lookalike_container_is_not_recovered() -> None:
    assert recover_split_body(_chunked_page([STORY[0] + " Again."]), STORY) is None


@pytest.mark.parametrize(
    "declared",
    [
        '<meta charset="iso-8859-1">',
        '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">',
        '<meta charset="utf-16">',
    ],
)
def test_a_page_declaring_another_charset_is_not_decoded_twice(declared: str) -> None:
    tree = parse_document(f"<html><head>{declared}</head><body><p>café — 東京</p></body></html>")
    assert tree is not None
    assert tree.text_content() == "café — 東京"
