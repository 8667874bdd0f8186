"""Counts for a filter set, so a frontend draws its whole filter sidebar from one call."""

from typing import Any

from sqlalchemy import ColumnElement, Select, func, literal_column, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from app.models import Article, ArticleAuthor, ArticleTag, Author, Outlet, Tag, Taxonomy

Executor = AsyncConnection | AsyncSession
FACET_SIZE = 50


def dialect_name(db: Executor) -> str:
    return db.get_bind().dialect.name if isinstance(db, AsyncSession) else db.dialect.name


def bucket(db: Executor, interval: str) -> ColumnElement[str]:
    """The bucket label of `published_at`: YYYY-MM-DD (day, and the Monday of a week) or YYYY-MM."""
    column = Article.published_at
    if dialect_name(db) == "postgresql":
        if interval == "week":
            return func.to_char(func.date_trunc("week", column), "YYYY-MM-DD")
        return func.to_char(column, "YYYY-MM" if interval == "month" else "YYYY-MM-DD")
    if interval == "week":
        # SQLite weeks start on Monday too: step back to it with the weekday number (0 = Sunday).
        return func.date(column, literal_column("'-6 days'"), literal_column("'weekday 1'"))
    return func.strftime("%Y-%m" if interval == "month" else "%Y-%m-%d", column)


async def facet_counts(
    db: Executor, where: list[ColumnElement[bool]], names: list[str]
) -> dict[str, list[dict[str, Any]]]:
    filtered = select(Article.id).where(*where)
    results: dict[str, list[dict[str, Any]]] = {}
    for name in names:
        query = _facet_query(db, name, filtered)
        rows = (await db.execute(query)).all()
        results[name] = [
            {"slug": slug, "name": label, "count": count} for slug, label, count in rows
        ]
    return results


def _facet_query(db: Executor, name: str, filtered: Select[int]) -> Select[str, str, int]:
    count = func.count().label("count")
    if name == "month":
        month = bucket(db, "month")
        return (
            select(month, month, count)
            .where(Article.id.in_(filtered))
            .group_by(month)
            .order_by(month.desc())
        )
    if name == "outlet":
        query = (
            select(Outlet.slug, Outlet.name, count)
            .join(Article, Article.outlet_id == Outlet.id)
            .where(Article.id.in_(filtered))
            .group_by(Outlet.id, Outlet.slug, Outlet.name)
        )
        return query.order_by(count.desc(), Outlet.slug).limit(FACET_SIZE)
    if name == "author":
        query = (
            select(Author.slug, Author.name, count)
            .join(ArticleAuthor, ArticleAuthor.author_id == Author.id)
            .where(ArticleAuthor.article_id.in_(filtered))
            .group_by(Author.id, Author.slug, Author.name)
        )
        return query.order_by(count.desc(), Author.slug).limit(FACET_SIZE)
    query = (
        select(Tag.slug, Tag.name, count)
        .join(ArticleTag, ArticleTag.tag_id == Tag.id)
        .join(Taxonomy, Taxonomy.id == Tag.taxonomy_id)
        .where(Taxonomy.slug == name, ArticleTag.article_id.in_(filtered))
        .group_by(Tag.id, Tag.slug, Tag.name)
    )
    return query.order_by(count.desc(), Tag.slug).limit(FACET_SIZE)
