"""Query strings read by one model (app.http.query_model): the same answers FastAPI's own
parameters gave, and an OpenAPI document written from the model that reads them."""

import pytest
from fastapi.testclient import TestClient

from app.articles.filter_params import FilterQuery
from app.articles.router import ListQuery
from app.vocabulary.taxonomies_router import TimelineQuery


def titles(client: TestClient, query: str) -> list[str]:
    response = client.get(f"/v1/articles?{query}")
    assert response.status_code == 200, response.text
    return [item["title"].split()[1].lower() for item in response.json()["items"]]


def test_lists_take_every_value_and_others_the_last(
    client: TestClient, corpus: dict[str, int]
) -> None:
    assert titles(client, "tag=hezbollah&tag=hamas&tag=israel") == ["c"]
    assert titles(client, "limit=1&limit=2") == ["d", "c"]
    # Names no model knows are ignored, as they always were.
    assert titles(client, "tag=hezbollah&exclude_tag=hamas&utm_source=feed") == ["a"]


@pytest.mark.parametrize(
    ("query", "location", "message"),
    [
        ("limit=0", ["query", "limit"], "greater than or equal to 1"),
        ("limit=many", ["query", "limit"], "valid integer"),
        ("published_after=2024-02-30", ["query", "published_after"], "valid date"),
        ("total=perhaps", ["query", "total"], "valid boolean"),
        ("sort=oldest", ["query", "sort"], "'-published_at', 'published_at' or 'relevance'"),
        ("&".join(["tag=iran"] * 21), ["query", "tag"], "at most 20 items"),
        (f"q={'w' * 501}", ["query", "q"], "at most 500 characters"),
    ],
)
def test_invalid_values_are_validation_problems(
    client: TestClient, query: str, location: list[str], message: str
) -> None:
    response = client.get(f"/v1/articles?{query}")
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == "validation_error"
    assert [error["loc"] for error in problem["errors"]] == [location]
    assert message in problem["errors"][0]["msg"]


def test_the_timeline_reads_the_same_filters(client: TestClient, corpus: dict[str, int]) -> None:
    response = client.get(
        "/v1/taxonomies/issues/tags/iran/timeline?published_after=nope&interval=year"
    )
    assert response.status_code == 422
    # Every invalid value in one answer, the filters' and the timeline's own.
    assert [error["loc"] for error in response.json()["errors"]] == [
        ["query", "published_after"],
        ["query", "interval"],
    ]


@pytest.mark.parametrize(
    ("operation", "model"), [("listArticles", ListQuery), ("tagTimeline", TimelineQuery)]
)
def test_the_document_lists_every_field_the_model_reads(
    client: TestClient, operation: str, model: type[FilterQuery]
) -> None:
    document = client.get("/openapi.json").json()
    found = next(
        op
        for ops in document["paths"].values()
        for op in ops.values()
        if op["operationId"] == operation
    )
    in_query = {p["name"]: p for p in found["parameters"] if p["in"] == "query"}
    assert set(model.model_fields) <= set(in_query)
    assert in_query["tag"]["schema"]["type"] == "array"
    assert in_query["tag"]["schema"]["maxItems"] == 20
    # Absent, never null: a query string cannot say null.
    assert in_query["published_after"]["schema"] == {
        "type": "string",
        "format": "date",
        "description": "Inclusive, YYYY-MM-DD",
        "title": "Published After",
    }
