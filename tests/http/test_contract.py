"""The OpenAPI document is true: real answers of every operation, and of the cases that shape
them (the default list, `fields=`, a search, facets, a batch's invalid items, a dry run,
problems), validate against the schema documented for their status and media type. Answers
that succeed are held to their shapes exactly: every documented field that is required is
there, and no field comes that the document does not name."""

import copy
import gzip
import re
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest
from fastapi.testclient import TestClient
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from app.ingest.pipeline import parse_article
from app.ingest.pipeline.from_html import parse_html
from app.main import create_app
from tests.conftest import ROOT
from tests.ingest.test_router import EXPECTED, RAW, load_issues

PIPELINE = ROOT / "tests/ingest/pipeline"
BASE = "urn:newsdb:openapi"


def _closed(schema: Any) -> Any:
    """The document with every object that lists its properties closed to others."""
    if isinstance(schema, dict):
        closed = {key: _closed(value) for key, value in schema.items()}
        if "properties" in schema and "additionalProperties" not in schema:
            closed["additionalProperties"] = False
        return closed
    if isinstance(schema, list):
        return [_closed(value) for value in schema]
    return schema


class Contract:
    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.open = Registry().with_resource(BASE, DRAFT202012.create_resource(document))
        closed = _closed(copy.deepcopy(document))
        self.closed = Registry().with_resource(BASE, DRAFT202012.create_resource(closed))
        self.templates = [
            (re.compile("^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(path)) + "$"), path)
            for path in document["paths"]
        ]

    def operation(self, method: str, path: str) -> tuple[str, dict[str, Any]]:
        found = [template for pattern, template in self.templates if pattern.match(path)]
        assert found, f"{path} is no documented path"
        template = min(found, key=lambda t: t.count("{"))
        operations = self.document["paths"][template]
        assert method.lower() in operations, f"{method} {template} is not documented"
        return template, operations[method.lower()]

    def check(self, response: httpx.Response) -> Any:
        """Validate a response against its documented schema; its JSON."""
        request = response.request
        template, operation = self.operation(request.method, request.url.path)
        status = str(response.status_code)
        assert status in operation["responses"], (
            f"{request.method} {template} answered {status}, which it does not document: "
            f"{response.text[:300]}"
        )
        media = response.headers.get("content-type", "").split(";")[0].strip()
        documented = operation["responses"][status]
        where = ("paths", template, request.method.lower(), "responses", status)
        if "$ref" in documented:  # a shared response: components/responses/...
            where = tuple(documented["$ref"].removeprefix("#/").split("/"))
            documented = self.document["components"]["responses"][where[-1]]
        if response.status_code == 304:
            assert not response.content and "content" not in documented
            return None
        assert media in documented.get("content", {}), f"{template} {status} is not {media}"
        if "json" not in media:
            return response.text
        body = response.json()
        pointer = "/".join(part.replace("~", "~0").replace("/", "~1") for part in where)
        registry = self.closed if response.is_success else self.open
        self.validate(body, f"#/{pointer}/content/{media.replace('/', '~1')}/schema", registry)
        return body

    def validate(self, value: Any, pointer: str, registry: Registry | None = None) -> None:
        validator = jsonschema.Draft202012Validator(
            {"$ref": BASE + pointer}, registry=registry or self.closed
        )
        errors = sorted(validator.iter_errors(value), key=lambda e: list(e.absolute_path))
        assert not errors, "\n".join(
            f"{'/'.join(map(str, e.absolute_path))}: {e.message[:300]}" for e in errors[:10]
        )

    def is_a(self, value: Any, name: str) -> None:
        """Validate against one named schema (exactly: closed objects)."""
        self.validate(value, f"#/components/schemas/{name}")


@pytest.fixture(scope="module")
def contract() -> Contract:
    return Contract(create_app().openapi())


def test_the_default_list_is_fully_typed_and_fields_trim_it(
    contract: Contract, client: TestClient, corpus: dict[str, int]
) -> None:
    schemas = contract.document["components"]["schemas"]
    item = schemas["ArticleListItem"]
    always = {"id", "url", "title", "subtitle", "published_at", "outlet", "authors", "tags"}
    assert always | {"excerpt", "created_at", "updated_at"} <= set(item["required"])
    assert "snippet" not in item["required"] and "body" not in item["properties"]
    assert not schemas["TrimmedArticle"].get("required")

    page = contract.check(client.get("/v1/articles"))
    assert len(page["items"]) == 4
    contract.is_a(page, "ArticlePage")
    assert all("snippet" not in item for item in page["items"])

    searched = contract.check(client.get("/v1/articles", params={"q": "drone"}))
    contract.is_a(searched, "ArticlePage")
    assert searched["items"] and all("<mark>" in item["snippet"] for item in searched["items"])

    faceted = contract.check(
        client.get(
            "/v1/articles",
            params={"facets": "issues,outlet,author,month", "total": "false", "limit": 2},
        )
    )
    contract.is_a(faceted, "ArticlePage")
    assert faceted["facets"]["outlet"] and faceted["total"] is None and faceted["next_cursor"]
    following = client.get("/v1/articles", params={"cursor": faceted["next_cursor"], "limit": 2})
    contract.is_a(contract.check(following), "ArticlePage")

    for params in (
        {"fields": "id,title"},
        {"fields": "title,body,snippet,score"},
        {"fields": "score,snippet,excerpt", "q": "drone", "sort": "relevance"},
        {"fields": "outlet,authors,tags,url,language,credit,syndicated_from"},
    ):
        trimmed = contract.check(client.get("/v1/articles", params=params))
        contract.is_a(trimmed, "TrimmedArticlePage")
        assert trimmed["items"]
        chosen = set(params["fields"].split(",")) - ({"snippet"} if "q" not in params else set())
        assert all(set(item) == chosen for item in trimmed["items"]), trimmed["items"][0]

    related = contract.check(client.get(f"/v1/articles/{corpus['a']}/related"))
    assert related
    contract.check(client.get(f"/v1/articles/{corpus['a']}"))


def test_vocabulary_pages_and_analysis_are_as_documented(
    contract: Contract,
    client: TestClient,
    corpus: dict[str, int],
    admin_headers: dict[str, str],
) -> None:
    loaded = client.put(
        "/v1/taxonomies/regions", json={"name": "Regions", "tags": ["Gulf"]}, headers=admin_headers
    )
    assert loaded.status_code == 201
    contract.check(loaded)
    contract.check(
        client.put(
            "/v1/taxonomies/regions",
            json={"name": "Regions", "tags": ["Gulf"]},
            headers=admin_headers,
        )
    )
    for path in (
        "/v1/taxonomies",
        "/v1/taxonomies/issues",
        "/v1/taxonomies/issues/tags",
        "/v1/taxonomies/issues/tags/iran",
        "/v1/taxonomies/issues/tags/iran/timeline",
        "/v1/taxonomies/issues/tags/iran/cooccurring",
        "/v1/authors",
        "/v1/authors/ann-lee",
        "/v1/outlets",
        "/v1/outlets/reuters",
        "/health",
    ):
        response = client.get(path)
        assert response.status_code == 200, f"{path}: {response.text}"
        contract.check(response)
    contract.check(client.get("/v1/taxonomies/issues/tags/iran/timeline?interval=week&q=drone"))
    contract.check(client.get("/v1/taxonomies", params={"limit": 1}))
    changed = client.patch(
        "/v1/taxonomies/issues/tags/israel", json={"parent": "iran"}, headers=admin_headers
    )
    assert contract.check(changed)["parent"] == {"name": "Iran", "slug": "iran"}
    merged = client.post(
        "/v1/taxonomies/issues/tags/syria/merge", json={"into": "iran"}, headers=admin_headers
    )
    assert contract.check(merged)["aliases"] == ["syria"]
    for path in ("/v1/authors/ann-lee/feed", "/v1/outlets/reuters/feed"):
        assert "<feed" in contract.check(client.get(path))


def test_batches_and_ingest_are_as_documented(
    contract: Contract, client: TestClient, ingest_headers: dict[str, str]
) -> None:
    item = {"title": "A", "body": "One.", "published_at": "2024-11-07", "outlet": "Example"}
    batch = client.post(
        "/v1/articles/batch",
        json=[item | {"url": "https://example.com/a"}, item, {"title": "No body"}],
        headers=ingest_headers,
    )
    results = contract.check(batch)["results"]
    assert [r["status"] for r in results] == ["created", "existing", "invalid"]
    assert results[1]["matched_by"] == "outlet+title+day"

    load_issues(client, ingest_headers)
    request = EXPECTED["request"] | {"text": RAW}
    dry = client.post(
        "/v1/ingest", params={"dry_run": "true"}, json=request, headers=ingest_headers
    )
    assert contract.check(dry)["report"]["dry_run"] is True
    created = client.post("/v1/ingest", json=request, headers=ingest_headers)
    assert created.status_code == 201
    report = contract.check(created)["report"]
    assert "dry_run" not in report and report["sections"] and report["author"]["bios"]
    again = client.post("/v1/ingest", json=request, headers=ingest_headers)
    assert contract.check(again)["report"]["duplicate"]["rule"] == "url"
    mixed = client.post(
        "/v1/ingest/batch", json=[request, {"text": "Hello."}, {"text": ""}], headers=ingest_headers
    )
    results = contract.check(mixed)["results"]
    assert [r["status"] for r in results] == ["existing", "error", "error"]
    assert results[1]["error"]["code"] == "unparseable_text"


def test_problems_are_as_documented(
    contract: Contract, client: TestClient, ingest_headers: dict[str, str]
) -> None:
    for response, code in (
        (client.get("/v1/articles/99"), "not_found"),
        (client.get("/v1/articles", params={"cursor": "bogus"}), "invalid_cursor"),
        (client.get("/v1/articles", params={"fields": "id,password"}), "invalid_input"),
        (client.get("/v1/articles", params={"limit": 0}), "validation_error"),
        (client.post("/v1/articles", json={}), "unauthorized"),
        (
            client.post("/v1/ingest", json={"text": "Hello."}, headers=ingest_headers),
            "unparseable_text",
        ),
        (
            client.post(
                "/v1/articles",
                content=b"{",
                headers=ingest_headers | {"Content-Type": "application/json"},
            ),
            "malformed_json",
        ),
    ):
        assert response.headers["content-type"] == "application/problem+json"
        assert contract.check(response)["code"] == code, response.text


def _pages() -> list[Path]:
    return sorted((PIPELINE / "html/pages").glob("*.html.gz"))


def _texts() -> list[Path]:
    return sorted([*(PIPELINE / "page_text").glob("*.txt"), *(PIPELINE / "corpus").glob("*.txt")])


def test_every_parse_report_is_as_documented(contract: Contract) -> None:
    """The pipeline's report, for every saved scrape and page, is what IngestReport documents
    (less what filing the article adds)."""
    document = copy.deepcopy(contract.document)
    ingest_report = document["components"]["schemas"]["IngestReport"]
    filing = {"author", "tags", "duplicate", "dry_run"}
    parse_report = ingest_report | {
        "properties": {k: v for k, v in ingest_report["properties"].items() if k not in filing},
        "required": [name for name in ingest_report["required"] if name not in filing],
    }
    document["components"]["schemas"]["ParseReport"] = parse_report
    contract = Contract(document)
    assert len(_pages()) >= 20 and len(_texts()) >= 40
    for path in _texts():
        report = parse_article(path.read_text(encoding="utf-8")).report.to_dict()
        contract.is_a(report, "ParseReport")
    for path in _pages():
        html = gzip.decompress(path.read_bytes()).decode("utf-8", "replace")
        contract.is_a(parse_html(html, None).report.to_dict(), "ParseReport")


def test_what_the_api_gives_back_fits_what_it_declares_it_takes(
    contract: Contract, client: TestClient, corpus: dict[str, int]
) -> None:
    """Slugs and cursors a client got are ones it may send: they match the declared patterns."""
    parameters = {
        (path, parameter["name"]): parameter["schema"]
        for path, operations in contract.document["paths"].items()
        for operation in operations.values()
        for parameter in operation.get("parameters", [])
    }

    def fits(path: str, name: str, value: str) -> None:
        schema = parameters[(path, name)]
        assert re.search(schema["pattern"], value) and len(value) <= schema["maxLength"], value

    page = client.get("/v1/articles", params={"limit": 1}).json()
    fits("/v1/articles", "cursor", page["next_cursor"])
    relevant = client.get("/v1/articles", params={"limit": 1, "q": "drone", "sort": "relevance"})
    fits("/v1/articles", "cursor", relevant.json()["next_cursor"])
    for item in client.get("/v1/articles").json()["items"]:
        fits("/v1/outlets/{slug}", "slug", item["outlet"]["slug"])
        for author in item["authors"]:
            fits("/v1/authors/{slug}", "slug", author["slug"])
        for tag in item["tags"]:
            fits("/v1/taxonomies/{taxonomy}/tags/{slug}", "taxonomy", tag["taxonomy_slug"])
            fits("/v1/taxonomies/{taxonomy}/tags/{slug}", "slug", tag["slug"])
    for path, template in (
        ("/v1/taxonomies", "/v1/taxonomies"),
        ("/v1/authors", "/v1/authors"),
        ("/v1/outlets", "/v1/outlets"),
        ("/v1/taxonomies/issues/tags", "/v1/taxonomies/{slug}/tags"),
    ):
        fits(template, "cursor", client.get(path, params={"limit": 1}).json()["next_cursor"])


def test_what_the_layers_around_the_routes_answer_is_documented(
    contract: Contract,
    make_client: Any,
    client: TestClient,
    corpus: dict[str, int],
    admin_headers: dict[str, str],
) -> None:
    """Conditional GETs, conflicts, the rate limit and the URL and header limits."""
    first = client.get("/v1/articles/1")
    again = client.get("/v1/articles/1", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    contract.check(again)
    renamed = client.patch(
        "/v1/taxonomies/issues/tags/israel", json={"name": "Iran"}, headers=admin_headers
    )
    assert contract.check(renamed)["code"] == "conflict"
    limited = make_client(rate_limit_per_minute=1)
    limited.get("/v1/outlets")
    assert contract.check(limited.get("/v1/outlets"))["code"] == "rate_limited"
    too_long = client.get("/v1/articles", params={"q": "x" * 65_530})  # 65,545 bytes
    assert contract.check(too_long)["code"] == "uri_too_long"
    too_large = client.get("/health", headers={f"x-{n}": "y" * 1_000 for n in range(70)})
    assert contract.check(too_large)["code"] == "header_too_large"
