"""Ingest units of work, shared by the HTTP API and the command line: each item is its own
transaction, so one bad item never sinks the rest."""

import json
import logging
from typing import Any

from pydantic import ValidationError
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from app.articles.reads import JSON, get_article
from app.db.engines import Database, run_transaction
from app.errors import NewsdbError, database_failure
from app.ingest.schemas import IngestIn
from app.ingest.service import ingest_scrape

log = logging.getLogger("newsdb")


async def ingest_one(database: Database, item: IngestIn, payload: str, dry_run: bool) -> JSON:
    """`{"article", "created", "report"}`; a dry run does everything, then rolls it back."""

    async def work(session: AsyncSession) -> JSON:
        ingested = await ingest_scrape(session, item, payload)
        article = await session.run_sync(get_article, ingested.stored.article_id)
        return {"article": article, "created": ingested.stored.created, "report": ingested.report}

    if dry_run:
        async with database.rehearsal() as session:
            result = await work(session)
        result["report"]["dry_run"] = True
        return result
    return await run_transaction(database, work)


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


def validation_details(error: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(part) for part in e['loc']) or 'item'}: {e['msg']}"
        for e in error.errors()[:5]
    )


def failed(index: int, code: str, detail: str, status: str = "error") -> JSON:
    return {
        "index": index,
        "status": status,
        "article_id": None,
        "error": {"code": code, "detail": detail},
    }


def tally(results: list[JSON]) -> JSON:
    return {
        "created": sum(r["status"] == "created" for r in results),
        "existing": sum(r["status"] == "existing" for r in results),
        "failed": sum(r["status"] not in ("created", "existing") for r in results),
        "results": results,
    }
