"""Articles: structured create, read one, list."""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from app.api.deps import DatabaseDep, IngestKey, ReadDep, json_response, read_access
from app.api.problems import PROBLEM_RESPONSES
from app.db import run_transaction
from app.errors import NotFound
from app.schemas import ArticleCreate, ArticleOut, ArticlePage, AuthorIn
from app.services.article_reads import JSON, get_article, list_articles
from app.services.articles import ArticleDraft, Received, store_article
from app.services.vocabulary import NamedAuthor, NamedOutlet, NamedTag
from app.text import normalise_body

router = APIRouter(prefix="/v1/articles", tags=["articles"], responses=PROBLEM_RESPONSES)

STRUCTURED_PARSER = "structured/1"


def _draft(payload: ArticleCreate) -> ArticleDraft:
    outlet = payload.outlet
    return ArticleDraft(
        url=payload.url,
        title=payload.title,
        subtitle=payload.subtitle or None,
        body=normalise_body(payload.body),
        published_at=payload.published_at,
        outlet=NamedOutlet(outlet)
        if isinstance(outlet, str)
        else NamedOutlet(outlet.name, outlet.domain),
        authors=tuple(
            NamedAuthor(a.name, a.bio) if isinstance(a, AuthorIn) else NamedAuthor(a)
            for a in payload.authors
        ),
        tags=tuple(
            NamedTag(taxonomy, name) for taxonomy, names in payload.tags.items() for name in names
        ),
    )


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
        stored = await store_article(session, _draft(payload), received)
        return stored.created, await get_article(session, stored.article_id)

    created, article = await run_transaction(database, work)
    return json_response(article, 201 if created else 200)


@router.get(
    "/{article_id}",
    response_model=ArticleOut,
    operation_id="getArticle",
    dependencies=[Depends(read_access)],
)
async def read_article(
    connection: ReadDep, article_id: Annotated[int, Path(ge=1, le=2**63 - 1)]
) -> Response:
    """One article, in full."""
    article = await get_article(connection, article_id)
    if article is None:
        raise NotFound(f"no article with id {article_id}")
    return json_response(article)


@router.get(
    "",
    response_model=ArticlePage,
    operation_id="listArticles",
    dependencies=[Depends(read_access)],
)
async def read_articles(
    connection: ReadDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
) -> Response:
    """Articles, newest first, paged with an opaque cursor."""
    return json_response(await list_articles(connection, limit=limit, cursor=cursor))
