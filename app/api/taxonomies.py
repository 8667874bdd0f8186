"""Taxonomies: load a publisher's vocabulary."""

from typing import Annotated

from fastapi import APIRouter, Path, Response
from sqlalchemy.ext.asyncio import AsyncSession

from app.api.deps import DatabaseDep, IngestKey, json_response
from app.api.problems import PROBLEM_RESPONSES
from app.db import run_transaction
from app.errors import SlugMismatch
from app.identity import name_key
from app.schemas import VocabularyIn, VocabularyLoaded
from app.services.taxonomies import VocabularyLoad, load_vocabulary

router = APIRouter(prefix="/v1/taxonomies", tags=["taxonomies"], responses=PROBLEM_RESPONSES)


@router.put(
    "/{slug}",
    response_model=VocabularyLoaded,
    operation_id="loadVocabulary",
    responses={201: {"model": VocabularyLoaded, "description": "The taxonomy was created"}},
)
async def put_taxonomy(
    slug: Annotated[str, Path(max_length=300)],
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
