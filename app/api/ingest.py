"""Raw-text ingest: one scrape, or a batch of them."""

import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from app.api.deps import DatabaseDep, IngestKey, SettingsDep, json_response
from app.api.problems import PROBLEM_RESPONSES
from app.errors import InvalidInput
from app.schemas import BatchOut, IngestIn, IngestOut
from app.services.batch import ingest_item, ingest_one, tally

router = APIRouter(prefix="/v1/ingest", tags=["ingest"], responses=PROBLEM_RESPONSES)

NDJSON_TYPES = ("application/x-ndjson", "application/ndjson", "application/jsonl")


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
    """Turn a raw scrape into a clean, filed article; the report says what was done."""
    payload = (await request.body()).decode("utf-8", "replace")
    result = await ingest_one(database, item, payload, dry_run)
    return json_response(result, 201 if result["created"] and not dry_run else 200)


def _batch_items(body: bytes, content_type: str, limit: int) -> list[Any]:
    text = body.decode("utf-8", "replace")
    try:
        if content_type.split(";")[0].strip().lower() in NDJSON_TYPES:
            items = [json.loads(line) for line in text.splitlines() if line.strip()]
        else:
            items = json.loads(text)
    except ValueError as error:
        raise InvalidInput(f"the batch is not valid JSON or NDJSON: {error}") from None
    if not isinstance(items, list):
        raise InvalidInput("a batch is a JSON array of ingest items, or NDJSON, one per line")
    if len(items) > limit:
        raise InvalidInput(
            f"a batch holds at most {limit} items (MAX_BATCH_ITEMS); got {len(items)}"
        )
    return items


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
    items = _batch_items(
        await request.body(), request.headers.get("content-type", ""), settings.max_batch_items
    )
    results = [await ingest_item(database, index, raw) for index, raw in enumerate(items)]
    return json_response(tally(results))
