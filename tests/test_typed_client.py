"""A typed client sees the API as the OpenAPI document says: openapi-typescript generates a
client from the live document and a small frontend (tests/typed_client/client.ts: lists,
an article, a problem's code, facets, a tag, an ingest report) compiles against it with
`tsc --strict`. The tools are pinned in tests/typed_client/package-lock.json and installed
with `npm ci` into tests/typed_client/node_modules (ignored by git), again only when the lock
changes."""

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from app.config import Settings
from app.main import create_app
from tests.conftest import ROOT

HERE = ROOT / "tests/typed_client"
STAMP = HERE / "node_modules/.newsdb-installed"


def _npm() -> str:
    node, npm = shutil.which("node"), shutil.which("npm")
    if not (node and npm):
        reason = "no node and npm here: apt-get install nodejs npm (.ci/run does)"
        if os.environ.get("REQUIRE_NODE"):  # CI: a missing tool is a failure
            pytest.fail(reason)
        pytest.skip(reason)
    assert npm is not None
    return npm


@pytest.fixture(scope="module")
def bin_dir() -> Path:
    """node_modules/.bin with the pinned tools, `npm ci` run only when the lock changed."""
    npm = _npm()
    wanted = hashlib.sha256(
        (HERE / "package.json").read_bytes() + (HERE / "package-lock.json").read_bytes()
    ).hexdigest()
    if not STAMP.exists() or STAMP.read_text() != wanted:
        installed = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=HERE,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert installed.returncode == 0, installed.stdout + installed.stderr
        STAMP.write_text(wanted)
    return HERE / "node_modules/.bin"


def test_a_strict_typescript_frontend_compiles_against_the_generated_client(
    bin_dir: Path, tmp_path: Path
) -> None:
    document = create_app(Settings(_env_file=None)).openapi()
    (tmp_path / "openapi.json").write_text(json.dumps(document))
    generated = subprocess.run(
        [bin_dir / "openapi-typescript", "openapi.json", "--output", "api.ts"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert generated.returncode == 0, generated.stdout + generated.stderr
    shutil.copy(HERE / "client.ts", tmp_path / "client.ts")
    compiled = subprocess.run(
        [
            bin_dir / "tsc",
            "--strict",
            "--noEmit",
            "--target",
            "es2022",
            "--lib",
            "es2022,dom",
            "--module",
            "es2022",
            "--moduleResolution",
            "bundler",
            "client.ts",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert compiled.returncode == 0, (
        "client.ts does not compile against the client generated from the OpenAPI document:\n"
        + compiled.stdout
        + compiled.stderr
    )
