"""examples/frontend in a real browser (headless Chromium), served from another origin than the
API: lists articles, filters by a topic from the facet counts, pages with the cursor, searches."""

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import ROOT
from tests.test_compose import _free_port

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is a test extra")
CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and CHROMEDRIVER),
    reason="no Chromium here: apt-get install chromium chromium-driver (.ci/run does)",
)


def _wait_http(url: str) -> None:
    for _ in range(100):
        try:
            httpx.get(url)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} never answered")


@pytest.fixture
def site(tmp_path: Path) -> Iterator[str]:
    """The API on one port, the static frontend on another; returns the page's URL."""
    api_port, site_port = _free_port(), _free_port()
    site_origin = f"http://127.0.0.1:{site_port}"
    env = os.environ | {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'front.sqlite3'}",
        "CORS_ORIGINS": site_origin,
    }
    newsdb = str(Path(sys.executable).parent / "newsdb")
    subprocess.run([newsdb, "migrate"], env=env, check=True, capture_output=True)
    key = subprocess.run(
        [newsdb, "keys", "create", "front"], env=env, check=True, capture_output=True, text=True
    ).stdout.split()[-1]
    processes = [
        subprocess.Popen(
            [newsdb, "serve", "--port", str(api_port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        ),
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "http.server",
                str(site_port),
                "--bind",
                "127.0.0.1",
                "--directory",
                str(ROOT / "examples/frontend"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        ),
    ]
    api = f"http://127.0.0.1:{api_port}"
    try:
        _wait_http(f"{api}/health")
        _wait_http(site_origin)
        for number in range(12):
            topic = "Iran" if number % 2 else "Iraq"
            body = "Drone strikes hit the depot." if number == 3 else f"Report number {number}."
            httpx.post(
                f"{api}/v1/articles",
                json={
                    "title": f"Story {number:02d}",
                    "body": body,
                    "published_at": f"2024-01-{number + 1:02d}",
                    "outlet": "Reuters",
                    "tags": {"Topics": [topic]},
                },
                headers={"Authorization": f"Bearer {key}"},
            ).raise_for_status()
        yield f"{site_origin}/index.html?api={api}&facets=topics"
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=20)


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
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


def _until(browser: Any, condition: Any, timeout: float = 15) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(browser, timeout).until(condition)


def test_the_frontend_lists_filters_pages_and_searches(site: str, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    def titles() -> list[str]:
        return [h.text for h in browser.find_elements(By.CSS_SELECTOR, "article h3")]

    def status() -> str:
        return str(browser.find_element(By.ID, "status").text)

    browser.get(site)
    _until(browser, lambda _: status() == "12 articles")
    assert titles()[:2] == ["Story 11", "Story 10"] and len(titles()) == 10

    browser.find_element(By.ID, "more").click()
    _until(browser, lambda _: len(titles()) == 12)
    assert titles()[-1] == "Story 00" and len(set(titles())) == 12

    facet = browser.find_element(By.CSS_SELECTOR, 'button[data-facet="topics:iran"]')
    assert facet.text.split() == ["Iran", "6"]
    facet.click()
    _until(browser, lambda _: status() == "6 articles")
    assert all(int(title.split()[1]) % 2 for title in titles())

    facet = browser.find_element(By.CSS_SELECTOR, 'button[data-facet="topics:iran"]')
    facet.click()  # off again
    _until(browser, lambda _: status() == "12 articles")
    box = browser.find_element(By.ID, "q")
    box.send_keys("drone\n")
    _until(browser, lambda _: status() == "1 articles")
    assert titles() == ["Story 03"]
    mark = browser.find_element(By.CSS_SELECTOR, "article mark")
    assert mark.text.lower() == "drone"
