"""Listing articles: filters, sorts, keyset cursors, totals, facets."""

import base64
import binascii
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import lru_cache
from typing import Any

import orjson
from sqlalchemy import Row, Select, and_, bindparam, or_

from app.articles import search as article_search
from app.articles.facets import facet_counts
from app.articles.filters import (
    ArticleFilters,
    FilterPlan,
    TagRef,
    named_tag,
    named_tag_parameters,
    plan,
)
from app.articles.matches import (
    count_matches,
    has_bound_probes,
    is_dated,
    matches_of,
    walk_conditions,
    walk_parameters,
)
from app.articles.reads import assemble, select_articles
from app.db.models import Article, ArticleTag
from app.db.types import JSON, Executor
from app.errors import InvalidCursor, InvalidInput


@dataclass(slots=True)
class ListRequest:
    filters: ArticleFilters
    sort: str = "-published_at"
    limit: int = 20
    cursor: str | None = None
    count_total: bool = True
    fields: Collection[str] = ()
    facets: Collection[str] = ()
    # Items only to be sent (not read): see `assemble`.
    for_response: bool = False


@lru_cache(maxsize=256)
def _tag_page(
    fields: tuple[str, ...],
    descending: bool,
    dated: bool,
    resumed: bool,
    probes: tuple[bool, ...] = (),
    named: bool | None = None,
) -> Any:
    """A page of one tag's articles, walking the tag's own (tag_id, published_at, article_id)
    index in order, with `probes`: for each, one other tag (`probe_<n>`) the article has (True)
    or has not (False). The tag is `lead_tag`, or the one a reference finds (`named`: whether
    it names its taxonomy; each row then says which tag, and how many the reference names).
    Built once per shape: building the statement, or only working out a new statement's cache
    key, cost more than running it."""
    key, last = ArticleTag.published_at, ArticleTag.article_id
    tag: Any = bindparam("lead_tag")
    query = select_articles(fields)
    if named is not None:
        tag, count = named_tag(named)
        query = query.add_columns(tag.label("lead_id"), count.label("lead_named"))
    lead = (ArticleTag.article_id == Article.id) & (ArticleTag.tag_id == tag)
    query = query.join(ArticleTag, lead).add_columns(key.label("sort_key"))
    query = query.where(*walk_conditions(dated, probes))
    if resumed:
        query = query.where(
            _after(key, last, bindparam("cursor_key"), bindparam("cursor_id"), descending)
        )
    order = (key.desc(), last.desc()) if descending else (key.asc(), last.asc())
    return query.order_by(*order).limit(bindparam("page_rows"))


def list_articles(db: Executor, request: ListRequest) -> JSON:
    """One page; the cursor is keyset on (sort key, id), so rows that arrive while a client
    pages never make it skip or repeat one. Two plans: walk the lead tag's index, or walk (or
    rank) the articles themselves."""
    if request.sort == "relevance" and request.filters.q is None:
        raise InvalidInput("sort=relevance ranks search hits: it needs q")
    cursor = decode_cursor(request.cursor, request.sort) if request.cursor is not None else None
    found = _named_tag_page(db, request, cursor)
    if found is not None:
        filter_plan, rows = found
    else:
        filter_plan = plan(db, request.filters)
        if request.sort != "relevance" and filter_plan.lead_tag is not None:
            query, parameters = _lead_tag_page(request, filter_plan, cursor)
        else:
            query, parameters = _articles_page(db, request, filter_plan, cursor), {}
        rows = db.execute(query, parameters).all()
    result = _page(db, request, rows)
    if request.count_total:
        result["total"], result["total_exact"] = count_matches(db, matches_of(filter_plan))
    if request.facets:
        result |= _facets(db, filter_plan, request.facets)
    return result


def _named_tag_page(
    db: Executor, request: ListRequest, cursor: tuple[Any, int] | None
) -> tuple[FilterPlan, Sequence[Row[Any]]] | None:
    """The page of a listing of one tag, the statement finding the tag itself: one statement,
    not two (a statement costs ~80 µs of the async driver on PostgreSQL). None when there is
    no such shortcut: another tag asked for or excluded, ranking, or a reference naming other
    than one tag, or an empty page (which may be either), which the usual plan then serves."""
    filters = request.filters
    if request.sort == "relevance" or filters.exclude_tags or filters.include_descendants:
        return None
    if len(filters.tag_groups) != 1 or len(filters.tag_groups[0]) != 1:
        return None
    others = plan(db, replace(filters, tag_groups=[]))
    named = filters.tag_groups[0][0]
    query, parameters = _lead_tag_page(request, others, cursor, named)
    rows = db.execute(query, parameters).all()
    if not rows or rows[0].lead_named != 1:
        return None
    return replace(others, lead_tag=rows[0].lead_id), rows


def _lead_tag_page(
    request: ListRequest,
    filter_plan: FilterPlan,
    cursor: tuple[Any, int] | None,
    named: TagRef | None = None,
) -> tuple[Any, dict[str, Any]]:
    """A page walking the lead tag's own index in date order (the statement is built once per
    shape), the other filters tested on each article it meets; and its parameters. The lead
    tag is the plan's, or the one `named` finds."""
    descending = request.sort != "published_at"
    shape = (tuple(request.fields), descending, is_dated(filter_plan), cursor is not None)
    bound = has_bound_probes(filter_plan)
    by_name = None if named is None else named.taxonomy is not None
    if bound:  # each other tag one id: the whole statement is one built before
        query = _tag_page(*shape, tuple(wanted for _, wanted in filter_plan.probes), by_name)
        tested = filter_plan.where
    else:
        query = _tag_page(*shape, (), by_name)
        tested = [*filter_plan.walk_probed(), *filter_plan.where]
    if tested:  # a new statement's cache key is worked out again on every execution
        query = query.where(*tested)
    parameters = walk_parameters(filter_plan) | {
        "cursor_key": cursor[0] if cursor else None,
        "cursor_id": cursor[1] if cursor else None,
        "page_rows": request.limit + 1,
    }
    if named is not None:
        parameters |= named_tag_parameters(named)
    return query, parameters


def _articles_page(
    db: Executor, request: ListRequest, filter_plan: FilterPlan, cursor: tuple[Any, int] | None
) -> Select[*tuple[Any, ...]]:
    """A page of the articles in date order, or of search hits by rank (`sort=relevance`)."""
    q = request.filters.q
    key: Any = Article.published_at
    if request.sort == "relevance" and q:
        key = article_search.rank(db, q)
    last = Article.id
    where = filter_plan.conditions()
    if q and request.sort != "relevance" and article_search.walk_by_date(db, q, request.limit):
        walking = article_search.matches(db, q, walking=True)
        where = [walking if c is filter_plan.search else c for c in where]
    query: Select[*tuple[Any, ...]] = (
        select_articles(request.fields).add_columns(key.label("sort_key")).where(*where)
    )
    descending = request.sort != "published_at"
    if cursor is not None:
        query = query.where(_after(key, last, *cursor, descending))
    order = (key.desc(), last.desc()) if descending else (key.asc(), last.asc())
    return query.order_by(*order).limit(request.limit + 1)


def _page(db: Executor, request: ListRequest, rows: Sequence[Row[Any]]) -> JSON:
    """The items of a page (one row more than it holds says there is a next one), with
    snippets and scores when asked for, and the next page's cursor."""
    page = rows[: request.limit]
    extras: list[JSON] = [{} for _ in page]
    q = request.filters.q
    if q is not None and "snippet" in request.fields:
        found = article_search.snippets(db, q, [row.id for row in page])
        for extra, row in zip(extras, page, strict=True):
            extra["snippet"] = found.get(row.id, "")
    if "score" in request.fields:
        for extra, row in zip(extras, page, strict=True):
            extra["score"] = float(row.sort_key) if request.sort == "relevance" else None
    items = assemble(page, request.fields, for_response=request.for_response, extras=extras)
    return {
        "items": items,
        "next_cursor": encode_cursor(request.sort, page[-1].sort_key, page[-1].id)
        if len(rows) > request.limit
        else None,
        "total": None,
        "total_exact": None,
    }


def _facets(db: Executor, filter_plan: FilterPlan, names: Collection[str]) -> JSON:
    """Facet counts over the newest matches, and how many matches they count."""
    counts, over = facet_counts(db, matches_of(filter_plan, newest=True), list(names))
    return {"facets": counts, "facets_over": over}


def _after(key: Any, last: Any, value: Any, last_id: Any, descending: bool) -> Any:
    if descending:
        return or_(key < value, and_(key == value, last < last_id))
    return or_(key > value, and_(key == value, last > last_id))


def encode_cursor(sort: str, value: Any, article_id: int) -> str:
    key = value.isoformat() if isinstance(value, datetime) else float(value)
    raw = orjson.dumps([sort, key, article_id])
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str) -> tuple[Any, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        cursor_sort, key, article_id = orjson.loads(raw)
        if cursor_sort != sort or type(article_id) is not int or not 0 < article_id < 2**63:
            raise ValueError
        if sort == "relevance":
            if type(key) not in (int, float):
                raise ValueError
            return float(key), article_id
        return datetime.fromisoformat(key), article_id
    except (ValueError, TypeError, binascii.Error, orjson.JSONDecodeError):
        raise InvalidCursor(
            "the cursor is not one this API issued for this sort; start again without it"
        ) from None
