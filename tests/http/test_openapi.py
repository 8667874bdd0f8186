"""The OpenAPI document generates a clean typed client."""

import re

from fastapi.testclient import TestClient


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
