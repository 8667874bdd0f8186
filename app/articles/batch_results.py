"""A batch's answer (BatchOut): one result per item in input order, and the counts. Shared by
the structured batch and the scrape batch (over HTTP and from `newsdb ingest`)."""

from pydantic import ValidationError

from app.db.types import JSON


def failed(index: int, code: str, detail: str, status: str = "error") -> JSON:
    return {
        "index": index,
        "status": status,
        "article_id": None,
        "error": {"code": code, "detail": detail},
    }


def validation_details(error: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(part) for part in e['loc']) or 'item'}: {e['msg']}"
        for e in error.errors()[:5]
    )


def tally(results: list[JSON]) -> JSON:
    return {
        "created": sum(r["status"] == "created" for r in results),
        "existing": sum(r["status"] == "existing" for r in results),
        "failed": sum(r["status"] not in ("created", "existing") for r in results),
        "results": results,
    }
