"""Reading articles as plain rows: the hot path builds no ORM objects."""

import base64
import binascii
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Row, func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from app.errors import InvalidCursor
from app.models import Article, ArticleAuthor, ArticleTag, Author, Outlet, Tag, Taxonomy

Executor = AsyncConnection | AsyncSession
JSON = dict[str, Any]

_ARTICLE_COLUMNS = (
    Article.id,
    Article.url,
    Article.title,
    Article.subtitle,
    Article.body,
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


# Statements are immutable: each query derives from this one.
_ARTICLES = select(*_ARTICLE_COLUMNS).outerjoin(Outlet, Outlet.id == Article.outlet_id)


def _instant(value: datetime) -> str:
    return value.isoformat() + "Z"


def published_text(value: datetime, time_known: bool) -> str:
    return _instant(value) if time_known else value.date().isoformat()


async def get_article(db: Executor, article_id: int) -> JSON | None:
    rows = (await db.execute(_ARTICLES.where(Article.id == article_id))).all()
    articles = await _assemble(db, rows)
    return articles[0] if articles else None


async def list_articles(db: Executor, *, limit: int, cursor: str | None) -> JSON:
    """Newest first, keyset-paged on (published_at, id) so pages never skip or repeat rows."""
    query = _ARTICLES.order_by(Article.published_at.desc(), Article.id.desc())
    if cursor is not None:
        published_at, article_id = decode_cursor(cursor)
        query = query.where(
            tuple_(Article.published_at, Article.id) < tuple_(published_at, article_id)
        )
    rows = (await db.execute(query.limit(limit + 1))).all()
    page = rows[:limit]
    next_cursor = encode_cursor(page[-1].published_at, page[-1].id) if len(rows) > limit else None
    total = (await db.execute(select(func.count()).select_from(Article))).scalar_one()
    return {"items": await _assemble(db, page), "next_cursor": next_cursor, "total": total}


def encode_cursor(published_at: datetime, article_id: int) -> str:
    raw = orjson.dumps([published_at.isoformat(), article_id])
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        published_at, article_id = orjson.loads(raw)
        if not isinstance(article_id, int) or isinstance(article_id, bool):
            raise TypeError
        if not -(2**63) <= article_id < 2**63:
            raise ValueError
        return datetime.fromisoformat(published_at), article_id
    except (ValueError, TypeError, binascii.Error, orjson.JSONDecodeError):
        raise InvalidCursor(
            "the cursor is not one this API issued; start again without it"
        ) from None


async def _assemble(db: Executor, rows: Sequence[Row[*tuple[Any, ...]]]) -> list[JSON]:
    """Article JSON for a page of rows: two more queries for the whole page, none per row."""
    if not rows:
        return []
    ids = [row.id for row in rows]
    authors: defaultdict[int, list[JSON]] = defaultdict(list)
    author_rows = await db.execute(
        select(ArticleAuthor.article_id, Author.id, Author.name, Author.slug, Author.bio)
        .join(Author, Author.id == ArticleAuthor.author_id)
        .where(ArticleAuthor.article_id.in_(ids))
        .order_by(ArticleAuthor.article_id, ArticleAuthor.position)
    )
    for article_id, author_id, name, slug, bio in author_rows:
        authors[article_id].append({"id": author_id, "name": name, "slug": slug, "bio": bio})
    tags: defaultdict[int, list[JSON]] = defaultdict(list)
    tag_rows = await db.execute(
        select(ArticleTag.article_id, Taxonomy.name, Taxonomy.slug, Tag.name, Tag.slug)
        .join(Tag, Tag.id == ArticleTag.tag_id)
        .join(Taxonomy, Taxonomy.id == Tag.taxonomy_id)
        .where(ArticleTag.article_id.in_(ids))
        .order_by(ArticleTag.article_id, ArticleTag.position)
    )
    for article_id, taxonomy, taxonomy_slug, name, slug in tag_rows:
        tags[article_id].append(
            {"taxonomy": taxonomy, "taxonomy_slug": taxonomy_slug, "name": name, "slug": slug}
        )
    return [
        {
            "id": row.id,
            "url": row.url,
            "title": row.title,
            "subtitle": row.subtitle,
            "body": row.body,
            "published_at": published_text(row.published_at, row.published_time_known),
            "outlet": None
            if row.outlet_id is None
            else {
                "id": row.outlet_id,
                "name": row.outlet_name,
                "slug": row.outlet_slug,
                "domain": row.outlet_domain,
            },
            "authors": authors[row.id],
            "tags": tags[row.id],
            "syndicated_from": row.syndicated_from_id,
            "created_at": _instant(row.created_at),
            "updated_at": _instant(row.updated_at),
        }
        for row in rows
    ]
