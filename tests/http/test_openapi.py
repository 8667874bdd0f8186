"""The OpenAPI document generates a clean typed client."""

import re
from typing import Any

from fastapi.testclient import TestClient

from app.articles.fields import CURSOR_PATTERN
from app.articles.identity import SLUG_PATTERN


def test_every_operation_has_a_stable_camel_case_id(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    ids = [op["operationId"] for path in spec["paths"].values() for op in path.values()]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z][A-Za-z]+", op_id) for op_id in ids), ids


def test_errors_are_documented_as_problems(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert "Problem" in spec["components"]["schemas"]
    for path, operations in spec["paths"].items():
        if not path.startswith("/v1"):
            continue
        for method, operation in operations.items():
            problem = operation["responses"].get("422") or operation["responses"].get("404")
            assert problem, f"{method} {path} documents no error"


def test_docs_are_served(client: TestClient) -> None:
    assert client.get("/docs").status_code == 200


def _parameters(spec: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [
        (f"{method.upper()} {path}", parameter)
        for path, operations in spec["paths"].items()
        for method, operation in operations.items()
        for parameter in operation.get("parameters", [])
    ]


def test_what_the_server_enforces_is_declared(client: TestClient) -> None:
    """A schema-driven client or fuzzer sends what the server takes: slugs, cursors, `fields`,
    the replica header; an optional parameter is left out, never sent as null."""
    spec = client.get("/openapi.json").json()
    for where, parameter in _parameters(spec):
        schema = parameter["schema"]
        assert "anyOf" not in schema, f"{where} {parameter['name']} may be null"
        if parameter["in"] == "path" and schema["type"] == "string":
            assert schema["pattern"] == SLUG_PATTERN and schema["maxLength"] == 300, where
        if parameter["name"] == "cursor":
            assert schema["pattern"] == CURSOR_PATTERN, where
        if parameter["name"] == "Newsdb-Min-LSN":
            assert re.fullmatch(schema["pattern"], "16/B374D848"), where
    fields = next(p for w, p in _parameters(spec) if p["name"] == "fields")["schema"]["pattern"]
    assert re.search(fields, "id,title,score") and not re.search(fields, "id,password")
    body = spec["components"]["schemas"]["ArticleCreate"]["properties"]
    for blank in ("", " \u00a0\t", "\x00\x01"):
        assert not re.search(body["title"]["pattern"], blank)
    assert re.search(body["title"]["pattern"], " x ")
    url = body["url"]["anyOf"][0]["pattern"]
    assert re.search(url, "https://www.jpost.com/a?utm_source=rss#x")
    assert not any(re.search(url, bad) for bad in ("javascript:alert(1)", "http://", "http://a b"))
