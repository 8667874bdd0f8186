"""Reading articles as plain rows: the hot path builds no ORM objects."""

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Row, bindparam, func, select

from app.db.models import Article, ArticleAuthor, ArticleTag, Author, Outlet, Tag, Taxonomy
from app.db.sql_json import json_array, named
from app.db.types import JSON, Executor

ARTICLE_FIELDS = (
    "id",
    "url",
    "title",
    "subtitle",
    "body",
    "language",
    "credit",
    "published_at",
    "outlet",
    "authors",
    "tags",
    "syndicated_from",
    "created_at",
    "updated_at",
)
# What every row of `select_articles` gives, whatever the fields asked for.
_BASE_FIELDS = frozenset(ARTICLE_FIELDS) - {"body", "authors", "tags"}
# A list item may also carry these; `body` is left out of lists unless asked for.
LIST_ONLY_FIELDS = ("excerpt", "snippet", "score")
EXCERPT_CHARS = 280

_COLUMNS = (
    Article.id,
    Article.url,
    Article.title,
    Article.subtitle,
    Article.language,
    Article.credit,
    Article.published_at,
    Article.published_time_known,
    Article.created_at,
    Article.updated_at,
    Article.syndicated_from_id,
    Outlet.id.label("outlet_id"),
    Outlet.name.label("outlet_name"),
    Outlet.slug.label("outlet_slug"),
    Outlet.domain.label("outlet_domain"),
)
# Enough of the body for an excerpt, without moving whole bodies for a list.
_BODY_START = func.substr(Article.body, 1, EXCERPT_CHARS * 2).label("body_start")


_AUTHORS = named(
    "authors_json",
    json_array(
        select(Author.id, Author.name, Author.slug, Author.bio, ArticleAuthor.position)
        .join(Author, Author.id == ArticleAuthor.author_id)
        .where(ArticleAuthor.article_id == Article.id)
        .correlate(Article)
    ).scalar_subquery(),
)
_TAGS = named(
    "tags_json",
    json_array(
        select(
            Taxonomy.name.label("taxonomy"),
            Taxonomy.slug.label("taxonomy_slug"),
            Tag.name,
            Tag.slug,
            ArticleTag.position,
        )
        .join(Tag, Tag.id == ArticleTag.tag_id)
        .join(Taxonomy, Taxonomy.id == Tag.taxonomy_id)
        .where(ArticleTag.article_id == Article.id)
        .correlate(Article)
    ).scalar_subquery(),
)


def article_columns(fields: Collection[str]) -> list[Any]:
    columns: list[Any] = list(_COLUMNS)
    if "body" in fields:
        columns.append(Article.body)
    if "excerpt" in fields:
        columns.append(_BODY_START)
    if "authors" in fields:
        columns.append(_AUTHORS.label("authors_json"))
    if "tags" in fields:
        columns.append(_TAGS.label("tags_json"))
    return columns


def select_articles(fields: Collection[str]) -> Any:
    return select(*article_columns(fields)).outerjoin(Outlet, Outlet.id == Article.outlet_id)


# Hot statements are built once: building a statement costs more than running it on SQLite.
_ONE_ARTICLE = select_articles(ARTICLE_FIELDS).where(Article.id == bindparam("article_id"))


def _instant(value: datetime) -> str:
    return value.isoformat() + "Z"


def published_text(value: datetime, time_known: bool) -> str:
    return _instant(value) if time_known else value.date().isoformat()


def excerpt(text: str) -> str:
    """The opening of the body, cut at a word, first paragraph only."""
    first = text.split("\n\n", 1)[0]
    if len(first) <= EXCERPT_CHARS and len(first) < len(text):
        return first
    if len(first) <= EXCERPT_CHARS:
        return first
    cut = first[:EXCERPT_CHARS].rsplit(" ", 1)[0]
    return cut.rstrip(",;:—–- ") + "…"


def get_article(db: Executor, article_id: int, *, for_response: bool = False) -> JSON | None:
    rows = (db.execute(_ONE_ARTICLE, {"article_id": article_id})).all()
    articles = assemble(rows, ARTICLE_FIELDS, for_response=for_response)
    return articles[0] if articles else None


def assemble(
    rows: Sequence[Row[*tuple[Any, ...]]], fields: Collection[str], *, for_response: bool = False
) -> list[JSON]:
    """Article JSON with the asked-for fields, from rows of `select_articles(fields)`. For a
    response, authors and tags stay the JSON text the database built (`orjson.Fragment`, which
    orjson writes out as it is) instead of being parsed only to be serialised again."""
    nested: Any = orjson.Fragment if for_response else orjson.loads
    wanted = frozenset(fields)
    # The usual shapes keep every base field: then there is nothing to filter out.
    trimmed = not wanted.issuperset(_BASE_FIELDS)
    body, excerpted = "body" in wanted, "excerpt" in wanted
    authors, tags = "authors" in wanted, "tags" in wanted
    articles = []
    for row in rows:
        article: JSON = {
            "id": row.id,
            "url": row.url,
            "title": row.title,
            "subtitle": row.subtitle,
            "language": row.language,
            "credit": row.credit,
            "published_at": published_text(row.published_at, row.published_time_known),
            "outlet": None
            if row.outlet_id is None
            else {
                "id": row.outlet_id,
                "name": row.outlet_name,
                "slug": row.outlet_slug,
                "domain": row.outlet_domain,
            },
            "syndicated_from": row.syndicated_from_id,
            "created_at": _instant(row.created_at),
            "updated_at": _instant(row.updated_at),
        }
        if body:
            article["body"] = row.body
        if excerpted:
            article["excerpt"] = excerpt(row.body_start)
        if authors:
            article["authors"] = nested(row.authors_json)
        if tags:
            article["tags"] = nested(row.tags_json)
        articles.append({k: v for k, v in article.items() if k in wanted} if trimmed else article)
    return articles
