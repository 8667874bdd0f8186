"""The OpenAPI document, as a typed client and a schema-driven fuzzer read it: what FastAPI
generates from the routes, and what it cannot say by itself."""

from typing import Any

from fastapi import FastAPI

JSON = dict[str, Any]


def _sendable(parameter: JSON) -> None:
    """An optional parameter is left out, never null: a query string or a header has no null
    (`?cursor=null` sends the text "null"), so its schema keeps the non-null branch."""
    schema = parameter["schema"]
    branches = schema.get("anyOf", [])
    if parameter.get("required") or len(branches) != 2 or {"type": "null"} not in branches:
        return
    (kept,) = [branch for branch in branches if branch != {"type": "null"}]
    parameter["schema"] = kept | {key: value for key, value in schema.items() if key != "anyOf"}


def refine(document: JSON) -> JSON:
    for operations in document["paths"].values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                _sendable(parameter)
    return document


class NewsdbAPI(FastAPI):
    def openapi(self) -> JSON:
        if self.openapi_schema is None:
            self.openapi_schema = refine(super().openapi())
        return self.openapi_schema
