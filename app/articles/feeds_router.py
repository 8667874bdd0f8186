"""Atom feeds (RFC 4287) for a tag, an author and an outlet: the newest 50 articles."""

from datetime import UTC, datetime
from typing import Any
from xml.etree import ElementTree as ET

from fastapi import APIRouter, Request, Response

from app.articles.filters import ArticleFilters, TagRef
from app.articles.listing import ListRequest, list_articles
from app.db.types import JSON, Executor
from app.http.deps import ReaderDep
from app.http.params import Slug
from app.http.problems import PROBLEM_RESPONSES
from app.vocabulary import browse

router = APIRouter(prefix="/v1", tags=["feeds"], responses=PROBLEM_RESPONSES)

ATOM = "http://www.w3.org/2005/Atom"
FEED_SIZE = 50
FEED_FIELDS = ("id", "url", "title", "excerpt", "published_at", "updated_at", "authors", "tags")
ATOM_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/atom+xml": {}}, "description": "An Atom feed"}
}


def _instant(text: str) -> str:
    return text if "T" in text else f"{text}T00:00:00Z"


def _atom(request: Request, title: str, items: list[JSON]) -> Response:
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(feed, f"{{{ATOM}}}id").text = str(request.url)
    ET.SubElement(feed, f"{{{ATOM}}}title").text = title
    updated = max((item["updated_at"] for item in items), default=None)
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = updated or datetime.now(UTC).strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=str(request.url))
    ET.SubElement(ET.SubElement(feed, f"{{{ATOM}}}author"), f"{{{ATOM}}}name").text = "newsdb"
    for item in items:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}id").text = f"urn:newsdb:article:{item['id']}"
        ET.SubElement(entry, f"{{{ATOM}}}title").text = item["title"]
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = item["updated_at"]
        ET.SubElement(entry, f"{{{ATOM}}}published").text = _instant(item["published_at"])
        api_url = str(request.url_for("read_article", article_id=item["id"]))
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", href=item["url"] or api_url)
        for author in item["authors"]:
            ET.SubElement(
                ET.SubElement(entry, f"{{{ATOM}}}author"), f"{{{ATOM}}}name"
            ).text = author["name"]
        for tag in item["tags"]:
            ET.SubElement(
                entry,
                f"{{{ATOM}}}category",
                term=tag["slug"],
                label=tag["name"],
                scheme=tag["taxonomy_slug"],
            )
        ET.SubElement(entry, f"{{{ATOM}}}summary").text = item["excerpt"]
    body = ET.tostring(feed, encoding="utf-8", xml_declaration=True)
    return Response(body, media_type="application/atom+xml; charset=utf-8")


def _newest(db: Executor, filters: ArticleFilters) -> list[JSON]:
    request = ListRequest(filters, limit=FEED_SIZE, count_total=False, fields=FEED_FIELDS)
    page: list[JSON] = list_articles(db, request)["items"]
    return page


@router.get(
    "/taxonomies/{taxonomy}/tags/{slug}/feed",
    operation_id="tagFeed",
    response_class=Response,
    responses=ATOM_RESPONSE,
)
async def tag_feed(request: Request, read: ReaderDep, taxonomy: Slug, slug: Slug) -> Response:
    """The newest articles with a tag, as Atom."""
    tag = await read(browse.get_tag, taxonomy, slug)
    items = await read(_newest, ArticleFilters(tag_groups=[[TagRef(tag["slug"], taxonomy)]]))
    return _atom(request, f"{tag['taxonomy']}: {tag['name']}", items)


@router.get(
    "/authors/{slug}/feed",
    operation_id="authorFeed",
    response_class=Response,
    responses=ATOM_RESPONSE,
)
async def author_feed(request: Request, read: ReaderDep, slug: Slug) -> Response:
    """The newest articles by an author, as Atom."""
    author = await read(browse.AUTHORS.one, slug)
    items = await read(_newest, ArticleFilters(authors=[slug]))
    return _atom(request, f"Articles by {author['name']}", items)


@router.get(
    "/outlets/{slug}/feed",
    operation_id="outletFeed",
    response_class=Response,
    responses=ATOM_RESPONSE,
)
async def outlet_feed(request: Request, read: ReaderDep, slug: Slug) -> Response:
    """The newest articles from an outlet, as Atom."""
    outlet = await read(browse.OUTLETS.one, slug)
    items = await read(_newest, ArticleFilters(outlets=[slug]))
    return _atom(request, str(outlet["name"]), items)
