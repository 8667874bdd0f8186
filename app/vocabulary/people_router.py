"""Authors and outlets: browse them with article counts."""

from typing import Any

from fastapi import APIRouter, Response

from app.http.deps import ReaderDep, json_response
from app.http.params import Cursor, Limit, Prefix, Slug, Sort
from app.http.problems import PROBLEM_RESPONSES
from app.vocabulary import browse
from app.vocabulary.schemas import AuthorPage, AuthorSummary, OutletPage, OutletSummary

router = APIRouter(prefix="/v1", responses=PROBLEM_RESPONSES)


def _browse_routes(kind: Any, plural: str, singular: str, page: Any, one: Any) -> None:
    """`GET /v1/{plural}` and `GET /v1/{plural}/{slug}` for one kind of named thing."""
    title = singular.capitalize()

    async def listing(
        read: ReaderDep,
        prefix: Prefix = None,
        sort: Sort = "name",
        limit: Limit = 100,
        cursor: Cursor = None,
    ) -> Response:
        found = await read.scan(kind.listing, prefix=prefix, sort=sort, limit=limit, cursor=cursor)
        return json_response(found)

    async def single(read: ReaderDep, slug: Slug) -> Response:
        return json_response(await read(kind.one, slug))

    listing.__doc__ = f"{plural.capitalize()} with article counts; `prefix` for autocomplete."
    single.__doc__ = f"One {singular}, with its article count."
    router.add_api_route(
        f"/{plural}",
        listing,
        response_model=page,
        tags=[plural],
        operation_id=f"list{title}s",
        name=f"list_{plural}",
    )
    router.add_api_route(
        f"/{plural}/{{slug}}",
        single,
        response_model=one,
        tags=[plural],
        operation_id=f"get{title}",
        name=f"get_{singular}",
    )


_browse_routes(browse.AUTHORS, "authors", "author", AuthorPage, AuthorSummary)
_browse_routes(browse.OUTLETS, "outlets", "outlet", OutletPage, OutletSummary)
