"""The OpenAPI document, as a typed client and a schema-driven fuzzer read it: what FastAPI
generates from the routes, and what it cannot say by itself (answers that middleware or the
HTTP server give, shared as response components)."""

from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from starlette.routing import BaseRoute

from app.http.deps import MIN_LSN_PARAMETER, get_reader
from app.http.middleware import HEADER_TOO_LARGE, URI_TOO_LONG
from app.http.problems import PROBLEM_MEDIA_TYPE

JSON = dict[str, Any]

_PROBLEM = {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}
_RETRY_AFTER = {
    "Retry-After": {"description": "Seconds to wait before retrying", "schema": {"type": "integer"}}
}


def _problem(description: str, retry_after: bool = False) -> JSON:
    return {"description": description, "content": _PROBLEM} | (
        {"headers": _RETRY_AFTER} if retry_after else {}
    )


# Answers any operation may get from the layers around it, by the operations that get them.
SHARED_RESPONSES: dict[str, tuple[str, JSON]] = {
    "NotModified": (
        "304",
        {
            "description": "Not modified: the `ETag` sent in `If-None-Match` is still the "
            "answer's (every successful GET carries an `ETag`)",
        },
    ),
    "Conflict": (
        "409",
        _problem(
            "The first request with this `Idempotency-Key` is still being served "
            "(`idempotency_key_in_flight`: retry after `Retry-After` seconds), or the change "
            "conflicts with what is stored (`conflict`)",
            retry_after=True,
        ),
    ),
    "TooManyRequests": (
        "429",
        _problem(
            "More requests this minute than `RATE_LIMIT_PER_MINUTE` allows this key (or this "
            "address, without a key): `rate_limited`; retry after `Retry-After` seconds",
            retry_after=True,
        ),
    ),
    "UriTooLong": ("414", _problem(f"`{URI_TOO_LONG[1]}`: {URI_TOO_LONG[3]}")),
    "HeaderTooLarge": ("431", _problem(f"`{HEADER_TOO_LARGE[1]}`: {HEADER_TOO_LARGE[3]}")),
}
_WRITES = {"post", "put", "patch"}


def _shared_responses(path: str, method: str) -> list[str]:
    names = ["UriTooLong", "HeaderTooLarge"]
    if method == "get":
        names.append("NotModified")
    if method in _WRITES:
        names.append("Conflict")
    if path != "/health":  # the rate limit counts everything else
        names.append("TooManyRequests")
    return names


def _sendable(parameter: JSON) -> None:
    """An optional parameter is left out, never null: a query string or a header has no null
    (`?cursor=null` sends the text "null"), so its schema keeps the non-null branch."""
    schema = parameter["schema"]
    branches = schema.get("anyOf", [])
    if parameter.get("required") or len(branches) != 2 or {"type": "null"} not in branches:
        return
    (kept,) = [branch for branch in branches if branch != {"type": "null"}]
    parameter["schema"] = kept | {key: value for key, value in schema.items() if key != "anyOf"}


def _reads(routes: Sequence[BaseRoute]) -> set[tuple[str, str]]:
    """(path, method) of every operation that reads through `get_reader`, which reads its
    header by hand (see there)."""
    found: set[tuple[str, str]] = set()
    for context in iter_route_contexts(routes):
        route = context.original_route
        if isinstance(route, APIRoute) and any(
            dependency.call is get_reader for dependency in route.dependant.dependencies
        ):
            found.update((route.path_format, method.lower()) for method in route.methods or ())
    return found


def refine(document: JSON, reads: set[tuple[str, str]]) -> JSON:
    components = document.setdefault("components", {})
    components.setdefault("responses", {}).update(
        {name: response for name, (_, response) in SHARED_RESPONSES.items()}
    )
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if (path, method) in reads:
                operation.setdefault("parameters", []).append({**MIN_LSN_PARAMETER})
            for parameter in operation.get("parameters", []):
                _sendable(parameter)
            responses = operation["responses"]
            for answer in responses.values():
                # A problem is application/problem+json only (FastAPI adds plain JSON too).
                content = answer.get("content", {})
                if PROBLEM_MEDIA_TYPE in content:
                    content.pop("application/json", None)
            for name in _shared_responses(path, method):
                status = SHARED_RESPONSES[name][0]
                responses.setdefault(status, {"$ref": f"#/components/responses/{name}"})
    return document


class NewsdbAPI(FastAPI):
    def openapi(self) -> JSON:
        if self.openapi_schema is None:
            self.openapi_schema = refine(super().openapi(), _reads(self.routes))
        return self.openapi_schema
