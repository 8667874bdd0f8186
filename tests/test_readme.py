"""Every example in the README is true: its shell block runs against a live server."""

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.config import Settings
from tests.conftest import ROOT, newsdb_command, newsdb_env
from tests.servers import free_port, local_url, serving

README = (ROOT / "README.md").read_text()


def shell_block(after_heading: str) -> str:
    section = README.split(f"## {after_heading}\n", 1)[1]
    match = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert match, f"no sh block under {after_heading!r}"
    return match.group(1)


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    port = free_port()
    env = newsdb_env(DATABASE_URL=f"sqlite:///{tmp_path / 'readme.sqlite3'}")
    subprocess.run(newsdb_command("migrate"), env=env, check=True, capture_output=True)
    with serving(newsdb_command("serve", "--port", str(port)), port, env):
        yield local_url(port), env


@pytest.mark.skipif(shutil.which("curl") is None, reason="the README's examples use curl")
def test_the_try_it_examples_work_as_written(live_server: tuple[str, dict[str, str]]) -> None:
    base, env = live_server
    blocks = [
        shell_block("Try it"),
        shell_block("The API"),
        shell_block("Raw-text ingest"),
        shell_block("Fetched pages: HTML in, a filed article out"),
    ]
    script = "".join(blocks).replace("http://127.0.0.1:8000", base)
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert '"title":"How will Iran’s proxies in Iraq respond to US election?"' in result.stdout
    assert '"url":"https://jpost.com/middle-east/iran-news/article-828012"' in result.stdout
    assert '"next_cursor":null,"total":1' in result.stdout
    # The filter example finds the article, with a highlighted snippet and facet counts.
    assert "<mark>drone</mark>" in result.stdout
    assert '"facets":{"issues":[{"slug":"iran","name":"Iran","count":1}' in result.stdout
    # The raw scrape is a new piece (its body is not the structured example's),
    # filed with the loaded vocabulary and the bio moved to its author.
    assert '"created":true' in result.stdout
    assert '"name":"Iran Global Threat Network","found_by":"vocabulary"' in result.stdout
    assert '"attributed_to":"Seth J. Frantzman"' in result.stdout
    # The saved page and its visible text: the same headline and author from both.
    title = '"title":"Physicists Just Created the Most Detailed Simulation of the Universe in '
    title += 'History"'
    assert result.stdout.count(title) == 2
    assert result.stdout.count('"name":"Tim Childers"') == 2
    assert '"input":"html"' in result.stdout and '"input":"page text"' in result.stdout
    assert '"language":"en"' in result.stdout and '"name":"Live Science"' in result.stdout


def test_the_quick_start_commands_are_the_makefile_targets() -> None:
    assert shell_block("Quick start").strip() == "make run"
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^run: ", makefile, re.MULTILINE)
    assert re.search(r"^test: ", makefile, re.MULTILINE)


def test_every_setting_is_documented_in_env_example() -> None:
    example = (ROOT / ".env.example").read_text()
    for name in Settings.model_fields:
        assert re.search(rf"^#? ?{name.upper()}=", example, re.MULTILINE), name
