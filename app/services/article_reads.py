"""Reading articles as plain rows: the hot path builds no ORM objects."""

from collections import defaultdict
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, bindparam, func, select
from sqlalchemy.orm import Session

from app.models import Article, ArticleAuthor, ArticleTag, Author, Outlet, Tag, Taxonomy

# Reads run on a plain connection in a worker thread, or on a write session's connection.
Executor = Connection | Session
JSON = dict[str, Any]

ARTICLE_FIELDS = (
    "id",
    "url",
    "title",
    "subtitle",
    "body",
    "published_at",
    "outlet",
    "authors",
    "tags",
    "syndicated_from",
    "created_at",
    "updated_at",
)
# A list item may also carry these; `body` is left out of lists unless asked for.
LIST_ONLY_FIELDS = ("excerpt", "snippet", "score")
EXCERPT_CHARS = 280

_COLUMNS = (
    Article.id,
    Article.url,
    Article.title,
    Article.subtitle,
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


def article_columns(fields: Collection[str]) -> list[Any]:
    columns: list[Any] = list(_COLUMNS)
    if "body" in fields:
        columns.append(Article.body)
    if "excerpt" in fields:
        columns.append(_BODY_START)
    return columns


def select_articles(fields: Collection[str]) -> Any:
    return select(*article_columns(fields)).outerjoin(Outlet, Outlet.id == Article.outlet_id)


# Hot statements are built once: building a statement costs more than running it on SQLite.
_ONE_ARTICLE = select_articles(ARTICLE_FIELDS).where(Article.id == bindparam("article_id"))
_AUTHORS_OF = (
    select(ArticleAuthor.article_id, Author.id, Author.name, Author.slug, Author.bio)
    .join(Author, Author.id == ArticleAuthor.author_id)
    .where(ArticleAuthor.article_id.in_(bindparam("ids", expanding=True)))
    .order_by(ArticleAuthor.article_id, ArticleAuthor.position)
)
_TAGS_OF = (
    select(ArticleTag.article_id, Taxonomy.name, Taxonomy.slug, Tag.name, Tag.slug)
    .join(Tag, Tag.id == ArticleTag.tag_id)
    .join(Taxonomy, Taxonomy.id == Tag.taxonomy_id)
    .where(ArticleTag.article_id.in_(bindparam("ids", expanding=True)))
    .order_by(ArticleTag.article_id, ArticleTag.position)
)


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


def get_article(db: Executor, article_id: int) -> JSON | None:
    rows = (db.execute(_ONE_ARTICLE, {"article_id": article_id})).all()
    articles = assemble(db, rows, ARTICLE_FIELDS)
    return articles[0] if articles else None


def _authors(db: Executor, ids: list[int]) -> defaultdict[int, list[JSON]]:
    authors: defaultdict[int, list[JSON]] = defaultdict(list)
    rows = db.execute(_AUTHORS_OF, {"ids": ids})
    for article_id, author_id, name, slug, bio in rows:
        authors[article_id].append({"id": author_id, "name": name, "slug": slug, "bio": bio})
    return authors


def _tags(db: Executor, ids: list[int]) -> defaultdict[int, list[JSON]]:
    tags: defaultdict[int, list[JSON]] = defaultdict(list)
    rows = db.execute(_TAGS_OF, {"ids": ids})
    for article_id, taxonomy, taxonomy_slug, name, slug in rows:
        tags[article_id].append(
            {"taxonomy": taxonomy, "taxonomy_slug": taxonomy_slug, "name": name, "slug": slug}
        )
    return tags


def assemble(
    db: Executor, rows: Sequence[Row[*tuple[Any, ...]]], fields: Collection[str]
) -> list[JSON]:
    """Article JSON with the asked-for fields: at most two more queries per page, none per row."""
    if not rows:
        return []
    ids = [row.id for row in rows]
    authors = _authors(db, ids) if "authors" in fields else None
    tags = _tags(db, ids) if "tags" in fields else None
    articles = []
    for row in rows:
        article: JSON = {
            "id": row.id,
            "url": row.url,
            "title": row.title,
            "subtitle": row.subtitle,
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
        if "body" in fields:
            article["body"] = row.body
        if "excerpt" in fields:
            article["excerpt"] = excerpt(row.body_start)
        if authors is not None:
            article["authors"] = authors[row.id]
        if tags is not None:
            article["tags"] = tags[row.id]
        articles.append({key: value for key, value in article.items() if key in fields})
    return articles
