"""The HTML metadata extractor: one rule per test on hand-written pages, then saved real pages
against hand-checked labels (tests/ingest/pipeline/html/expected_metadata.json)."""

import gzip
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from lxml import html as lxml_html

from app.ingest.pipeline.html import PageMetadata, extract_metadata, parse_document
from tests.ingest.pipeline.scoring import norm

HERE = Path(__file__).resolve().parent
URL = "https://www.example-news.com/politics/2019/11/18/some-story/"


def metadata_of(
    head: str = "", body: str = "", url: str | None = URL, lang: str = ""
) -> PageMetadata:
    tree = parse_document(f"<html{lang}><head>{head}</head><body>{body}</body></html>")
    assert tree is not None
    return extract_metadata(tree, url)


def json_ld(data: Any) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


# --- JSON-LD -------------------------------------------------------------------------------


def test_json_ld_graph_resolves_authors_and_publisher_by_id() -> None:
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "Organization", "@id": "#org", "name": "Example News"},
            {"@type": "Person", "@id": "#jane", "name": "Jane Doe"},
            {
                "@type": ["NewsArticle"],
                "headline": "Council approves the budget",
                "datePublished": "2019-11-18T09:00:00-05:00",
                "dateModified": "2019-11-20T10:00:00-05:00",
                "author": {"@id": "#jane"},
                "publisher": {"@id": "#org"},
            },
        ],
    }
    found = metadata_of(json_ld(graph), "<p>By Jane Doe</p>")
    assert found.title == "Council approves the budget"
    assert found.authors == ("Jane Doe",)
    assert found.published_at == date(2019, 11, 18)
    assert found.outlet == "Example News"
    assert found.origins["published_at"] == "json-ld"


def test_broken_and_listed_json_ld_never_raise() -> None:
    head = (
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": </script>'
        + json_ld([{"@type": "BlogPosting", "headline": "From a list", "datePublished": 7}])
        + '<script type="application/ld+json">[[[[{"@graph": 5}]]]]</script>'
    )
    found = metadata_of(head)
    assert found.title == "From a list"
    assert found.published_at == date(2019, 11, 18)  # from the URL: the JSON-LD date is junk
    assert found.origins["published_at"] == "url"


def test_json_ld_author_the_page_never_shows_is_not_a_byline() -> None:
    """Yoast names the WordPress account that posted the page; a press release has no byline."""
    head = json_ld({"@type": "Article", "author": {"@type": "Person", "name": "Yoav Schumacher"}})
    assert metadata_of(head, "<h1>Company names new CEO</h1><p>Text.</p>").authors == ()


def test_a_name_only_inside_a_script_is_not_displayed() -> None:
    head = json_ld({"@type": "Article", "author": {"@type": "Person", "name": "Josh Miles"}})
    hidden = '<script>var dataLayer = {"author": "Josh Miles"};</script><p>Text.</p>'
    assert metadata_of(head, hidden).authors == ()
    shown = '<p>Posted by <a href="/josh">Josh</a> Miles</p>'
    assert metadata_of(head, shown).authors == ("Josh Miles",)


def test_a_profile_url_is_not_a_name() -> None:
    head = json_ld({"@type": "NewsArticle", "author": "https://example.com/author/jane-doe/"})
    assert metadata_of(head, "<p>https://example.com/author/jane-doe/</p>").authors == ()


def test_json_ld_organisation_author_is_not_a_person() -> None:
    head = json_ld(
        {"@type": "NewsArticle", "author": {"@type": "Organization", "name": "BBC News"}}
    )
    assert metadata_of(head, "<p>BBC News</p>").authors == ()


# --- bylines -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("byline", "authors", "credit"),
    [
        ("By Associated Press", (), "Associated Press"),
        ("By REUTERS", (), "REUTERS"),
        ("Staff Reports", (), "Staff Reports"),
        ("By Staff", (), "Staff"),
        ("PTI, Washington, Nov 20 2019, 10:18am ist", (), "PTI"),
        ("By JERUSALEM POST STAFF NOVEMBER 20, 2019 10:43", (), "JERUSALEM POST STAFF"),
        ("By Troy L. Smith, Cleveland.com", ("Troy L. Smith",), None),
        (
            "By Stefan Becket, Kathryn Watson, Grace Segers",
            ("Stefan Becket", "Kathryn Watson", "Grace Segers"),
            None,
        ),
        ("Lisa Kaczke and Trevor J. Mitchell", ("Lisa Kaczke", "Trevor J. Mitchell"), None),
        ("| BY: Ilana Muhlstein, MS, RDN", ("Ilana Muhlstein",), None),
        ("Monday November 18, 2019 7:45 am PST by Joe Rossignol", ("Joe Rossignol",), None),
        ("Steve Peoples, Ap National Political Writer", ("Steve Peoples",), None),
        ("by jdadmin", (), None),
        ("The Russian and Syrian defense ministries", (), None),
    ],
)
def test_byline_people_and_credits(
    byline: str, authors: tuple[str, ...], credit: str | None
) -> None:
    found = metadata_of(body=f'<h1>Headline here</h1><div class="byline">{byline}</div>')
    assert (found.authors, found.credit) == (authors, credit)


@pytest.mark.parametrize(
    ("byline", "authors"),
    [
        ("By A. J. Smith", ("A. J. Smith",)),
        (
            "Mike Wuerthele and Malcolm Owen Monday, November 18, 2019",
            ("Mike Wuerthele", "Malcolm Owen"),
        ),
        ("Текст: Венера Ерофеева", ("Венера Ерофеева",)),
        ("By KWCHCIK", ()),
        ("By Marie de la Cruz", ("Marie de la Cruz",)),
        ("By jane@example.com", ()),
        ("Por Juan Pérez", ("Juan Pérez",)),
        ("Par Marie Curie", ("Marie Curie",)),
        ("Di Stefano Rossi", ("Di Stefano Rossi",)),
    ],
)
def test_name_shapes(byline: str, authors: tuple[str, ...]) -> None:
    assert metadata_of(body=f'<p class="byline">{byline}</p>').authors == authors


def test_json_ld_authors_outrank_the_author_meta_tag() -> None:
    """The author meta tag often names the publisher's owner."""
    head = '<meta name="author" content="Condé Nast">' + json_ld(
        {"@type": "NewsArticle", "author": [{"@type": "Person", "name": "Molly Wood"}]}
    )
    found = metadata_of(head, "<p>Molly Wood</p><footer>© Condé Nast</footer>")
    assert (found.authors, found.origins["authors"]) == (("Molly Wood",), "json-ld")


def test_displayed_byline_spells_the_structured_name() -> None:
    head = '<meta property="article:author" content="Troy Smith">'
    found = metadata_of(head, '<div class="byline">By Troy L. Smith</div>')
    assert (found.authors, found.origins["authors"]) == (("Troy L. Smith",), "byline")


def test_innermost_author_elements_name_one_person_each() -> None:
    body = (
        '<div class="article-byline">By <a class="author-link" href="/p/eric">Eric Song</a>, '
        '<span class="author-name">IGN Staff</span>Updated: 18 Nov 2019</div>'
    )
    found = metadata_of(body=body)
    assert (found.authors, found.credit) == (("Eric Song",), "IGN Staff")


def test_comment_and_sidebar_bylines_are_not_the_articles() -> None:
    body = (
        '<aside><div class="byline">By Someone Else</div></aside>'
        '<div class="comments"><div class="comment-author">Gary Moore said:</div></div>'
    )
    assert metadata_of(body=body).authors == ()


def test_a_desk_named_after_the_site_is_nobody() -> None:
    head = '<meta property="og:site_name" content="The Telegraph">'
    assert metadata_of(head, '<p class="byline">Telegraph Sport</p>').authors == ()


def test_an_articles_own_footer_holds_its_byline_the_sites_does_not() -> None:
    body = (
        '<article><h1>Headline</h1><footer><span class="author">Ann Lee</span></footer></article>'
        '<footer><p class="author">Site Owner</p></footer>'
    )
    assert metadata_of(body=body).authors == ("Ann Lee",)
    assert metadata_of(body='<footer><p class="author">Site Owner</p></footer>').authors == ()


def test_the_sites_own_account_is_a_credit() -> None:
    head = '<meta property="og:site_name" content="LinkNaija | Nigeria\'s news platform">'
    found = metadata_of(head, '<span class="post-author">LinkNaija</span>')
    assert (found.authors, found.credit, found.outlet) == ((), "LinkNaija", "LinkNaija")


# --- title ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Council approves the budget - Example News", "Council approves the budget"),
        ("Council approves the budget | Politics | Example News", "Council approves the budget"),
        ("Example News | Council approves the budget", "Council approves the budget"),
        ("Spider-Man - the musical - Example News", "Spider-Man - the musical"),
    ],
)
def test_site_name_comes_off_the_title(title: str, expected: str) -> None:
    head = f'<title>{title}</title><meta property="og:site_name" content="Example News">'
    assert metadata_of(head).title == expected


def test_visible_h1_beats_an_seo_title_and_site_name_headings_are_skipped() -> None:
    head = "<title>Assange case dropped - Example News</title>"
    body = (
        '<header><a href="/"><h1>Example News</h1></a></header><nav><h1>Menu</h1></nav>'
        "<article><h1>Julian Assange: Sweden drops rape investigation</h1></article>"
    )
    found = metadata_of(head, body)
    assert found.title == "Julian Assange: Sweden drops rape investigation"
    assert found.origins["title"] == "h1"


def test_page_state_classes_on_body_are_not_furniture() -> None:
    tree = parse_document(
        '<html><body class="nav-no-loaded sidebar-open"><h1>Real headline here</h1>'
        '<p class="byline">By Jane Doe</p></body></html>'
    )
    assert tree is not None
    found = extract_metadata(tree, URL)
    assert (found.title, found.authors) == ("Real headline here", ("Jane Doe",))


def test_an_h1_sharing_no_word_with_the_stated_titles_is_not_the_headline() -> None:
    head = '<meta property="og:title" content="Council approves the budget">'
    found = metadata_of(head, "<h1>Latest local news and weather</h1>")
    assert (found.title, found.origins["title"]) == ("Council approves the budget", "meta")


def test_post_title_in_h2_when_the_h1_is_the_masthead() -> None:
    head = (
        "<title>Sejarah Islam | Kabar Dunia</title>"
        '<meta name="application-name" content="Kabar Dunia">'
    )
    found = metadata_of(head, "<h1>Kabar Dunia</h1><h2>Sejarah Islam</h2>")
    assert (found.title, found.origins["title"]) == ("Sejarah Islam", "h2")


# --- published -----------------------------------------------------------------------------


def test_published_not_modified() -> None:
    head = (
        '<meta property="article:modified_time" content="2016-09-01T20:10:36+00:00">'
        '<meta property="article:published_time" content="2014-09-15T14:22:02+00:00">'
    )
    body = '<time class="updated" datetime="2016-09-01">September 1, 2016</time>'
    assert metadata_of(head, body, url=None).published_at == date(2014, 9, 15)


def test_copyright_year_is_no_date() -> None:
    body = "<h1>Atkins diet</h1><p>Text.</p><footer>© example.com, 2008</footer>"
    assert metadata_of(body=body, url="http://example.com/diet.html").published_at is None


def test_url_date_when_nothing_else_says() -> None:
    found = metadata_of(body="<h1>A story</h1>")
    assert (found.published_at, found.origins["published_at"]) == (date(2019, 11, 18), "url")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://x.com/2019/11/18/story/", date(2019, 11, 18)),
        ("https://x.com/news/2019-11-18-story", date(2019, 11, 18)),
        ("https://x.com/article/2019/nov/18/story/", date(2019, 11, 18)),
        ("https://x.com/2019/11/story/", None),  # no day: never made up
        ("https://x.com/2019/02/30/story/", None),
        ("https://x.com/2099/01/01/story/", None),
    ],
)
def test_url_dates(url: str, expected: date | None) -> None:
    assert metadata_of(url=url).published_at == expected


def test_dateline_beside_the_headline() -> None:
    body = "<h1>Story</h1><div>기사입력 :[ 2018-08-25 15:24 ]</div><p>Text</p>"
    found = metadata_of(body=body, url="http://example.kr/news_view.html?idx=1")
    assert (found.published_at, found.origins["published_at"]) == (date(2018, 8, 25), "dateline")


def test_url_date_outranks_a_date_printed_above_the_headline() -> None:
    """Mastheads print today's date above the headline; the URL's day is the story's."""
    body = "<div>Tuesday, November 26, 2019</div><h1>Story</h1><p>Text</p>"
    assert metadata_of(body=body).published_at == date(2019, 11, 18)
    found = metadata_of(body=body, url="http://example.com/story")
    assert found.published_at == date(2019, 11, 26)


def test_updated_dateline_is_not_the_publication() -> None:
    body = "<h1>Story</h1><div>Updated November 20, 2019</div>"
    assert metadata_of(body=body, url="http://example.com/story").published_at is None


@pytest.mark.parametrize(
    "stamp", ["0001-01-01T00:00:00Z", "9999-12-31", "1850-01-01", "2019-02-30"]
)
def test_garbage_dates_give_way_to_the_next_evidence(stamp: str) -> None:
    head = json_ld({"@type": "NewsArticle", "datePublished": stamp})
    assert metadata_of(head).published_at == date(2019, 11, 18)


def test_no_date_in_the_future() -> None:
    tomorrow = (datetime.now(UTC) + timedelta(days=2)).date().isoformat()
    head = f'<meta property="article:published_time" content="{tomorrow}">'
    assert metadata_of(head, url=None).published_at is None


# --- outlet, language, canonical, keywords, section ----------------------------------------


def test_outlet_readable_spelling_and_wire_publisher_skipped() -> None:
    head = '<meta property="og:site_name" content="TheHill">' + json_ld(
        {"@type": "NewsArticle", "publisher": {"@type": "Organization", "name": "The Hill"}}
    )
    assert metadata_of(head, url="https://thehill.com/a").outlet == "The Hill"
    wire = json_ld({"@type": "NewsArticle", "publisher": {"name": "Associated Press"}})
    assert (
        metadata_of(wire + "<title>Story - SFGate</title>", url="https://www.sfgate.com/a").outlet
        == "SFGate"
    )


def test_outlet_agreeing_with_the_host_beats_an_edition_name() -> None:
    head = '<meta property="og:site_name" content="U.S."><title>Oil falls | Reuters</title>'
    assert metadata_of(head, url="https://www.reuters.com/article/x").outlet == "Reuters"


def test_outlet_from_a_title_suffix_that_extends_the_host() -> None:
    head = "<title>Dare to Play 3 – Vortex Cannon Entertainment</title>"
    found = metadata_of(head, url="https://vortexcannon.org/dare-to-play-3/")
    assert (found.outlet, found.title) == ("Vortex Cannon Entertainment", "Dare to Play 3")


def test_site_name_that_is_a_url_is_no_name() -> None:
    head = '<meta property="og:site_name" content="https://www.newsnation.in">'
    assert metadata_of(head, url="https://www.newsnation.in/a").outlet == "newsnation.in"


def test_outlet_from_the_sites_organisation_node_without_an_article_node() -> None:
    head = json_ld({"@type": "NewsMediaOrganization", "name": "Example Daily"})
    found = metadata_of(head)
    assert (found.outlet, found.origins["outlet"]) == ("Example Daily", "json-ld")


def test_outlet_falls_back_to_the_host() -> None:
    assert metadata_of(url="http://vse-diety.com/dieta.html").outlet == "vse-diety.com"
    assert metadata_of(url="http://vse-diety.com/dieta.html").origins["outlet"] == "domain"


@pytest.mark.parametrize(
    ("lang", "head", "expected"),
    [
        (' lang="en-US"', "", "en"),
        (' lang="KO"', "", "ko"),
        ("", '<meta property="og:locale" content="pt_BR">', "pt"),
        ("", '<meta http-equiv="content-language" content="de-AT">', "de"),
        (' lang="x"', "", None),
    ],
)
def test_language_is_the_primary_subtag(lang: str, head: str, expected: str | None) -> None:
    assert metadata_of(head, lang=lang).language == expected


def test_canonical_is_made_absolute() -> None:
    found = metadata_of('<link rel="canonical" href="/politics/story-1">')
    assert found.canonical_url == "https://www.example-news.com/politics/story-1"
    assert metadata_of('<link rel="canonical" href="javascript:void(0)">').canonical_url is None


def test_keywords_split_and_deduped() -> None:
    head = (
        '<meta name="keywords" content="Trump, impeachment; Trump">'
        '<meta property="article:tag" content="Impeachment">'
    )
    found = metadata_of(head)
    assert (found.keywords, found.origins["keywords"]) == (("Trump", "impeachment"), "meta")


def test_a_cms_switch_among_keywords_is_no_keyword() -> None:
    head = '<meta name="keywords" content="galaxies, type_news, channel:other, ad=off, TNG50">'
    assert metadata_of(head).keywords == ("galaxies", "TNG50")


def test_keywords_capped() -> None:
    many = ", ".join(f"tag{i}" for i in range(40))
    keywords = metadata_of(f'<meta name="news_keywords" content="{many}">').keywords
    assert keywords == tuple(f"tag{i}" for i in range(20))


def test_section_is_the_first_named() -> None:
    assert (
        metadata_of('<meta property="article:section" content="news,crime-news">').section == "news"
    )


# --- hostile input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "page",
    [
        "<p>no head at all",
        "<html><body>" + "<div>" * 5000 + "deep" + "</div>" * 5000 + "</body></html>",
        f'<html><head><meta name="author" content="{"A" * 3_000_000}"></head></html>',
        '<script type="application/ld+json">' + "[" * 100_000 + "</script>",
        '<time datetime="99999-99-99">x</time><meta name="date" content="0000-00-00">',
    ],
)
def test_hostile_pages_never_raise(page: str) -> None:
    tree = parse_document(page)
    assert tree is not None
    assert isinstance(extract_metadata(tree, "not a url"), PageMetadata)


def test_the_tree_is_left_as_it_was() -> None:
    page = gzip.decompress(next((HERE / "pages").glob("7a66*.html.gz")).read_bytes()).decode()
    tree = parse_document(page)
    assert tree is not None
    before = lxml_html.tostring(tree)
    extract_metadata(tree, "https://www.cbsnews.com/news/x/")
    assert lxml_html.tostring(tree) == before


# --- saved real pages ----------------------------------------------------------------------

EXPECTED: dict[str, dict[str, Any]] = json.loads((HERE / "expected_metadata.json").read_text())


@pytest.mark.parametrize("page", sorted(EXPECTED), ids=lambda page: page[:12])
def test_saved_page_metadata(page: str) -> None:
    want = EXPECTED[page]
    tree = parse_document(
        gzip.decompress((HERE / "pages" / f"{page}.html.gz").read_bytes()).decode()
    )
    assert tree is not None
    found = extract_metadata(tree, want["url"])
    assert norm(found.title) == norm(want["title"])
    assert sorted(map(norm, found.authors)) == sorted(map(norm, want["authors"]))
    if want["agency"]:
        assert norm(found.credit) == norm(want["agency"])
    if want["published"] is None:
        assert found.published_at is None
    else:
        assert found.published_at is not None
        assert abs((found.published_at - date.fromisoformat(want["published"])).days) <= 1
    assert norm(found.outlet) == norm(want["outlet"])
