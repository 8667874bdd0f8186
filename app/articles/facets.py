"""Counts for a filter set, so a frontend draws its whole filter sidebar from one call."""

from typing import Any

from sqlalchemy import ColumnElement, Select, func, literal_column, select

from app.db.models import Article, ArticleAuthor, ArticleTag, Author, Outlet, Tag, Taxonomy
from app.db.types import JSON, Executor, dialect_name

FACET_SIZE = 50


def bucket(db: Executor, interval: str, column: Any = Article.published_at) -> ColumnElement[str]:
    """The bucket label of a publication time: YYYY-MM-DD (day, and the Monday of a week) or
    YYYY-MM."""
    if dialect_name(db) == "postgresql":
        if interval == "week":
            return func.to_char(func.date_trunc("week", column), "YYYY-MM-DD")
        return func.to_char(column, "YYYY-MM" if interval == "month" else "YYYY-MM-DD")
    if interval == "week":
        # SQLite weeks start on Monday too: step back to it with the weekday number (0 = Sunday).
        return func.date(column, literal_column("'-6 days'"), literal_column("'weekday 1'"))
    return func.strftime("%Y-%m" if interval == "month" else "%Y-%m-%d", column)


def facet_counts(
    db: Executor, counted: Select[*tuple[Any, ...]], names: list[str]
) -> dict[str, list[JSON]]:
    """Counts over the articles `counted` selects (id, published_at, outlet_id). Outlets and
    months are counted from those rows (a tag's own index holds both); tags and authors are
    grouped on their link table first and named after: the planner walks from the matching
    articles, never from every tag."""
    results: dict[str, list[JSON]] = {}
    rows = counted.subquery()
    # Ids alone for the link tables: the other columns may cost a read of each article.
    filtered = counted.with_only_columns(counted.selected_columns.id)
    taxonomies = [name for name in names if name not in ("outlet", "author", "month")]
    if taxonomies:
        results.update(_taxonomy_counts(db, filtered, taxonomies))
    if "outlet" in names:
        counts = (
            select(rows.c.outlet_id.label("id"), func.count().label("count"))
            .group_by(rows.c.outlet_id)
            .subquery()
        )
        results["outlet"] = _named(db, Outlet, counts)
    if "author" in names:
        counts = (
            select(ArticleAuthor.author_id.label("id"), func.count().label("count"))
            .where(ArticleAuthor.article_id.in_(filtered))
            .group_by(ArticleAuthor.author_id)
            .subquery()
        )
        results["author"] = _named(db, Author, counts)
    if "month" in names:
        month = bucket(db, "month", rows.c.published_at)
        months = db.execute(select(month, func.count()).group_by(month).order_by(month.desc()))
        results["month"] = [{"slug": m, "name": m, "count": n} for m, n in months]
    return {name: results.get(name, []) for name in names}


def _named(db: Executor, model: Any, counts: Any) -> list[JSON]:
    rows = db.execute(
        select(model.slug, model.name, counts.c.count)
        .join(counts, counts.c.id == model.id)
        .order_by(counts.c.count.desc(), model.slug)
        .limit(FACET_SIZE)
    )
    return [{"slug": slug, "name": name, "count": count} for slug, name, count in rows]


def _taxonomy_counts(
    db: Executor, filtered: Select[Any], taxonomies: list[str]
) -> dict[str, list[JSON]]:
    counts = (
        select(ArticleTag.tag_id.label("id"), func.count().label("count"))
        .where(ArticleTag.article_id.in_(filtered))
        .group_by(ArticleTag.tag_id)
        .subquery()
    )
    rows = db.execute(
        select(Taxonomy.slug, Tag.slug, Tag.name, counts.c.count)
        .join(counts, counts.c.id == Tag.id)
        .join(Taxonomy, Taxonomy.id == Tag.taxonomy_id)
        .where(Taxonomy.slug.in_(taxonomies))
        .order_by(counts.c.count.desc(), Tag.slug)
    )
    found: dict[str, list[JSON]] = {name: [] for name in taxonomies}
    for taxonomy, slug, name, count in rows:
        if len(found[taxonomy]) < FACET_SIZE:
            found[taxonomy].append({"slug": slug, "name": name, "count": count})
    return found
