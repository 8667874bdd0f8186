"""POST /v1/ingest with `html`: a fetched page in, a clean and correctly filed article out,
through the real app and database on both engines."""

import json
import time
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from app.db.models import ArticleSource
from app.ingest.sources import unpack
from tests.ingest.pipeline.html.test_body import HOSTILE_PAGES

PARAGRAPHS = [
    "The central bank held its main rate at 4.5 per cent on Tuesday, the third pause in a row, "
    "as officials weighed signs that inflation had stopped falling.",
    "Governor Maria Costa told reporters that the committee saw no case for a cut before the "
    "spring, and that wage growth remained the main concern.",
    "Markets had expected the decision. The currency rose slightly against the dollar after the "
    "announcement, while government bond yields were little changed.",
    "Economists said the bank would probably wait for two more months of data before moving.",
]
# A body of its own, for a second article.
STUB = [
    "Subscribers can read the whole story: the council voted on Monday to rebuild the school.",
    *PARAGRAPHS[1:],
]
LD = {
    "@context": "https://schema.org",
    "@type": "NewsArticle",
    "headline": "Central bank holds rates for a third time",
    "datePublished": "2024-03-05T09:30:00+01:00",
    "dateModified": "2024-03-07T12:00:00+01:00",
    "author": [{"@type": "Person", "name": "Lena Fischer"}],
    "publisher": {"@type": "Organization", "name": "The Daily Ledger"},
}


def page(
    ld: dict[str, Any] = LD,
    paragraphs: list[str] = PARAGRAPHS,
    byline: str = '<a rel="author" href="/authors/lena">Lena Fischer</a>',
) -> str:
    body = "".join(f"<p>{text}</p>" for text in paragraphs)
    slug = "-".join(ld["headline"].lower().split()[:4])
    return f"""<!doctype html><html lang="en-GB"><head>
<title>{ld["headline"]} | The Daily Ledger</title>
<link rel="canonical" href="https://www.dailyledger.example/economy/{slug}?utm_source=x">
<meta property="og:site_name" content="The Daily Ledger">
<meta name="description" content="Officials fear inflation has stopped falling.">
<meta name="keywords" content="Interest rates, Inflation, Central banks">
<meta property="article:section" content="Economy">
<script type="application/ld+json">{json.dumps(ld)}</script>
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/economy">Economy</a></li>
<li><a href="/sport">Sport</a></li></ul></nav>
<article><h1>{ld["headline"]}</h1>
<p class="byline">By {byline}</p>
<time datetime="2024-03-05T09:30:00+01:00">5 March 2024</time>
{body}
</article>
<aside><h3>Most read</h3><ul><li><a href="/a">Ten things you missed this week</a></li>
<li><a href="/b">Why everyone is talking about the new stadium</a></li></ul></aside>
<footer>© 2025 The Daily Ledger. All rights reserved. <a href="/privacy">Privacy</a></footer>
</body></html>"""


def post(client: TestClient, headers: dict[str, str], dry_run: bool = False, **item: Any) -> Any:
    suffix = "?dry_run=true" if dry_run else ""
    return client.post(f"/v1/ingest{suffix}", json=item, headers=headers)


def tags_of(article: dict[str, Any]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for tag in article["tags"]:
        found.setdefault(tag["taxonomy"], []).append(tag["name"])
    return found


def test_a_page_is_filed_from_what_it_states(
    client: TestClient, ingest_headers: dict[str, str]
) -> None:
    response = post(client, ingest_headers, html=page())
    assert response.status_code == 201, response.text
    article = response.json()["article"]
    assert article["title"] == "Central bank holds rates for a third time"
    assert article["published_at"].startswith("2024-03-05")
    assert article["outlet"]["name"] == "The Daily Ledger"
    assert [author["name"] for author in article["authors"]] == ["Lena Fischer"]
    assert article["language"] == "en"
    assert article["credit"] is None
    assert article["url"] == "https://dailyledger.example/economy/central-bank-holds-rates"
    assert article["body"] == "\n\n".join(PARAGRAPHS)
    assert tags_of(article) == {
        "Keywords": ["Interest rates", "Inflation", "Central banks"],
        "Sections": ["Economy"],
    }


def test_the_report_says_where_each_field_came_from(
    client: TestClient, ingest_headers: dict[str, str]
) -> None:
    report = post(client, ingest_headers, html=page(), title="Rates on hold").json()["report"]
    assert report["input"] == "html"
    assert report["found"]["title"] == "given"
    # No URL sent: the page's rel=canonical named the piece.
    assert report["found"]["url"] == "link"
    assert report["found"]["published_at"] == "json-ld"
    # The displayed byline, checked against the JSON-LD authors.
    assert report["found"]["authors"] == "byline"
    assert report["missing"] == []
    assert {tag["found_by"] for tag in report["tags"]} == {"page keywords", "page section"}


def test_explicit_fields_win_over_the_page(
    client: TestClient, ingest_headers: dict[str, str]
) -> None:
    response = post(
        client,
        ingest_headers,
        html=page(),
        title="Rates on hold",
        authors=["Someone Else"],
        published_at="2024-03-06",
        tags={"Keywords": ["Monetary policy"]},
    )
    article = response.json()["article"]
    assert article["title"] == "Rates on hold"
    assert [author["name"] for author in article["authors"]] == ["Someone Else"]
    assert article["published_at"] == "2024-03-06"
    assert tags_of(article) == {"Keywords": ["Monetary policy"], "Sections": ["Economy"]}


def test_an_agency_byline_is_a_credit_not_a_person(
    client: TestClient, ingest_headers: dict[str, str]
) -> None:
    ld = LD | {"author": {"@type": "Organization", "name": "Associated Press"}}
    article = post(client, ingest_headers, html=page(ld, byline="Associated Press")).json()
    assert article["article"]["authors"] == []
    assert article["article"]["credit"] == "Associated Press"


def test_a_loaded_vocabulary_files_page_keywords_under_its_taxonomy(
    client: TestClient, ingest_headers: dict[str, str]
) -> None:
    loaded = client.put(
        "/v1/taxonomies/topics",
        json={"name": "Topics", "tags": ["Inflation"]},
        headers=ingest_headers,
    )
    assert loaded.status_code in (200, 201), loaded.text
    article = post(client, ingest_headers, html=page()).json()["article"]
    assert tags_of(article) == {
        "Keywords": ["Interest rates", "Central banks"],
        "Topics": ["Inflation"],
        "Sections": ["Economy"],
    }


@pytest.mark.parametrize(
    ("item", "wanted"),
    [
        ({"text": "Some text", "html": "<p>Some text</p>"}, "exactly one of"),
        ({"url": "https://example.com/a"}, "exactly one of"),
        ({"html": "   "}, "must not be empty"),
    ],
)
def test_a_request_sends_exactly_one_of_text_or_html(
    client: TestClient, ingest_headers: dict[str, str], item: dict[str, Any], wanted: str
) -> None:
    response = post(client, ingest_headers, **item)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == "validation_error"
    assert wanted in json.dumps(problem)


def test_a_dry_run_stores_nothing(
    client: TestClient, ingest_headers: dict[str, str], clean_db: Engine
) -> None:
    response = post(client, ingest_headers, dry_run=True, html=page())
    assert response.status_code == 200
    assert response.json()["report"]["dry_run"] is True
    assert response.json()["article"]["title"] == LD["headline"]
    assert client.get("/v1/articles").json()["items"] == []


def test_the_page_is_kept_compressed(
    client: TestClient, ingest_headers: dict[str, str], clean_db: Engine
) -> None:
    sent: dict[str, Any] = {
        "html": page(),
        "url": "https://dailyledger.example/economy/central-bank-holds-rates",
    }
    # Fetched from another site (a mirror): the URL sent names the piece, not the canonical.
    mirrored = sent | {"url": "https://mirror.example/central-bank"}
    answer = post(client, ingest_headers, dry_run=True, **mirrored).json()
    assert answer["report"]["found"]["url"] == "given"
    assert answer["article"]["url"] == "https://mirror.example/central-bank"
    stored_answer = post(client, ingest_headers, **sent)
    assert stored_answer.status_code == 201
    # Sent from the page's own site: its canonical URL (www., tracking) named the piece.
    assert stored_answer.json()["report"]["found"]["url"] == "link"
    with clean_db.connect() as connection:
        stored = connection.execute(
            select(ArticleSource.payload, ArticleSource.encoding, ArticleSource.kind)
        ).one()
    assert stored.encoding == "gzip+base64"
    assert len(stored.payload) < len(sent["html"])
    assert stored.kind == "raw"
    assert json.loads(unpack(stored.payload, stored.encoding)) == sent


def test_the_same_piece_as_text_and_as_html_is_one_article(
    client: TestClient, ingest_headers: dict[str, str]
) -> None:
    text = "\n".join(
        [
            "March 5, 2024 | The Daily Ledger",
            "Central bank holds rates for a third time",
            "By Lena Fischer",
            *PARAGRAPHS,
        ]
    )
    first = post(client, ingest_headers, text=text)
    assert first.status_code == 201, first.text
    second = post(client, ingest_headers, html=page())
    assert second.status_code == 200, second.text
    assert second.json()["article"]["id"] == first.json()["article"]["id"]
    assert second.json()["report"]["duplicate"]["decision"] == "existing"


def test_a_batch_takes_pages_beside_scrapes(
    client: TestClient, ingest_headers: dict[str, str]
) -> None:
    other = LD | {"headline": "Another story entirely", "datePublished": "2024-04-01"}
    items = [{"html": page()}, {"html": page(other, [*PARAGRAPHS[2:], "A new closing line."])}]
    response = client.post("/v1/ingest/batch", json=items, headers=ingest_headers)
    assert response.status_code == 200, response.text
    assert [r["status"] for r in response.json()["results"]] == ["created", "created"]
    titles = {item["title"] for item in client.get("/v1/articles").json()["items"]}
    assert titles == {LD["headline"], "Another story entirely"}


@pytest.mark.parametrize("name", HOSTILE_PAGES)
def test_hostile_pages_get_a_clear_answer_quickly(
    client: TestClient, ingest_headers: dict[str, str], name: str
) -> None:
    started = time.monotonic()
    # ASCII JSON: lone surrogates travel as \u escapes, as a careless scraper would send them.
    item = {"html": HOSTILE_PAGES[name], "url": "https://example.com/x"}
    headers = ingest_headers | {"Content-Type": "application/json"}
    response = client.post("/v1/ingest", content=json.dumps(item), headers=headers)
    assert time.monotonic() - started < 30
    assert response.status_code in (201, 422), response.text[:300]
    if response.status_code == 201:
        filed = response.json()
        assert filed["article"]["title"] and filed["article"]["body"]
        assert filed["report"]["input"] == "html"
    else:
        assert response.headers["content-type"] == "application/problem+json"
        # Nothing to file (or, for lone surrogates and blank pages, nothing valid sent).
        assert response.json()["code"] in ("unparseable_text", "validation_error")


def test_a_domain_seen_in_text_ingests_files_pages_under_the_same_outlet(
    client: TestClient, ingest_headers: dict[str, str]
) -> None:
    text = "\n".join(
        ["June 1, 2024 | Ledger", "An earlier story on the same site", *PARAGRAPHS[2:]]
    )
    earlier = post(client, ingest_headers, text=text, url="https://dailyledger.example/earlier")
    assert earlier.status_code == 201, earlier.text
    outlet = earlier.json()["article"]["outlet"]
    assert (outlet["name"], outlet["domain"]) == ("Ledger", "dailyledger.example")
    fetched = "https://www.dailyledger.example/economy/central-bank-holds-rates"
    article = post(client, ingest_headers, html=page(), url=fetched).json()["article"]
    assert article["outlet"] == outlet


def test_a_page_that_states_no_date_is_filed_under_the_day_it_came_in(
    client: TestClient, ingest_headers: dict[str, str]
) -> None:
    undated = {key: value for key, value in LD.items() if not key.startswith("date")}
    time_element = '<time datetime="2024-03-05T09:30:00+01:00">5 March 2024</time>'
    html = page(undated).replace(time_element, "")
    response = post(client, ingest_headers, html=html)
    assert response.status_code == 201, response.text
    today = datetime.now(UTC).date().isoformat()
    assert response.json()["article"]["published_at"] == today
    report = response.json()["report"]
    assert report["found"]["published_at"] == "received"
    assert "published_at" in report["missing"]


def test_pages_at_two_urls_with_one_body_are_two_pieces(
    client: TestClient, ingest_headers: dict[str, str]
) -> None:
    # A paywall stub or a standard notice is the whole body of many different articles.
    stub = STUB
    other = LD | {"headline": "Barn fire on the edge of town", "datePublished": "2024-06-09"}
    first = post(client, ingest_headers, html=page(paragraphs=stub))
    second = post(client, ingest_headers, html=page(other, stub))
    assert (first.status_code, second.status_code) == (201, 201), second.text
    assert second.json()["article"]["url"].endswith("/barn-fire-on-the")


def test_a_site_wide_canonical_url_names_no_piece(
    client: TestClient, ingest_headers: dict[str, str]
) -> None:
    # A misconfigured CMS gives every article its home (or section) page as canonical.
    urls = []
    stories = (("Ferry back in service", "/", PARAGRAPHS), ("New bakery opens", "/news", STUB))
    for headline, canonical, paragraphs in stories:
        html = page(LD | {"headline": headline}, paragraphs).replace(
            'href="https://www.dailyledger.example/economy/',
            'href="https://dailyledger.example' + canonical + '" data-x="',
        )
        slug = "-".join(headline.lower().split())
        sent = f"https://dailyledger.example/news/{slug}"
        response = post(client, ingest_headers, html=html, url=sent)
        assert response.status_code == 201, response.text
        urls.append(response.json()["article"]["url"])
    assert urls == [
        "https://dailyledger.example/news/ferry-back-in-service",
        "https://dailyledger.example/news/new-bakery-opens",
    ]


def test_a_canonical_url_on_another_site_gives_no_domain_to_this_outlet(
    client: TestClient, ingest_headers: dict[str, str]
) -> None:
    # A syndicated copy names its original; the copy's outlet must not take the wire's domain.
    html = (
        page(LD | {"publisher": {"@type": "Organization", "name": "Valley Gazette"}})
        .replace("www.dailyledger.example", "wire.example")
        .replace("The Daily Ledger", "Valley Gazette")
    )
    article = post(client, ingest_headers, html=html).json()["article"]
    assert article["outlet"]["name"] == "Valley Gazette"
    assert article["outlet"]["domain"] is None
    assert article["url"].startswith("https://wire.example/")


def test_an_aggregator_host_keeps_the_outlets_it_serves_apart(
    client: TestClient, ingest_headers: dict[str, str]
) -> None:
    text = "\n".join(["June 1, 2024 | Reuters", "Markets rally on rate hopes", *PARAGRAPHS])
    reuters = post(client, ingest_headers, text=text, url="https://news.portal.example/a")
    ap = post(
        client,
        ingest_headers,
        text=text.replace("Reuters", "Associated Press").replace("rally", "slump"),
        url="https://news.portal.example/b",
        outlet="Associated Press",
    )
    assert (reuters.status_code, ap.status_code) == (201, 201), ap.text
    assert reuters.json()["article"]["outlet"]["domain"] == "news.portal.example"
    assert ap.json()["article"]["outlet"]["name"] == "Associated Press"
