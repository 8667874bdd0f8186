"""Ingest use cases, shared by the HTTP API and the command line: each scrape is its own
transaction (opened here, through app.db.transactions), so one bad item never sinks the rest.
This is the layer between the entry points and the ingest service, which only flushes."""

import json
import logging
from functools import partial
from typing import Any

from pydantic import ValidationError
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from app.articles.batch_results import failed, validation_details
from app.articles.reads import get_article
from app.db.engines import Database
from app.db.transactions import run_transaction
from app.db.types import JSON
from app.errors import NewsdbError, database_failure
from app.ingest.schemas import IngestIn
from app.ingest.service import ingest_scrape, reparse_article

log = logging.getLogger("newsdb")


async def ingest_one(database: Database, item: IngestIn, payload: str, dry_run: bool) -> JSON:
    """`{"article", "created", "report"}`; a dry run does everything, then rolls it back."""

    async def work(session: AsyncSession) -> JSON:
        ingested = await ingest_scrape(session, item, payload)
        article = await session.run_sync(get_article, ingested.stored.article_id)
        return {"article": article, "created": ingested.stored.created, "report": ingested.report}

    result = await run_transaction(database, work, dry_run=dry_run)
    if dry_run:
        result["report"]["dry_run"] = True
    return result


async def ingest_item(database: Database, index: int, raw: Any, payload: str | None = None) -> JSON:
    """One batch item, validated and stored: a result, never an exception."""
    try:
        item = IngestIn.model_validate(raw)
        result = await ingest_one(
            database, item, payload or json.dumps(raw, ensure_ascii=False), dry_run=False
        )
    except ValidationError as error:
        return failed(index, "validation_error", validation_details(error))
    except NewsdbError as error:
        return failed(index, error.code, error.detail)
    except DBAPIError as error:  # the database went away, or is read-only or full
        failure = database_failure(error)
        return failed(index, failure.code, failure.detail)
    except Exception:
        log.exception("batch item %d failed", index)
        return failed(index, "internal_error", "this item could not be stored; it has been logged")
    status = "created" if result["created"] else "existing"
    return {"index": index, "status": status, "article_id": result["article"]["id"], "error": None}


async def reparse_one(database: Database, article_id: int) -> JSON:
    """One article in its own transaction: one that can no longer be filed (its stored scrape
    now parses to nothing) is reported and left as it was, and the others go on."""
    try:
        return await run_transaction(database, partial(reparse_article, article_id=article_id))
    except NewsdbError as error:
        return {"id": article_id, "changed": [], "failed": f"{error.code}: {error.detail}"}
