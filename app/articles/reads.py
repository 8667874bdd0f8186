"""Reading articles as plain rows: the hot path builds no ORM objects."""

from collections.abc import Collection, Sequence
from functools import lru_cache
from typing import Any

import orjson
from sqlalchemy import Row, String, bindparam, case, cast, select

from app.db.models import Article, ArticleAuthor, ArticleTag, Author, Outlet, Tag
from app.db.sql_json import (
    iso_day,
    iso_instant,
    json_array,
    json_array_of_texts,
    json_object,
    named,
)
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
# A list item may also carry these; `body` is left out of lists unless asked for.
LIST_ONLY_FIELDS = ("excerpt", "snippet", "score")

# An item's keys, in the order responses write them, and how the database writes each one.
_ITEM_VALUES: dict[str, Any] = {
    "id": Article.id,
    "url": Article.url,
    "title": Article.title,
    "subtitle": Article.subtitle,
    "language": Article.language,
    "credit": Article.credit,
    "published_at": case(
        (Article.published_time_known, iso_instant(Article.published_at)),
        else_=iso_day(Article.published_at),
    ),
    "outlet": case(
        (
            Outlet.id.is_not(None),
            json_object(id=Outlet.id, name=Outlet.name, slug=Outlet.slug, domain=Outlet.domain),
        ),
    ),
    "syndicated_from": Article.syndicated_from_id,
    "created_at": iso_instant(Article.created_at),
    "updated_at": iso_instant(Article.updated_at),
    "body": Article.body,
    # Stored with the article (migration 0015): a list never reads the bodies.
    "excerpt": Article.excerpt,
}


@lru_cache(maxsize=64)
def _item_json(keys: tuple[str, ...]) -> Any:
    """The item as JSON text, built by the database: a page is sent without a Python object
    per item (building them was a quarter of a topic page's time)."""
    item = json_object(**{key: _ITEM_VALUES[key] for key in keys})
    return named(f"item_json:{','.join(keys)}", cast(item, String)).label("item_json")


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
    # Each tag's object is stored (with its taxonomy's name and slug) by triggers: migration 0014.
    json_array_of_texts(
        select(Tag.json_text, ArticleTag.position)
        .join(Tag, Tag.id == ArticleTag.tag_id)
        .where(ArticleTag.article_id == Article.id)
        .correlate(Article)
    ).scalar_subquery(),
)


def article_columns(fields: Collection[str]) -> list[Any]:
    """`item_json` (the asked-for fields the database writes), `id`, and the parts spliced in
    by `assemble`."""
    wanted = frozenset(fields)
    columns: list[Any] = [_item_json(tuple(k for k in _ITEM_VALUES if k in wanted)), Article.id]
    if "authors" in wanted:
        columns.append(_AUTHORS.label("authors_json"))
    if "tags" in wanted:
        columns.append(_TAGS.label("tags_json"))
    return columns


def select_articles(fields: Collection[str]) -> Any:
    return select(*article_columns(fields)).outerjoin(Outlet, Outlet.id == Article.outlet_id)


# Hot statements are built once: building a statement costs more than running it on SQLite.
_ONE_ARTICLE = select_articles(ARTICLE_FIELDS).where(Article.id == bindparam("article_id"))


def get_article(db: Executor, article_id: int, *, for_response: bool = False) -> Any:
    """The article as a dict, or as JSON text to send (`for_response`); None if there is none."""
    rows = (db.execute(_ONE_ARTICLE, {"article_id": article_id})).all()
    articles = assemble(rows, ARTICLE_FIELDS, for_response=for_response)
    return articles[0] if articles else None


def assemble(
    rows: Sequence[Row[*tuple[Any, ...]]],
    fields: Collection[str],
    *,
    for_response: bool = False,
    extras: Sequence[JSON] = (),
) -> list[Any]:
    """Article JSON with the asked-for fields, from rows of `select_articles(fields)`: the
    database's text with the authors, tags and `extras` (one per row: snippets, scores)
    spliced in. For a response each stays text (`orjson.Fragment`, which orjson writes
    out as it is) instead of being parsed only to be serialised again; otherwise a dict."""
    wanted = frozenset(fields)
    authors, tags = "authors" in wanted, "tags" in wanted
    articles: list[Any] = []
    for index, row in enumerate(rows):
        written: str = row.item_json
        parts = [written[1:-1]] if len(written) > 2 else []
        if authors:
            parts.append('"authors":' + row.authors_json)
        if tags:
            parts.append('"tags":' + row.tags_json)
        if extras and extras[index]:
            parts.append(orjson.dumps(extras[index]).decode()[1:-1])
        text = "{" + ",".join(parts) + "}"
        articles.append(orjson.Fragment(text) if for_response else orjson.loads(text))
    return articles
