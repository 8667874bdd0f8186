"""Scrape ingest: one scrape (text, page text or a fetched page's HTML), or a batch of them."""

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from app.articles.batch_results import tally
from app.articles.schemas import BatchOut
from app.http.deps import DatabaseDep, IngestKey, SettingsDep, batch_items, json_response
from app.http.problems import PROBLEM_RESPONSES
from app.ingest.schemas import IngestIn, IngestOut
from app.ingest.units import ingest_item, ingest_one

router = APIRouter(prefix="/v1/ingest", tags=["ingest"], responses=PROBLEM_RESPONSES)


@router.post(
    "",
    status_code=201,
    response_model=IngestOut,
    operation_id="ingestText",
    responses={200: {"model": IngestOut, "description": "Already stored, or a dry run"}},
)
async def ingest(
    item: IngestIn,
    request: Request,
    database: DatabaseDep,
    _key: IngestKey,
    dry_run: Annotated[bool, Query(description="Parse and report; store nothing")] = False,
) -> Response:
    """Turn a scrape into a clean, filed article: send `text` (a clean scrape or a page's visible
    text) or `html` (the page as fetched). The report says what the input was taken to be, where
    each field came from and what was removed."""
    payload = (await request.body()).decode("utf-8", "replace")
    result = await ingest_one(database, item, payload, dry_run)
    return json_response(result, 201 if result["created"] and not dry_run else 200)


@router.post(
    "/batch",
    response_model=BatchOut,
    operation_id="ingestBatch",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {"type": "array", "items": {"$ref": "#/components/schemas/IngestIn"}}
                },
                "application/x-ndjson": {"schema": {"type": "string"}},
            },
        }
    },
)
async def ingest_batch(
    request: Request, database: DatabaseDep, settings: SettingsDep, _key: IngestKey
) -> Response:
    """Many scrapes in one request; each item is its own transaction, so one bad item never
    sinks the rest. Results come in input order."""
    items = await batch_items(request, settings)
    results = [await ingest_item(database, index, raw) for index, raw in enumerate(items)]
    return json_response(tally(results))
