"""examples/frontend in a real browser: the API and the static page served on two origins (a
real frontend's setup, so CORS is exercised), and headless Chromium to drive the page."""

import importlib.util
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import ROOT, newsdb_command, newsdb_env
from tests.servers import free_port, local_url, serving

CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")
# Each test module here sets `pytestmark = NEEDS_CHROMIUM`.
NEEDS_CHROMIUM = pytest.mark.skipif(
    not (CHROMIUM and CHROMEDRIVER and importlib.util.find_spec("selenium")),
    reason="no Chromium here: apt-get install chromium chromium-driver (.ci/run does); "
    "selenium is a test extra",
)


@dataclass
class Servers:
    api: str
    page: str  # the frontend's index.html, talking to `api`
    key: str

    def post(self, title: str, published_at: str, tags: dict[str, list[str]], body: str) -> None:
        httpx.post(
            f"{self.api}/v1/articles",
            json={
                "title": title,
                "body": body,
                "published_at": published_at,
                "outlet": "Reuters",
                "tags": tags,
            },
            headers={"Authorization": f"Bearer {self.key}"},
        ).raise_for_status()


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[Servers]:
    """The API on one port, the static frontend on another, no articles yet."""
    api_port, site_port = free_port(), free_port()
    api, site_origin = local_url(api_port), local_url(site_port)
    env = newsdb_env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'front.sqlite3'}", CORS_ORIGINS=site_origin
    )
    subprocess.run(newsdb_command("migrate"), env=env, check=True, capture_output=True)
    key = subprocess.run(
        newsdb_command("keys", "create", "front"),
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()[-1]
    static_site = [sys.executable, "-m", "http.server", str(site_port), "--bind", "127.0.0.1"]
    static_site += ["--directory", str(ROOT / "examples/frontend")]
    with (
        serving(newsdb_command("serve", "--port", str(api_port)), api_port, env),
        serving(static_site, site_port, probe="/"),
    ):
        yield Servers(api, f"{site_origin}/index.html?api={api}&facets=topics", key)


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        f"--user-data-dir={tmp_path / 'chromium'}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def until(browser: Any, condition: Any, timeout: float = 15) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(browser, timeout).until(condition)
