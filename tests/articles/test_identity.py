"""Stored fingerprints must never change: a faster SimHash has to give the values the first one
gave, or every near-duplicate match against older articles breaks."""

import pytest

from app.articles.identity import hamming, simhash, spelling_folded_title
from tests.conftest import ROOT

RAW = (ROOT / "tests/fixtures/jpost-iran-proxies.raw.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "fingerprint"),
    [
        (RAW, -7956259759517023809),
        (RAW.upper(), -7956259759517023809),
        ("", -5426141060434712860),
        ("a", 3405396810240292928),
        ("a b", 2952434739088078779),
        ("a b c", 8388279268673178672),
        ("Ünïcödé — text, with الْعَرَبِيَّة and 中文 under_score x2 ½ ß ﬁ", 853468887078413166),
        ("Kata'ib Hezbollah’s drones\tover  Iraq", -5736690185734613974),
    ],
)
def test_simhash_values_are_pinned(text: str, fingerprint: int) -> None:
    assert simhash(text) == fingerprint


def test_a_few_changed_words_stay_a_few_bits_apart() -> None:
    edited = RAW.replace("drone", "UAV", 1)
    assert hamming(simhash(RAW), simhash(edited)) <= 3


@pytest.mark.parametrize(
    ("british", "american"),
    [
        (
            "Defence Organisation launches new programme",
            "Defense Organization launches new program",
        ),
        (
            "Colour of the centre: analysing modernised tyres",
            "Color of the center: analyzing modernized tires",
        ),
    ],
)
def test_titles_respelt_between_british_and_american_are_one(british: str, american: str) -> None:
    assert spelling_folded_title(british) == spelling_folded_title(american)
    assert spelling_folded_title(british) != spelling_folded_title("Defence Ministry launches")
