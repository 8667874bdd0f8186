"""Browsing the vocabulary: taxonomies, tags, authors and outlets with article counts."""

import base64
import binascii
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select

from app.db.models import (
    Article,
    ArticleAuthor,
    ArticleTag,
    Author,
    Outlet,
    Tag,
    TagAlias,
    Taxonomy,
)
from app.db.types import JSON, Executor
from app.errors import InvalidCursor, NotFound

_MAX_OFFSET = 2**62


def _encode_offset(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o:{offset}".encode()).decode().rstrip("=")


def _decode_offset(cursor: str | None) -> int:
    if cursor is None:
        return 0
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        if not raw.startswith("o:") or not raw[2:].isdigit():
            raise ValueError
        offset = int(raw[2:])
        if offset > _MAX_OFFSET:  # a forged one: the database takes 64-bit offsets only
            raise ValueError
        return offset
    except (ValueError, UnicodeDecodeError, binascii.Error):
        raise InvalidCursor(
            "the cursor is not one this API issued; start again without it"
        ) from None


def page(
    db: Executor, query: Select[Any], *, limit: int, cursor: str | None, total_of: Select[Any]
) -> JSON:
    """A page of a small, slowly changing listing (vocabulary, not articles): offset cursors."""
    offset = _decode_offset(cursor)
    rows = (db.execute(query.offset(offset).limit(limit + 1))).mappings().all()
    total = db.scalar(select(func.count()).select_from(total_of.subquery()))
    return {
        "items": [dict(row) for row in rows[:limit]],
        "next_cursor": _encode_offset(offset + limit) if len(rows) > limit else None,
        "total": int(total or 0),
    }


def _prefixed(query: Select[Any], column: Any, prefix: str | None) -> Select[Any]:
    if not prefix:
        return query
    escaped = prefix.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return query.where(func.lower(column).like(f"{escaped}%", escape="\\"))


def _sorted(query: Select[Any], sort: str, count: Any, name: Any, slug: Any) -> Select[Any]:
    if sort == "count":
        return query.order_by(count.desc(), slug)
    return query.order_by(func.lower(name), slug)


TAXONOMY_COLUMNS = (
    Taxonomy.id,
    Taxonomy.name,
    Taxonomy.slug,
    Taxonomy.description,
    select(func.count(Tag.id))
    .where(Tag.taxonomy_id == Taxonomy.id)
    .scalar_subquery()
    .label("tag_count"),
)


def list_taxonomies(db: Executor, *, limit: int, cursor: str | None) -> JSON:
    query = select(*TAXONOMY_COLUMNS).order_by(func.lower(Taxonomy.name), Taxonomy.slug)
    return page(db, query, limit=limit, cursor=cursor, total_of=select(Taxonomy.id))


def get_taxonomy(db: Executor, slug: str) -> JSON:
    row = (db.execute(select(*TAXONOMY_COLUMNS).where(Taxonomy.slug == slug))).mappings().first()
    if row is None:
        raise NotFound(f"no taxonomy {slug!r}")
    return dict(row)


def taxonomy_id(db: Executor, slug: str) -> int:
    found = db.scalar(select(Taxonomy.id).where(Taxonomy.slug == slug))
    if found is None:
        raise NotFound(f"no taxonomy {slug!r}")
    return found


def _tag_count() -> Any:
    return (
        select(func.count())
        .where(ArticleTag.tag_id == Tag.id)
        .scalar_subquery()
        .label("article_count")
    )


def list_tags(
    db: Executor, taxonomy: str, *, prefix: str | None, sort: str, limit: int, cursor: str | None
) -> JSON:
    tax_id = taxonomy_id(db, taxonomy)
    count = _tag_count()
    query = _prefixed(
        select(Tag.id, Tag.name, Tag.slug, count).where(Tag.taxonomy_id == tax_id), Tag.name, prefix
    )
    return page(
        db,
        _sorted(query, sort, count, Tag.name, Tag.slug),
        limit=limit,
        cursor=cursor,
        total_of=_prefixed(select(Tag.id).where(Tag.taxonomy_id == tax_id), Tag.name, prefix),
    )


def resolve_tag(db: Executor, taxonomy: str, slug: str) -> int:
    """A tag's id by its slug or by one of its aliases."""
    tax_id = taxonomy_id(db, taxonomy)
    found = db.scalar(select(Tag.id).where(Tag.taxonomy_id == tax_id, Tag.slug == slug))
    if found is None:
        found = db.scalar(
            select(TagAlias.tag_id).where(TagAlias.taxonomy_id == tax_id, TagAlias.slug == slug)
        )
    if found is None:
        raise NotFound(f"no tag {slug!r} in taxonomy {taxonomy!r}")
    return found


def get_tag(db: Executor, taxonomy: str, slug: str) -> JSON:
    return get_tag_by_id(db, resolve_tag(db, taxonomy, slug))


def get_tag_by_id(db: Executor, tag_id: int) -> JSON:
    row = (
        (
            db.execute(
                select(
                    Tag.id,
                    Tag.name,
                    Tag.slug,
                    Tag.parent_id,
                    Taxonomy.name.label("taxonomy"),
                    Taxonomy.slug.label("taxonomy_slug"),
                    _tag_count(),
                )
                .join(Taxonomy, Taxonomy.id == Tag.taxonomy_id)
                .where(Tag.id == tag_id)
            )
        )
        .mappings()
        .one()
    )
    parent = None
    if row["parent_id"] is not None:
        parent_row = (
            (db.execute(select(Tag.name, Tag.slug).where(Tag.id == row["parent_id"])))
            .mappings()
            .one()
        )
        parent = dict(parent_row)
    children = (
        (db.execute(select(Tag.name, Tag.slug).where(Tag.parent_id == tag_id).order_by(Tag.slug)))
        .mappings()
        .all()
    )
    aliases = (
        db.scalars(select(TagAlias.slug).where(TagAlias.tag_id == tag_id).order_by(TagAlias.slug))
    ).all()
    return {
        "id": row["id"],
        "name": row["name"],
        "slug": row["slug"],
        "taxonomy": row["taxonomy"],
        "taxonomy_slug": row["taxonomy_slug"],
        "article_count": row["article_count"],
        "parent": parent,
        "children": [dict(child) for child in children],
        "aliases": list(aliases),
    }


@dataclass(frozen=True, slots=True)
class _Named:
    """A browsable kind of thing with a name, a slug and a number of articles."""

    model: Any
    columns: tuple[Any, ...]
    article_count: Any
    what: str

    def listing(
        self, db: Executor, *, prefix: str | None, sort: str, limit: int, cursor: str | None
    ) -> JSON:
        query = _prefixed(select(*self.columns, self.article_count), self.model.name, prefix)
        return page(
            db,
            _sorted(query, sort, self.article_count, self.model.name, self.model.slug),
            limit=limit,
            cursor=cursor,
            total_of=_prefixed(select(self.model.id), self.model.name, prefix),
        )

    def one(self, db: Executor, slug: str) -> JSON:
        query = select(*self.columns, self.article_count).where(self.model.slug == slug)
        row = (db.execute(query)).mappings().first()
        if row is None:
            raise NotFound(f"no {self.what} {slug!r}")
        return dict(row)


AUTHORS = _Named(
    Author,
    (Author.id, Author.name, Author.slug, Author.bio),
    select(func.count())
    .where(ArticleAuthor.author_id == Author.id)
    .scalar_subquery()
    .label("article_count"),
    "author",
)
OUTLETS = _Named(
    Outlet,
    (Outlet.id, Outlet.name, Outlet.slug, Outlet.domain),
    select(func.count())
    .where(Article.outlet_id == Outlet.id)
    .scalar_subquery()
    .label("article_count"),
    "outlet",
)
