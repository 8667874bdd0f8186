"""Property-based API testing: schemathesis generates requests for every operation from the
app's own OpenAPI document and checks that none gets a server error, every response matches
the documented schema, and a request the document allows is refused only for a reason JSON
Schema cannot say (which the document says in words). Bounded so that the suite stays fast."""

import re
import subprocess
import tempfile
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.conftest import newsdb_command, newsdb_env
from tests.servers import free_port, local_url, serving

# What a request its schema allows may still be refused for, by problem code (and the opening
# of the detail, where the code is a general one): a cursor the API did not issue (cursors are
# opaque), a taxonomy's slug that is not its name's, a scrape with no article in it, a sort by
# relevance without `q`, a tag merged into itself or under its own descendant, a rename onto
# another tag, a timeline of more than 5,000 buckets.
DOCUMENTED_REFUSALS = {
    "invalid_cursor": ("",),
    "slug_mismatch": ("",),
    "unparseable_text": ("",),
    "conflict": ("",),
    "invalid_input": (
        "sort=relevance ranks search hits",
        "a tag cannot be merged into itself",
        "more than 5000",
    ),
}
DESCENDANT = re.compile(r"'.*' is '.*' or one of its descendants")


def _refused_as_documented(status: int, problem: dict[str, Any]) -> bool:
    if status in (401, 403, 404) or DESCENDANT.fullmatch(problem.get("detail", "")):
        return True
    openings = DOCUMENTED_REFUSALS.get(problem.get("code", ""), ())
    return any(problem.get("detail", "").startswith(opening) for opening in openings)


@pytest.fixture(scope="module")
def live_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    folder = tmp_path_factory.mktemp("schemathesis")
    env = newsdb_env(DATABASE_URL=f"sqlite:///{folder / 'st.sqlite3'}")
    subprocess.run(newsdb_command("migrate"), env=env, check=True, capture_output=True)
    key = subprocess.run(
        newsdb_command("keys", "create", "fuzz", "--scopes", "admin"),
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()[-1]
    port = free_port()
    server_log = folder / "server.log"
    serve = newsdb_command("serve", "--port", str(port), "--log-level", "warning")
    with (
        server_log.open("wb") as log,
        serving(
            serve,
            port,
            env,
            stderr=log,
            cwd=tempfile.gettempdir(),  # no stray .env
        ),
    ):
        base = local_url(port)
        seed = {
            "title": "Seed",
            "body": "Seed body about Iran.",
            "published_at": "2024-01-01",
            "outlet": "Seed Outlet",
            "authors": ["Seed Author"],
            "tags": {"Topics": ["Iran"]},
        }
        httpx.post(f"{base}/v1/articles", json=seed, headers={"Authorization": f"Bearer {key}"})
        yield base, key
    errors = server_log.read_text()
    assert "Traceback" not in errors, errors


def test_no_operation_fails_or_breaks_its_schema(live_api: tuple[str, str]) -> None:
    base, key = live_api
    schema = schemathesis.openapi.from_url(f"{base}/openapi.json")
    operations = []
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), f"an operation schemathesis cannot read: {result}"
        operations.append(result.ok())
    assert len(operations) > 20

    for operation in operations:

        @settings(
            max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), database=None
        )
        @given(case=operation.as_strategy())
        def check(case: Any) -> None:
            response = case.call_and_validate(
                base_url=base,
                headers={"Authorization": f"Bearer {key}"},
                # Its stand-in below knows the refusals the document explains in words.
                excluded_checks=[positive_data_acceptance],
            )
            if 400 <= response.status_code < 500:
                problem = response.json()
                assert _refused_as_documented(response.status_code, problem), (
                    f"{case.operation.label} refused a request its schema allows: {problem}\n"
                    f"{case.as_curl_command()}"
                )

        check()
