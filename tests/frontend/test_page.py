"""The page lists articles, filters by a topic from the facet counts, pages with the cursor and
searches."""

from typing import Any

import pytest

from tests.frontend.conftest import NEEDS_CHROMIUM, Servers, until

pytestmark = NEEDS_CHROMIUM


@pytest.fixture
def site(servers: Servers) -> str:
    """Twelve articles, Iran and Iraq in turn, one a day in January 2024; returns the page."""
    for number in range(12):
        servers.post(
            f"Story {number:02d}",
            f"2024-01-{number + 1:02d}",
            {"Topics": ["Iran" if number % 2 else "Iraq"]},
            "Drone strikes hit the depot." if number == 3 else f"Report number {number}.",
        )
    return servers.page


def test_the_frontend_lists_filters_pages_and_searches(site: str, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    def titles() -> list[str]:
        return [h.text for h in browser.find_elements(By.CSS_SELECTOR, "article h3")]

    def status() -> str:
        return str(browser.find_element(By.ID, "status").text)

    browser.get(site)
    until(browser, lambda _: status() == "12 articles")
    assert titles()[:2] == ["Story 11", "Story 10"] and len(titles()) == 10

    browser.find_element(By.ID, "more").click()
    until(browser, lambda _: len(titles()) == 12)
    assert titles()[-1] == "Story 00" and len(set(titles())) == 12

    facet = browser.find_element(By.CSS_SELECTOR, 'button[data-facet="topics:iran"]')
    assert facet.text.split() == ["Iran", "6"]
    facet.click()
    until(browser, lambda _: status() == "6 articles")
    assert all(int(title.split()[1]) % 2 for title in titles())

    facet = browser.find_element(By.CSS_SELECTOR, 'button[data-facet="topics:iran"]')
    facet.click()  # off again
    until(browser, lambda _: status() == "12 articles")
    box = browser.find_element(By.ID, "q")
    box.send_keys("drone\n")
    until(browser, lambda _: status() == "1 articles")
    assert titles() == ["Story 03"]
    mark = browser.find_element(By.CSS_SELECTOR, "article mark")
    assert mark.text.lower() == "drone"
