"""RFC 9457 problem details: every error newsdb sends has this shape and a stable `code`."""

import json
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException

from app.errors import NewsdbError, database_failure
from app.http.schemas import Problem

log = logging.getLogger("newsdb")

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {
        "model": Problem,
        "description": description,
        "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
    for status, description in {
        400: "Bad request: a cursor this API did not issue (`invalid_cursor`), a body that "
        "cannot be read (`malformed_body`), or a request the HTTP server cannot read "
        "(`malformed_request`)",
        401: "No valid API key",
        403: "The key lacks the scope",
        404: "Not found",
        413: "Request body too large",
        422: "Invalid input",
        503: "The database is unavailable (`database_unavailable`), read-only "
        "(`database_read_only`) or held by another process (`database_busy`): nothing was "
        "stored; retry the same request after `Retry-After` seconds",
        507: "The database's disk is full (`storage_full`): nothing was stored",
    }.items()
}
PROBLEM_RESPONSES[503]["headers"] = {
    "Retry-After": {"description": "Seconds to wait before retrying", "schema": {"type": "integer"}}
}

_HTTP_CODES = {
    400: "malformed_body",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
}


def problem_json(status: int, code: str, title: str, detail: str, **extra: Any) -> bytes:
    body = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
        **extra,
    }
    # ensure_ascii: echoed input may hold lone surrogates, which must still serialise.
    return json.dumps(body, ensure_ascii=True, default=str).encode()


def problem(
    status: int,
    code: str,
    title: str,
    detail: str,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response:
    return Response(
        problem_json(status, code, title, detail, **extra),
        status_code=status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=headers,
    )


def error_problem(error: NewsdbError) -> Response:
    headers = {"Retry-After": str(error.retry_after)} if error.retry_after is not None else None
    return problem(error.status, error.code, error.title, error.detail, headers, **error.extra)


async def _newsdb_error(_: Request, error: Exception) -> Response:
    assert isinstance(error, NewsdbError)
    return error_problem(error)


async def _validation_error(_: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)
    errors = [
        {
            "loc": [str(part) for part in item.get("loc", ())],
            "msg": str(item.get("msg", "")),
            "type": str(item.get("type", "")),
        }
        for item in error.errors()
    ]
    if any(item["type"] == "json_invalid" for item in errors):
        return problem(
            422,
            "malformed_json",
            "Malformed JSON",
            "the request body is not valid JSON",
            errors=errors,
        )
    summary = "; ".join(f"{'.'.join(e['loc'])}: {e['msg']}" for e in errors[:5])
    return problem(422, "validation_error", "Invalid input", summary, errors=errors)


async def _http_error(_: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    code = _HTTP_CODES.get(error.status_code, f"http_{error.status_code}")
    return problem(
        error.status_code,
        code,
        str(error.detail),
        str(error.detail),
        headers=dict(error.headers or {}),
    )


def database_problem(error: BaseException) -> Response:
    """The problem a database driver's error makes for the client (503 or 507), logged."""
    failure = database_failure(error)
    log.warning("database error: %s (%s)", type(error).__name__, failure.code)
    return error_problem(failure)


async def _database_error(_: Request, error: Exception) -> Response:
    return database_problem(error)


async def _unexpected(_: Request, error: Exception) -> Response:
    log.exception("unhandled error", exc_info=error)
    return problem(
        500,
        "internal_error",
        "Internal error",
        "something went wrong on our side; it has been logged",
    )


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(NewsdbError, _newsdb_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(DBAPIError, _database_error)
    app.add_exception_handler(Exception, _unexpected)
