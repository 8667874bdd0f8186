"""Counts for a filter set, so a frontend draws its whole filter sidebar from one call."""

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, String, func, literal_column, select

from app.articles.matches import Matches
from app.db.models import Article, ArticleAuthor, ArticleTag, Author, Outlet, Tag, Taxonomy
from app.db.types import JSON, Executor, dialect_name

FACET_SIZE = 50


def bucket(dialect: str, interval: str, column: Any = Article.published_at) -> ColumnElement[str]:
    """The bucket label of a publication time on `dialect`'s engine: YYYY-MM-DD (day, and the
    Monday of a week) or YYYY-MM."""
    if dialect == "postgresql":
        if interval == "week":
            return func.to_char(func.date_trunc("week", column), "YYYY-MM-DD")
        return func.to_char(column, "YYYY-MM" if interval == "month" else "YYYY-MM-DD")
    if interval == "week":
        # SQLite weeks start on Monday too: step back to it with the weekday number (0 = Sunday).
        return func.date(column, literal_column("'-6 days'"), literal_column("'weekday 1'"))
    # SQLite keeps dates and times as ISO text, which starts with the day and the month: its
    # opening is their label (strftime parsed each of a timeline's few thousand days: 1.6–1.9
    # → 1.2 ms for a tag's months at 100k).
    return func.substr(column, 1, 7 if interval == "month" else 10, type_=String)


def facet_counts(
    db: Executor, counted: Matches, names: list[str]
) -> tuple[dict[str, list[JSON]], int]:
    """Counts over the articles `counted` selects (id, published_at, outlet_id), and how many
    those are. The counting statements built from a statement built once are kept too:
    building them cost more than running them."""
    build = _statements if counted.built_once else _statements.__wrapped__
    statements = build(counted.statement, tuple(names), dialect_name(db))
    results: dict[str, list[JSON]] = {}
    for name, statement in statements.items():
        if name == "over":
            continue
        rows = db.execute(statement, counted.parameters).all()
        if name == "taxonomies":
            results.update(_by_taxonomy(rows, [n for n in names if n not in _NOT_TAXONOMIES]))
        else:
            results[name] = [{"slug": slug, "name": label, "count": n} for slug, label, n in rows]
    over = int(db.execute(statements["over"], counted.parameters).scalar_one())
    return {name: results.get(name, []) for name in names}, over


_NOT_TAXONOMIES = ("outlet", "author", "month")


@lru_cache(maxsize=128)
def _statements(
    counted: Select[*tuple[Any, ...]], names: tuple[str, ...], dialect: str
) -> dict[str, Select[*tuple[Any, ...]]]:
    """The counting statements. Outlets and months are counted from the rows `counted`
    selects (a tag's own index holds both); tags and authors are grouped on their link table
    first and named after: the planner walks from the matching articles, never from every
    tag."""
    statements: dict[str, Select[*tuple[Any, ...]]] = {}
    rows = counted.subquery()
    # Ids alone for the link tables and the total: the other columns may cost a read of each
    # article.
    ids = counted.with_only_columns(counted.selected_columns.id)
    taxonomies = [name for name in names if name not in _NOT_TAXONOMIES]
    if taxonomies:
        statements["taxonomies"] = _taxonomy_counts(ids, taxonomies)
    if "outlet" in names:
        counts = (
            select(rows.c.outlet_id.label("id"), func.count().label("count"))
            .group_by(rows.c.outlet_id)
            .subquery()
        )
        statements["outlet"] = _named(Outlet, counts)
    if "author" in names:
        counts = (
            select(ArticleAuthor.author_id.label("id"), func.count().label("count"))
            .where(ArticleAuthor.article_id.in_(ids))
            .group_by(ArticleAuthor.author_id)
            .subquery()
        )
        statements["author"] = _named(Author, counts)
    if "month" in names:
        month = bucket(dialect, "month", rows.c.published_at)
        statements["month"] = (
            select(month, month, func.count()).group_by(month).order_by(month.desc())
        )
    statements["over"] = select(func.count()).select_from(ids.subquery())
    return statements


def _named(model: Any, counts: Any) -> Select[*tuple[Any, ...]]:
    return (
        select(model.slug, model.name, counts.c.count)
        .join(counts, counts.c.id == model.id)
        .order_by(counts.c.count.desc(), model.slug)
        .limit(FACET_SIZE)
    )


def _taxonomy_counts(
    ids: Select[*tuple[Any, ...]], taxonomies: list[str]
) -> Select[*tuple[Any, ...]]:
    counts = (
        select(ArticleTag.tag_id.label("id"), func.count().label("count"))
        .where(ArticleTag.article_id.in_(ids))
        .group_by(ArticleTag.tag_id)
        .subquery()
    )
    return (
        select(Taxonomy.slug, Tag.slug, Tag.name, counts.c.count)
        .join(counts, counts.c.id == Tag.id)
        .join(Taxonomy, Taxonomy.id == Tag.taxonomy_id)
        .where(Taxonomy.slug.in_(taxonomies))
        .order_by(counts.c.count.desc(), Tag.slug)
    )


def _by_taxonomy(
    rows: Sequence[Row[*tuple[Any, ...]]], taxonomies: list[str]
) -> dict[str, list[JSON]]:
    found: dict[str, list[JSON]] = {name: [] for name in taxonomies}
    for taxonomy, slug, name, count in rows:
        if len(found[taxonomy]) < FACET_SIZE:
            found[taxonomy].append({"slug": slug, "name": name, "count": count})
    return found
