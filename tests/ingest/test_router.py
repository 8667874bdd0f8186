"""POST /v1/ingest and /v1/ingest/batch with the real pipeline, app and database."""

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from app.db.models import Article, ArticleSource, ArticleTag, Tag
from tests.articles.test_articles import count
from tests.conftest import ROOT

FIXTURES = ROOT / "tests/fixtures"
RAW = (FIXTURES / "jpost-iran-proxies.raw.txt").read_text(encoding="utf-8")
EXPECTED = json.loads((FIXTURES / "jpost-iran-proxies.expected.json").read_text(encoding="utf-8"))


def load_issues(client: TestClient, headers: dict[str, str]) -> None:
    before = EXPECTED["before"]["request"]
    response = client.put(before["path"], json=before["body"], headers=headers)
    assert response.status_code in (200, 201)


def ingest_fixture(client: TestClient, headers: dict[str, str], **changes: Any) -> Any:
    request = EXPECTED["request"] | {"text": RAW} | changes
    return client.post("/v1/ingest", json=request, headers=headers)


def test_the_shared_fixture_comes_out_as_expected(
    client: TestClient, ingest_headers: dict[str, str]
) -> None:
    load_issues(client, ingest_headers)
    response = ingest_fixture(client, ingest_headers)
    assert response.status_code == 201, response.text
    article = response.json()["article"]
    expected = EXPECTED["expected_article"]
    assert article["published_at"] == expected["published_at"]
    assert article["outlet"]["name"] == expected["outlet"]["name"]
    assert article["title"] == expected["title"]
    assert article["subtitle"] == expected["subtitle"]
    body = article["body"]
    assert body.startswith(expected["body"]["starts_with"])
    assert body.endswith(expected["body"]["ends_with"])
    for fragment in expected["body"]["must_not_contain"]:
        assert fragment not in body
    assert "\u00a0" not in body and "\n\n\n" not in body
    assert len(body.split("\n\n")) in (9, 10)
    assert [(a["name"], a["bio"]) for a in article["authors"]] == [
        (a["name"], a["bio"]) for a in expected["authors"]
    ]
    found: dict[str, list[str]] = {}
    for tag in article["tags"]:
        found.setdefault(tag["taxonomy"], []).append(tag["name"])
    assert found == expected["tags"]
    assert article["url"] == "https://jpost.com/middle-east/iran-news/article-828012"


def test_the_report_says_what_was_done(client: TestClient, ingest_headers: dict[str, str]) -> None:
    load_issues(client, ingest_headers)
    report = ingest_fixture(client, ingest_headers).json()["report"]
    assert report["duplicate"] == {"decision": "created", "rule": None, "syndicated_from": None}
    assert report["author"]["bios"][0]["attributed_to"] == "Seth J. Frantzman"
    by_name = {(t["taxonomy"], t["name"]): t["found_by"] for t in report["tags"]}
    assert by_name["Issues", "Iran Global Threat Network"] == "vocabulary"
    assert by_name["Topics", "Iran"] == "vocabulary:other"
    assert by_name["Topics", "Qasem Soleimani"] == "body"


@pytest.mark.parametrize(
    "variant",
    [
        {},
        {"url": "https://www.jpost.com/middle-east/iran-news/article-828012?utm_source=twitter"},
        {"text": RAW.split("\n", 5)[5]},  # the header block once instead of twice
    ],
)
def test_the_same_piece_again_is_the_stored_one(
    client: TestClient, ingest_headers: dict[str, str], clean_db: Engine, variant: dict[str, str]
) -> None:
    load_issues(client, ingest_headers)
    first = ingest_fixture(client, ingest_headers)
    again = ingest_fixture(client, ingest_headers, **variant)
    assert (first.status_code, again.status_code) == (201, 200), again.text
    assert again.json()["article"]["id"] == first.json()["article"]["id"]
    assert again.json()["report"]["duplicate"]["decision"] == "existing"
    assert count(clean_db, Article) == 1


def test_without_url_the_header_single_copy_still_matches(
    client: TestClient, ingest_headers: dict[str, str], clean_db: Engine
) -> None:
    first = ingest_fixture(client, ingest_headers, url=None)
    again = ingest_fixture(client, ingest_headers, url=None, text=RAW.split("\n", 5)[5])
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["report"]["duplicate"]["rule"] == "outlet+title+day"


def test_the_raw_text_is_kept_exactly_with_the_pipeline_version(
    client: TestClient, ingest_headers: dict[str, str], clean_db: Engine
) -> None:
    ingest_fixture(client, ingest_headers)
    with clean_db.connect() as connection:
        payload, version = connection.execute(
            select(ArticleSource.payload, ArticleSource.parser_version)
        ).one()
    assert json.loads(payload)["text"] == RAW
    assert version


def test_dry_run_reports_and_stores_nothing(
    client: TestClient, ingest_headers: dict[str, str], clean_db: Engine
) -> None:
    response = client.post(
        "/v1/ingest?dry_run=true",
        json={"text": RAW, "authors": ["Seth J. Frantzman"]},
        headers=ingest_headers,
    )
    assert response.status_code == 200
    assert response.json()["report"]["dry_run"] is True
    assert response.json()["article"]["title"] == EXPECTED["expected_article"]["title"]
    assert count(clean_db, Article) == 0
    assert count(clean_db, Tag) == 0


def test_explicit_fields_win_over_the_text(
    client: TestClient, ingest_headers: dict[str, str]
) -> None:
    response = ingest_fixture(
        client,
        ingest_headers,
        outlet={"name": "JPost", "domain": "jpost.com"},
        published_at="2024-11-07T08:00:00Z",
        title="Given title",
        tags={"Topics": ["Given Topic"]},
    )
    article = response.json()["article"]
    assert article["outlet"]["name"] == "JPost"
    assert article["published_at"] == "2024-11-07T08:00:00Z"
    assert article["title"] == "Given title"
    assert [t["name"] for t in article["tags"] if t["taxonomy"] == "Topics"] == ["Given Topic"]
    assert any(t["taxonomy"] == "Issues" for t in article["tags"])


def test_inferred_tags_are_recorded_as_inferred_and_given_ones_as_given(
    client: TestClient, ingest_headers: dict[str, str], clean_db: Engine
) -> None:
    ingest_fixture(client, ingest_headers, tags={"Regions": ["Middle East"]})
    with clean_db.connect() as connection:
        rows = dict(connection.execute(select(Tag.name, Tag.origin)).all())
        sources = set(connection.scalars(select(ArticleTag.source)))
    assert rows["Middle East"] == "given"
    assert rows["Qasem Soleimani"] == "inferred"
    assert "given" in sources and "body" in sources


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "validation_error"),
        ("   \n\u00a0\n", "validation_error"),
        ("just some words with no header at all", "unparseable_text"),
    ],
)
def test_text_that_cannot_make_an_article_is_a_clear_422(
    client: TestClient, ingest_headers: dict[str, str], clean_db: Engine, text: str, code: str
) -> None:
    response = client.post("/v1/ingest", json={"text": text}, headers=ingest_headers)
    assert response.status_code == 422, response.text
    assert response.json()["code"] == code
    assert count(clean_db, Article) == 0


def test_nul_bytes_in_raw_text_are_dropped(
    client: TestClient, ingest_headers: dict[str, str]
) -> None:
    response = ingest_fixture(client, ingest_headers, text=RAW.replace("militias", "mili\x00tias"))
    assert response.status_code == 201
    assert "\x00" not in response.json()["article"]["body"]


def test_megabytes_of_text_are_handled(client: TestClient, ingest_headers: dict[str, str]) -> None:
    huge = RAW.replace(
        "However, he is also", "Filler sentence here. " * 60_000 + "\n\nHowever, he is also"
    )
    response = ingest_fixture(client, ingest_headers, text=huge)
    assert response.status_code in (201, 413, 422), response.text


def test_batch_results_come_in_input_order_and_a_bad_item_sinks_nothing(
    client: TestClient, ingest_headers: dict[str, str], clean_db: Engine
) -> None:
    good = EXPECTED["request"] | {"text": RAW}
    items = [good, {"text": ""}, good, {"nonsense": 1}, "not an object", {"text": "no header here"}]
    response = client.post("/v1/ingest/batch", json=items, headers=ingest_headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert [r["status"] for r in body["results"]] == [
        "created",
        "error",
        "existing",
        "error",
        "error",
        "error",
    ]
    assert [r["index"] for r in body["results"]] == list(range(6))
    assert (body["created"], body["existing"], body["failed"]) == (1, 1, 4)
    assert body["results"][1]["error"]["code"] == "validation_error"
    assert body["results"][5]["error"]["code"] == "unparseable_text"
    assert count(clean_db, Article) == 1


def test_batch_accepts_ndjson(client: TestClient, ingest_headers: dict[str, str]) -> None:
    lines = "\n".join(
        json.dumps({"text": RAW, "url": f"https://example.com/{n}"}) for n in range(3)
    )
    response = client.post(
        "/v1/ingest/batch",
        content=lines.encode(),
        headers=ingest_headers | {"content-type": "application/x-ndjson"},
    )
    assert response.status_code == 200
    assert response.json()["results"][0]["status"] == "created"


@pytest.mark.parametrize("body", [b"{not json", b'{"text": "an object, not a list"}'])
def test_a_batch_that_is_not_a_list_is_a_422(
    client: TestClient, ingest_headers: dict[str, str], body: bytes
) -> None:
    response = client.post(
        "/v1/ingest/batch",
        content=body,
        headers=ingest_headers | {"content-type": "application/json"},
    )
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"


def test_a_batch_over_the_limit_is_refused(
    make_client: Any, ingest_headers: dict[str, str]
) -> None:
    client = make_client(max_batch_items=2)
    response = client.post("/v1/ingest/batch", json=[{"text": "x"}] * 3, headers=ingest_headers)
    assert response.status_code == 422
    assert response.json()["code"] == "batch_too_large"
    assert "at most 2" in response.json()["detail"]


def test_a_scraper_list_becomes_vocabulary_for_later_scrapes(
    client: TestClient, ingest_headers: dict[str, str]
) -> None:
    first = ingest_fixture(client, ingest_headers, tags={"Regions": ["Gulf Cooperation Council"]})
    assert first.status_code == 201
    later = RAW.replace(
        "Issues:\n\nIssues:", "Regions:\n\nMiddle East Gulf Cooperation Council\n\nIssues:"
    )
    response = ingest_fixture(client, ingest_headers, text=later, url="https://example.com/later")
    found = {(t["taxonomy"], t["name"]): t["found_by"] for t in response.json()["report"]["tags"]}
    assert found["Regions", "Gulf Cooperation Council"] == "vocabulary"


def test_an_orphan_bio_goes_to_the_author_whose_stored_bio_matches(
    client: TestClient, ingest_headers: dict[str, str]
) -> None:
    first = ingest_fixture(client, ingest_headers)  # stores Seth J. Frantzman with his bio
    # The same column, republished elsewhere without a byline: a syndicated copy.
    other = RAW.replace("The Jerusalem Post", "JNS")
    response = ingest_fixture(client, ingest_headers, text=other, url=None, authors=None)
    assert response.status_code == 201
    assert response.json()["article"]["syndicated_from"] == first.json()["article"]["id"]
    bios = response.json()["report"]["author"]["bios"]
    assert bios[0]["attributed_to"] == "Seth J. Frantzman"
    assert bios[0]["how"] == "a stored author whose bio matches"
    assert [a["name"] for a in response.json()["article"]["authors"]] == ["Seth J. Frantzman"]


def test_an_orphan_bio_with_no_known_author_stays_in_the_report(
    client: TestClient, ingest_headers: dict[str, str]
) -> None:
    response = ingest_fixture(client, ingest_headers, authors=None)
    article, bios = response.json()["article"], response.json()["report"]["author"]["bios"]
    assert article["authors"] == []
    assert bios[0]["attributed_to"] is None and bios[0]["bio"].startswith("is the author of")
    assert "is the author of" not in article["body"]


def _tags(article: dict[str, Any]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for tag in article["tags"]:
        found.setdefault(tag["taxonomy"], []).append(tag["name"])
    return found


def test_a_label_and_its_tags_on_the_last_line_become_tags(
    client: TestClient, ingest_headers: dict[str, str]
) -> None:
    text = (ROOT / "tests/ingest/pipeline/corpus/34-inline-tag-line-at-the-end.txt").read_text()
    response = client.post("/v1/ingest", json={"text": text}, headers=ingest_headers)
    assert response.status_code == 201, response.text
    article = response.json()["article"]
    assert article["body"].endswith("will be reviewed after a year.")
    assert "Update: the trade ministry said" in article["body"]  # a sentence, not tags
    assert _tags(article) == {"Topics": ["China", "Export Controls", "Singapore"]}


def test_names_with_lowercase_connectors_are_filed_whole(
    client: TestClient, ingest_headers: dict[str, str]
) -> None:
    text = (ROOT / "tests/ingest/pipeline/corpus/35-connectors-inside-names.txt").read_text()
    response = client.post("/v1/ingest", json={"text": text}, headers=ingest_headers)
    assert response.status_code == 201, response.text
    topics = _tags(response.json()["article"])["Topics"]
    for name in (
        "U.S. Department of the Treasury",
        "Bank of England",
        "Ministry of Foreign Affairs",
        "Council on Foreign Relations",
        "Hayat Tahrir al-Sham",
        "Banco de España",
    ):
        assert name in topics
    assert not any(name.split()[0] in ("of", "the", "on", "de") for name in topics)


PARAGRAPHS = [
    "The defence ministry announced a new procurement programme on Monday, saying the plan "
    "would modernise the armed forces over the next decade and replace ageing equipment.",
    "Officials said the organisation of the programme would be overseen by a new agency "
    "reporting directly to parliament, with annual reviews of spending and progress.",
    "Critics argued that the cost estimates were optimistic and that similar programmes in the "
    "past had run years late and far over budget, leaving gaps in capability.",
    "The minister rejected that criticism, telling reporters that lessons had been learned and "
    "that contracts would include penalties for delays and cost overruns.",
    "Allies welcomed the announcement, and several said they hoped to cooperate on joint "
    "purchases to lower costs and improve interoperability between their forces.",
    "The first contracts are expected to be signed before the end of the year, with deliveries "
    "of new armoured vehicles and air defence systems due to begin within three years.",
]
# One sentence rewritten since.
EDITED = (
    "Critics argued that the cost estimates were far too optimistic, noting that earlier "
    "programmes had run years late and over budget."
)


def scrape(title: str, paragraphs: list[str], *extra: str) -> str:
    return "\n\n".join(["March 1, 2025 | Example News", title, *extra, *paragraphs])


def test_a_respelt_edited_and_updated_rescrape_is_the_stored_piece(
    client: TestClient, ingest_headers: dict[str, str], clean_db: Engine
) -> None:
    first = client.post(
        "/v1/ingest",
        json={"text": scrape("Defence Organisation launches new programme", PARAGRAPHS)},
        headers=ingest_headers,
    )
    assert first.status_code == 201, first.text
    months_later = scrape(
        "Defense Organization launches new program",
        [*PARAGRAPHS[:2], EDITED, *PARAGRAPHS[3:]],
        "Updated March 3, 2025",
    )
    again = client.post("/v1/ingest", json={"text": months_later}, headers=ingest_headers)
    assert again.status_code == 200, again.text
    assert again.json()["report"]["duplicate"]["rule"] == "outlet+title+day"
    article = again.json()["article"]
    assert article["id"] == first.json()["article"]["id"]
    assert article["published_at"].startswith("2025-03-01")
    assert article["body"] == first.json()["article"]["body"] == "\n\n".join(PARAGRAPHS)
    assert count(clean_db, Article) == 1


def test_an_edited_body_under_a_reworded_headline_is_the_stored_piece_at_the_same_outlet(
    client: TestClient, ingest_headers: dict[str, str], clean_db: Engine
) -> None:
    first = client.post(
        "/v1/ingest",
        json={"text": scrape("Army gets new kit for winter", PARAGRAPHS)},
        headers=ingest_headers,
    )
    edited = [*PARAGRAPHS[:2], EDITED, *PARAGRAPHS[3:]]
    again = client.post(
        "/v1/ingest",
        json={
            "text": scrape("Army gets its new kit for winter", edited, "Last updated: 3 March 2025")
        },
        headers=ingest_headers,
    )
    assert again.status_code == 200, again.text
    assert again.json()["report"]["duplicate"] == {
        "decision": "existing",
        "rule": "fingerprint",
        "syndicated_from": None,
    }
    assert again.json()["article"]["id"] == first.json()["article"]["id"]
    # Another day, or another outlet, is another piece (the other outlet's a syndicated copy
    # only when the bodies are near-identical).
    other_day = scrape("Army gets its new kit for winter", edited).replace("March 1", "March 2")
    elsewhere = scrape("Army gets its new kit for winter", edited).replace("Example", "Other")
    for text in (other_day, elsewhere):
        response = client.post("/v1/ingest", json={"text": text}, headers=ingest_headers)
        assert response.status_code == 201, response.text
        assert response.json()["article"]["body"] == "\n\n".join(edited)
    assert count(clean_db, Article) == 3


def test_a_body_as_close_under_another_headline_is_another_piece(
    client: TestClient, ingest_headers: dict[str, str], clean_db: Engine
) -> None:
    # Templated briefs (results, weather, scores) differ from each other as little as an edit.
    first = client.post(
        "/v1/ingest", json={"text": scrape("Army gets new kit", PARAGRAPHS)}, headers=ingest_headers
    )
    assert first.status_code == 201, first.text
    edited = [*PARAGRAPHS[:2], EDITED, *PARAGRAPHS[3:]]
    other = client.post(
        "/v1/ingest",
        json={"text": scrape("Ministry unveils ten-year plan", edited)},
        headers=ingest_headers,
    )
    assert other.status_code == 201, other.text
    assert other.json()["article"]["title"] == "Ministry unveils ten-year plan"
    assert count(clean_db, Article) == 2


def test_a_respelt_rescrape_gives_its_url_to_a_piece_stored_without_one_only(
    client: TestClient, ingest_headers: dict[str, str], clean_db: Engine
) -> None:
    text = scrape("Defence Organisation launches new programme", PARAGRAPHS)
    respelt = scrape("Defense Organization launches new program", PARAGRAPHS[:3])
    first = client.post("/v1/ingest", json={"text": text}, headers=ingest_headers)
    again = client.post(
        "/v1/ingest", json={"text": respelt, "url": "https://example.com/a"}, headers=ingest_headers
    )
    assert again.status_code == 200, again.text
    assert again.json()["article"]["id"] == first.json()["article"]["id"]
    assert again.json()["article"]["url"] == "https://example.com/a"
    # Under another URL it is another piece, however it is spelt.
    other = client.post(
        "/v1/ingest", json={"text": respelt, "url": "https://example.com/b"}, headers=ingest_headers
    )
    assert other.status_code == 201, other.text
    assert other.json()["article"]["body"] == "\n\n".join(PARAGRAPHS[:3])
