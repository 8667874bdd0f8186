"""schema.org JSON-LD: the article node's own statements (headline, authors, dates, publisher).

Pages carry JSON-LD as single objects, lists, `@graph`s, with `@id` references between nodes,
lowercase types and trailing junk; anything that does not parse is skipped, never raised."""

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from app.ingest.pipeline.html.page_index import PageIndex

# Bigger scripts are data dumps (product feeds, state blobs), not an article's metadata.
MAX_SCRIPT_CHARS = 500_000
MAX_NODES = 2_000

_ARTICLE_TYPE_NAMES = (
    "Article NewsArticle BlogPosting ReportageNewsArticle AnalysisNewsArticle "
    "OpinionNewsArticle ReviewNewsArticle BackgroundNewsArticle AskPublicNewsArticle "
    "TechArticle ScholarlyArticle Report LiveBlogPosting SocialMediaPosting "
    "SatiricalArticle AdvertiserContentArticle PressRelease "
)
_ARTICLE_TYPES = frozenset(name.lower() for name in _ARTICLE_TYPE_NAMES.split())
_PAGE_TYPES = frozenset({"webpage", "itempage", "collectionpage"})
_PERSON_TYPES = frozenset({"person"})
# Control characters break json.loads; pages emit them raw inside strings.
_CONTROL = re.compile(r"[\x00-\x1f]")


@dataclass(frozen=True, slots=True)
class JsonLdAuthor:
    name: str
    is_person: bool  # typed Person, or untyped (a bare string); False for organisations


@dataclass(frozen=True, slots=True)
class JsonLdFacts:
    headline: str | None = None
    description: str | None = None
    authors: tuple[JsonLdAuthor, ...] = ()
    published: str | None = None
    publisher: str | None = None
    section: str | None = None
    keywords: tuple[str, ...] = ()
    language: str | None = None
    url: str | None = None


def read_json_ld(index: PageIndex) -> JsonLdFacts:
    nodes = list(_nodes(index))
    by_id = {node["@id"]: node for node in nodes if isinstance(node.get("@id"), str)}
    article = _pick_article(nodes)
    if article is None:
        return JsonLdFacts(publisher=_site_name(nodes))
    return JsonLdFacts(
        headline=_text(article.get("headline")) or _text(article.get("name")),
        description=_text(article.get("description")),
        authors=tuple(_authors(article.get("author"), by_id)),
        published=_text(article.get("datePublished")) or _text(article.get("dateCreated")),
        publisher=_name(_resolve(article.get("publisher"), by_id)) or _site_name(nodes),
        section=_text(article.get("articleSection")),
        keywords=_keywords(article.get("keywords")),
        language=_text(article.get("inLanguage")),
        url=_text(article.get("url")),
    )


def _nodes(index: PageIndex) -> Iterator[dict[str, Any]]:
    count = 0
    for script in index.tagged("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        for node in _flatten(_load(script.text or "")):
            count += 1
            if count > MAX_NODES:
                return
            yield node


def _load(source: str) -> Any:
    if len(source) > MAX_SCRIPT_CHARS:
        return None
    try:
        return json.loads(_CONTROL.sub(" ", source).strip().rstrip(";"))
    except (ValueError, RecursionError):
        return None


def _flatten(data: Any) -> Iterator[dict[str, Any]]:
    """Top-level nodes: a list's items and a `@graph`'s members, one level deep each."""
    if isinstance(data, list):
        for item in data:
            yield from _flatten(item)
    elif isinstance(data, dict):
        graph = data.get("@graph")
        if isinstance(graph, list):
            yield from (node for node in graph if isinstance(node, dict))
        else:
            yield data


def _types(node: Any) -> set[str]:
    if not isinstance(node, dict):
        return set()
    kind = node.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {k.lower().removeprefix("schema:") for k in kinds if isinstance(k, str)}


def _pick_article(nodes: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The first article node; a web page node only when it states article facts itself."""
    for node in nodes:
        if _types(node) & _ARTICLE_TYPES:
            return node
    for node in nodes:
        if _types(node) & _PAGE_TYPES and ("datePublished" in node or "author" in node):
            return node
    return None


def _resolve(value: Any, by_id: dict[str, dict[str, Any]]) -> Any:
    if isinstance(value, list):
        return [_resolve(item, by_id) for item in value[:20]]
    if isinstance(value, dict) and set(value) <= {"@id", "@type"}:
        return by_id.get(str(value.get("@id")), value)
    return value


def _authors(value: Any, by_id: dict[str, dict[str, Any]]) -> Iterator[JsonLdAuthor]:
    resolved = _resolve(value, by_id)
    for item in resolved if isinstance(resolved, list) else [resolved]:
        if isinstance(item, str) and (name := _text(item)):
            yield JsonLdAuthor(name, is_person=True)
        elif (name := _name(item)) is not None:
            types = _types(item)
            yield JsonLdAuthor(name, is_person=not types or bool(types & _PERSON_TYPES))


def _site_name(nodes: list[dict[str, Any]]) -> str | None:
    for node in nodes:
        if _types(node) & {"website", "newsmediaorganization", "organization"}:
            return _name(node)
    return None


def _name(node: Any) -> str | None:
    return _text(node.get("name")) if isinstance(node, dict) else _text(node)


def _text(value: Any) -> str | None:
    if isinstance(value, list) and value:
        value = value[0]
    if not isinstance(value, str):
        return None
    return " ".join(html.unescape(value[:1_000]).split()) or None


def _keywords(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(item for item in value[:100] if isinstance(item, str))
    return ()
