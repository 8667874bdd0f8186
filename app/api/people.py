"""Authors and outlets: browse them with article counts."""

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Response

from app.api.deps import ReaderDep, json_response, read_access
from app.api.problems import PROBLEM_RESPONSES
from app.schemas import AuthorPage, AuthorSummary, OutletPage, OutletSummary
from app.services import browse

router = APIRouter(prefix="/v1", responses=PROBLEM_RESPONSES, dependencies=[Depends(read_access)])

Limit = Annotated[int, Query(ge=1, le=500)]
Cursor = Annotated[str | None, Query(max_length=100)]
Prefix = Annotated[str | None, Query(max_length=300, description="Names starting with this")]
Sort = Literal["name", "count"]
Slug = Annotated[str, Path(max_length=300)]


@router.get("/authors", response_model=AuthorPage, operation_id="listAuthors", tags=["authors"])
async def list_authors(
    read: ReaderDep,
    prefix: Prefix = None,
    sort: Sort = "name",
    limit: Limit = 100,
    cursor: Cursor = None,
) -> Response:
    """Authors with article counts."""
    return json_response(
        await read(browse.AUTHORS.listing, prefix=prefix, sort=sort, limit=limit, cursor=cursor)
    )


@router.get(
    "/authors/{slug}", response_model=AuthorSummary, operation_id="getAuthor", tags=["authors"]
)
async def get_author(read: ReaderDep, slug: Slug) -> Response:
    """One author."""
    return json_response(await read(browse.AUTHORS.one, slug))


@router.get("/outlets", response_model=OutletPage, operation_id="listOutlets", tags=["outlets"])
async def list_outlets(
    read: ReaderDep,
    prefix: Prefix = None,
    sort: Sort = "name",
    limit: Limit = 100,
    cursor: Cursor = None,
) -> Response:
    """Outlets with article counts."""
    return json_response(
        await read(browse.OUTLETS.listing, prefix=prefix, sort=sort, limit=limit, cursor=cursor)
    )


@router.get(
    "/outlets/{slug}", response_model=OutletSummary, operation_id="getOutlet", tags=["outlets"]
)
async def get_outlet(read: ReaderDep, slug: Slug) -> Response:
    """One outlet."""
    return json_response(await read(browse.OUTLETS.one, slug))
