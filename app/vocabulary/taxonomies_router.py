"""Taxonomies and their tags: browse them, load a publisher's vocabulary."""

from collections.abc import Awaitable, Callable
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from app.articles import analysis
from app.articles.filter_params import FilterQuery
from app.articles.identity import SLUG_PATTERN, name_key
from app.articles.schemas import CooccurringTag, Timeline
from app.db.transactions import run_transaction
from app.db.types import JSON
from app.errors import SlugMismatch
from app.http.deps import AdminKey, DatabaseDep, IngestKey, ReaderDep, json_response
from app.http.params import Cursor, Limit, Prefix, Slug, Sort
from app.http.problems import PROBLEM_RESPONSES
from app.http.query_model import query_parameters, read_query
from app.vocabulary import browse, curation
from app.vocabulary.schemas import (
    TagChange,
    TagDetail,
    TagMerge,
    TagPage,
    TaxonomyOut,
    TaxonomyPage,
    VocabularyIn,
    VocabularyLoaded,
)
from app.vocabulary.taxonomies import VocabularyLoad, load_vocabulary

router = APIRouter(prefix="/v1/taxonomies", tags=["taxonomies"], responses=PROBLEM_RESPONSES)


@router.put(
    "/{slug}",
    response_model=VocabularyLoaded,
    operation_id="loadVocabulary",
    responses={201: {"model": VocabularyLoaded, "description": "The taxonomy was created"}},
)
async def put_taxonomy(
    slug: Annotated[
        str,
        Path(
            max_length=300,
            description="The slug the name files under (`Regions` under `regions`): another is "
            "a 422 `slug_mismatch`",
            json_schema_extra={"pattern": SLUG_PATTERN},
        ),
    ],
    payload: VocabularyIn,
    database: DatabaseDep,
    _key: IngestKey,
) -> Response:
    """Create the taxonomy if absent and add the tags it lacks (never deletes; idempotent)."""
    if name_key(payload.name) != slug:
        raise SlugMismatch(
            f"the name {payload.name!r} files under the slug {name_key(payload.name)!r}, "
            f"not {slug!r}"
        )

    async def work(session: AsyncSession) -> VocabularyLoad:
        return await load_vocabulary(session, payload.name, payload.tags, payload.description)

    loaded = await run_transaction(database, work)
    return json_response(loaded.taxonomy | {"added": loaded.added}, 201 if loaded.created else 200)


@router.get(
    "",
    response_model=TaxonomyPage,
    operation_id="listTaxonomies",
)
async def list_taxonomies(read: ReaderDep, limit: Limit = 100, cursor: Cursor = None) -> Response:
    """Every taxonomy, with its number of tags."""
    return json_response(await read.scan(browse.list_taxonomies, limit=limit, cursor=cursor))


@router.get(
    "/{slug}",
    response_model=TaxonomyOut,
    operation_id="getTaxonomy",
)
async def get_taxonomy(read: ReaderDep, slug: Slug) -> Response:
    """One taxonomy."""
    return json_response(await read(browse.get_taxonomy, slug))


@router.get(
    "/{slug}/tags",
    response_model=TagPage,
    operation_id="listTags",
)
async def list_tags(
    read: ReaderDep,
    slug: Slug,
    prefix: Prefix = None,
    sort: Sort = "name",
    limit: Limit = 100,
    cursor: Cursor = None,
) -> Response:
    """A taxonomy's tags with article counts; `prefix` for autocomplete."""
    return json_response(
        await read.scan(
            browse.list_tags, slug, prefix=prefix, sort=sort, limit=limit, cursor=cursor
        )
    )


@router.get(
    "/{taxonomy}/tags/{slug}",
    response_model=TagDetail,
    operation_id="getTag",
)
async def get_tag(read: ReaderDep, taxonomy: Slug, slug: Slug) -> Response:
    """A tag with its parent, children, aliases and article count (aliases resolve)."""
    return json_response(await read(browse.get_tag, taxonomy, slug))


class TimelineQuery(FilterQuery):
    interval: Literal["day", "week", "month"] = "month"


@router.get(
    "/{taxonomy}/tags/{slug}/timeline",
    response_model=Timeline,
    operation_id="tagTimeline",
    openapi_extra=query_parameters(TimelineQuery),
)
async def tag_timeline(read: ReaderDep, taxonomy: Slug, slug: Slug, request: Request) -> Response:
    """Attention over time: articles per day, week (from Monday) or month, empty ones included;
    the article filters narrow what is counted. At most 5,000 buckets (a 422 beyond: narrow the
    dates or use a longer interval)."""
    # The filters and the interval in one validation: every invalid value in one 422.
    query = read_query(TimelineQuery, request)
    filters = query.filters()
    tag_id = await read(browse.resolve_tag, taxonomy, slug)
    # From the daily counts a timeline is a short index range: run it here (a worker thread
    # cost more than the query); counting the links themselves may scan, in a thread.
    run = read if analysis.counted_by_day(filters) else read.scan
    return json_response(await run(analysis.timeline, tag_id, filters, query.interval))


@router.get(
    "/{taxonomy}/tags/{slug}/cooccurring",
    response_model=list[CooccurringTag],
    operation_id="cooccurringTags",
)
async def cooccurring_tags(
    read: ReaderDep, taxonomy: Slug, slug: Slug, limit: Annotated[int, Query(ge=1, le=100)] = 20
) -> Response:
    """The tags that appear most often on the same articles as this one."""
    tag_id = await read(browse.resolve_tag, taxonomy, slug)
    return json_response(await read.scan(analysis.cooccurring, tag_id, limit))


async def _tag_after(
    database: DatabaseDep, work: Callable[[AsyncSession], Awaitable[int]]
) -> Response:
    async def run(session: AsyncSession) -> JSON:
        tag_id = await work(session)
        return await session.run_sync(browse.get_tag_by_id, tag_id)

    return json_response(await run_transaction(database, run))


@router.patch("/{taxonomy}/tags/{slug}", response_model=TagDetail, operation_id="updateTag")
async def update_tag(
    taxonomy: Slug, slug: Slug, change: TagChange, database: DatabaseDep, _key: AdminKey
) -> Response:
    """Rename a tag and/or set its parent (admin); the old slug keeps resolving."""
    fields = change.model_fields_set

    async def work(session: AsyncSession) -> int:
        tag_id = await session.run_sync(browse.resolve_tag, taxonomy, slug)
        if "parent" in fields:
            tag_id = await curation.set_parent(session, taxonomy, slug, change.parent)
        if change.name is not None:
            tag_id = await curation.rename_tag(session, taxonomy, slug, change.name)
        return tag_id

    return await _tag_after(database, work)


@router.post("/{taxonomy}/tags/{slug}/merge", response_model=TagDetail, operation_id="mergeTag")
async def merge_tag(
    taxonomy: Slug, slug: Slug, merge: TagMerge, database: DatabaseDep, _key: AdminKey
) -> Response:
    """Merge a tag into another (admin): its articles move, its slug becomes an alias."""

    async def work(session: AsyncSession) -> int:
        return await curation.merge_tag(session, taxonomy, slug, merge.into)

    return await _tag_after(database, work)
