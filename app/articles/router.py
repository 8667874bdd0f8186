"""Articles: structured create, read one, list."""

from collections.abc import Collection
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncSession

from app.articles.analysis import related
from app.articles.batch_results import tally
from app.articles.create import STRUCTURED_PARSER, draft_from, store_structured_batch
from app.articles.fields import CURSOR_PATTERN
from app.articles.filter_params import FilterQuery
from app.articles.listing import ListRequest, list_articles
from app.articles.reads import ARTICLE_FIELDS, LIST_ONLY_FIELDS, get_article
from app.articles.schemas import (
    ArticleBatchOut,
    ArticleCreate,
    ArticleOut,
    ArticlePage,
    RelatedArticle,
    TrimmedArticlePage,
)
from app.articles.store import Received, store_article
from app.db.transactions import run_transaction
from app.db.types import JSON
from app.errors import InvalidInput, NotFound
from app.http.deps import (
    DatabaseDep,
    IngestKey,
    ReaderDep,
    SettingsDep,
    batch_items,
    json_response,
)
from app.http.problems import PROBLEM_RESPONSES
from app.http.query_model import query_parameters, read_query

router = APIRouter(prefix="/v1/articles", tags=["articles"], responses=PROBLEM_RESPONSES)

LIST_FIELDS = (*ARTICLE_FIELDS, *LIST_ONLY_FIELDS)
DEFAULT_LIST_FIELDS = [name for name in ARTICLE_FIELDS if name != "body"] + ["excerpt"]
_FIELD = "(?:" + "|".join(LIST_FIELDS) + ")"
FIELDS_PATTERN = f"^{_FIELD}(?:,{_FIELD})*$"


@router.post(
    "",
    status_code=201,
    response_model=ArticleOut,
    operation_id="createArticle",
    responses={200: {"model": ArticleOut, "description": "The same piece was already stored"}},
)
async def create_article(
    payload: ArticleCreate, request: Request, database: DatabaseDep, _key: IngestKey
) -> Response:
    """Store a structured article; 200 with the stored one when it is the same piece."""
    received = Received(
        "structured", (await request.body()).decode("utf-8", "replace"), STRUCTURED_PARSER
    )

    async def work(session: AsyncSession) -> tuple[bool, JSON | None]:
        stored = await store_article(session, draft_from(payload), received)
        return stored.created, await session.run_sync(get_article, stored.article_id)

    created, article = await run_transaction(database, work)
    return json_response(article, 201 if created else 200)


@router.post(
    "/batch",
    response_model=ArticleBatchOut,
    operation_id="createArticles",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "array",
                        "items": {"$ref": "#/components/schemas/ArticleCreate"},
                    }
                },
                "application/x-ndjson": {"schema": {"type": "string"}},
            },
        }
    },
)
async def create_articles(
    request: Request, database: DatabaseDep, settings: SettingsDep, _key: IngestKey
) -> Response:
    """Many structured articles in one transaction, filed as if posted one by one; results come
    in input order, and an invalid item is reported without sinking the others."""
    items = await batch_items(request, settings)

    async def work(session: AsyncSession) -> list[JSON]:
        return await store_structured_batch(session, items)

    return json_response(tally(await run_transaction(database, work)))


@router.get(
    "/{article_id}",
    response_model=ArticleOut,
    operation_id="getArticle",
)
async def read_article(
    read: ReaderDep, article_id: Annotated[int, Path(ge=1, le=2**63 - 1)]
) -> Response:
    """One article, in full."""
    article = await read(get_article, article_id, for_response=True)
    if article is None:
        raise NotFound(f"no article with id {article_id}")
    return json_response(article)


def _csv(value: str | None, allowed: Collection[str] | None, what: str) -> list[str]:
    names = [name.strip() for name in (value or "").split(",") if name.strip()]
    unknown = [name for name in names if allowed is not None and name not in allowed]
    if unknown:
        raise InvalidInput(
            f"unknown {what}: {', '.join(unknown)}; choose from {', '.join(sorted(allowed or ()))}"
        )
    return names


class ListQuery(FilterQuery):
    sort: Literal["-published_at", "published_at", "relevance"] = Field(
        "-published_at", description="`relevance` ranks search hits: it needs `q` (a 422 without)"
    )
    limit: int = Field(20, ge=1, le=100)
    cursor: str | None = Field(
        None,
        max_length=500,
        description="The `next_cursor` of the page before, with the same sort",
        json_schema_extra={"pattern": CURSOR_PATTERN},
    )
    total: bool = Field(True, description="false skips counting")
    facets: str | None = Field(
        None, max_length=500, description="Comma-separated: taxonomy slugs, outlet, author, month"
    )
    fields: str | None = Field(
        None,
        max_length=500,
        description="Comma-separated fields for each item, of: " + ", ".join(LIST_FIELDS),
        json_schema_extra={"pattern": FIELDS_PATTERN},
    )


@router.get(
    "",
    response_model=ArticlePage | TrimmedArticlePage,
    operation_id="listArticles",
    responses={
        200: {
            "description": "An `ArticlePage` (every item fully typed); with `fields=`, a "
            "`TrimmedArticlePage` whose items carry only the fields named"
        }
    },
    openapi_extra=query_parameters(ListQuery),
)
async def read_articles(read: ReaderDep, http_request: Request) -> Response:
    """Articles matching every filter given, newest first by default, paged with a cursor."""
    query = read_query(ListQuery, http_request)
    filters = query.filters()
    chosen = _csv(query.fields, LIST_FIELDS, "fields") or [
        *DEFAULT_LIST_FIELDS,
        *(["snippet"] if filters.q is not None else []),
    ]
    request = ListRequest(
        filters=filters,
        sort=query.sort,
        limit=query.limit,
        cursor=query.cursor,
        count_total=query.total,
        fields=chosen,
        facets=_csv(query.facets, None, "facets"),
        for_response=True,
    )
    # Facets and search may read many rows; a page (and its total, capped) walks an index.
    bounded = not (request.facets or filters.q)
    return json_response(await (read if bounded else read.scan)(list_articles, request))


@router.get(
    "/{article_id}/related",
    response_model=list[RelatedArticle],
    operation_id="relatedArticles",
)
async def related_articles(
    read: ReaderDep,
    article_id: Annotated[int, Path(ge=1, le=2**63 - 1)],
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> Response:
    """Articles sharing this one's tags, a shared rare tag weighing more than a common one."""
    if await read(get_article, article_id) is None:
        raise NotFound(f"no article with id {article_id}")
    return json_response(await read.scan(related, article_id, limit, DEFAULT_LIST_FIELDS))
