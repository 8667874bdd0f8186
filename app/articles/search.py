"""Full-text search on either engine: FTS5 on SQLite, tsvector on PostgreSQL."""

import html
from math import isqrt
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Double,
    cast,
    column,
    false,
    func,
    literal_column,
    select,
    table,
    text,
)

from app.articles.search_syntax import parse_web_query, to_fts5
from app.db.models import Article
from app.db.types import Executor, dialect_name

# Sentinels the engines wrap hits in; the text between them is escaped, then marked up.
_START, _STOP = "\x02", "\x03"
_POSTGRES_QUERY = "websearch_to_tsquery('english', :q)"


# The FTS5 table (SQLite) and the tsvector column (PostgreSQL) come from migration 0003, so
# the models don't describe them; these stand-ins let Core build queries on them.
_FTS = table("articles_fts", column("rowid"), column("articles_fts"))
# The column exists only on PostgreSQL (migration 0003), so the models don't describe it.
_SEARCH_VECTOR: ColumnElement[Any] = literal_column("articles.search_vector")


def _web_query(q: str) -> ColumnElement[Any]:
    return func.websearch_to_tsquery("english", q)


def matches(db: Executor, q: str, *, walking: bool = False) -> ColumnElement[bool]:
    """Articles matching `q`. Text with nothing to search for matches nothing (never an error).

    On SQLite the hits are fetched by id and sorted, unless `walking`: then a listing walks
    the articles in date order and tests each against the hits (see `walk_by_date`)."""
    if dialect_name(db) == "postgresql":
        return _SEARCH_VECTOR.bool_op("@@")(_web_query(q))
    expression = to_fts5(parse_web_query(q))
    if expression is None:
        return false()
    # `id + 0` is not the key, so SQLite cannot fetch by it and walks the date index instead.
    article = Article.id + 0 if walking else Article.id
    return article.in_(select(_FTS.c.rowid).where(_FTS.c.articles_fts.bool_op("MATCH")(expression)))


def walk_by_date(db: Executor, q: str, page_rows: int) -> bool:
    """Whether a date-ordered page of hits is cheaper found by walking the articles in date
    order than by fetching every hit and sorting: with h hits among n articles, the walk meets
    about page_rows * n / h articles, the fetch h, so the walk wins past h = sqrt(page_rows * n).
    PostgreSQL's planner weighs this itself, from its statistics."""
    expression = to_fts5(parse_web_query(q))
    if dialect_name(db) == "postgresql" or expression is None:
        return False
    articles = db.scalar(select(func.max(Article.id))) or 0
    breakeven = isqrt(page_rows * articles)
    hits = select(_FTS.c.rowid).where(_FTS.c.articles_fts.bool_op("MATCH")(expression))
    counted = db.scalar(select(func.count()).select_from(hits.limit(breakeven + 1).subquery()))
    return (counted or 0) > breakeven


def rank(db: Executor, q: str) -> ColumnElement[Any]:
    """Relevance, higher is better (title hits weigh most, then subtitle, then body)."""
    if dialect_name(db) == "postgresql":
        # float8, so that the value a cursor carries compares equal to itself (a float4 is
        # printed rounded, and the rounded value no longer matches its own row).
        return cast(func.ts_rank_cd(_SEARCH_VECTOR, _web_query(q)), Double)
    expression = to_fts5(parse_web_query(q)) or '""'
    return (
        select(-func.bm25(_FTS.c.articles_fts, 10.0, 5.0, 1.0))
        .where(_FTS.c.articles_fts.bool_op("MATCH")(expression), _FTS.c.rowid == Article.id)
        .scalar_subquery()
    )


def snippets(db: Executor, q: str, ids: list[int]) -> dict[int, str]:
    """A highlighted passage per article: HTML-escaped text with hits in <mark>."""
    if not ids:
        return {}
    if dialect_name(db) == "postgresql":
        options = f"StartSel={_START}, StopSel={_STOP}, MaxFragments=2, MaxWords=30, MinWords=12"
        rows = db.execute(
            text(
                "SELECT id, ts_headline('english', left(body, 100000),"
                f" {_POSTGRES_QUERY}, :options) FROM articles WHERE id = ANY(:ids)"
            ).bindparams(q=q, options=options, ids=ids)
        )
    else:
        expression = to_fts5(parse_web_query(q))
        if expression is None:
            return {}
        rows = db.execute(
            text(
                "SELECT rowid, snippet(articles_fts, 2, :start, :stop, '…', 24) FROM articles_fts"
                " WHERE articles_fts MATCH :fts AND rowid IN ("
                + ", ".join(str(int(i)) for i in ids)
                + ")"
            ).bindparams(start=_START, stop=_STOP, fts=expression)
        )
    return {row[0]: _marked(row[1] or "") for row in rows}


def _marked(passage: str) -> str:
    escaped = html.escape(passage, quote=False)
    return escaped.replace(_START, "<mark>").replace(_STOP, "</mark>")
