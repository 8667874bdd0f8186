"""The selected tag's timeline drawn as an SVG chart, the co-occurring tags beside it: what the
page draws is what the API answers."""

from typing import Any

import httpx
import pytest

from tests.frontend.conftest import NEEDS_CHROMIUM, Servers, until

pytestmark = NEEDS_CHROMIUM


def _seed_attention(servers: Servers) -> None:
    """Floods on seven articles over four days (peak: three on 2024-03-06), with Rain on four of
    them and Dhaka (another taxonomy) on two; Drought alone; Archive 34 years apart."""
    for number, (published_at, tags) in enumerate(
        [
            ("2024-03-04T09:00:00Z", {"Topics": ["Floods", "Rain"]}),
            ("2024-03-06T08:00:00Z", {"Topics": ["Floods", "Rain"]}),
            ("2024-03-06T12:00:00Z", {"Topics": ["Floods", "Rain"], "Places": ["Dhaka"]}),
            ("2024-03-06T16:00:00Z", {"Topics": ["Floods"]}),
            ("2024-03-10T09:00:00Z", {"Topics": ["Floods"], "Places": ["Dhaka"]}),
            ("2024-04-02T09:00:00Z", {"Topics": ["Floods", "Rain"]}),
            ("2024-04-02T15:00:00Z", {"Topics": ["Floods"]}),
            ("2023-08-15T09:00:00Z", {"Topics": ["Drought"]}),
            ("1990-01-01T09:00:00Z", {"Topics": ["Archive"]}),
            ("2024-05-01T09:00:00Z", {"Topics": ["Archive"]}),
        ]
    ):
        body = "Cracked riverbeds." if "Drought" in tags["Topics"] else "Water everywhere."
        servers.post(f"Weather {number:02d}", published_at, tags, body)


def test_the_selected_tag_is_charted_with_the_tags_seen_beside_it(
    servers: Servers, browser: Any
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    _seed_attention(servers)

    def api(path: str, **params: Any) -> Any:
        return httpx.get(f"{servers.api}/v1/taxonomies/{path}", params=params).json()

    def status() -> str:
        return str(browser.find_element(By.ID, "status").text)

    def charted(tag: str, interval: str) -> bool:
        """The topic section shows this tag, fetched, drawn by this interval if drawn at all."""
        return bool(
            browser.execute_script(
                "const s = document.getElementById('topic');"
                "const svg = document.querySelector('#timeline svg');"
                "return s.dataset.tag === arguments[0] && !s.hasAttribute('aria-busy') &&"
                " document.getElementById('interval').value === arguments[1] &&"
                " (svg ? svg.dataset.interval === arguments[1] : true);",
                tag,
                interval,
            )
        )

    def bars() -> list[list[Any]]:
        return list(
            browser.execute_script(
                "return [...document.querySelectorAll('#timeline svg g.bucket')].map((g) =>"
                " [g.getAttribute('data-start'), Number(g.getAttribute('data-count')),"
                "  Number(g.querySelector('.bar').getAttribute('height')),"
                "  g.querySelector('title').textContent]);"
            )
        )

    def svg_text(selector: str) -> str:
        return str(browser.find_element(By.CSS_SELECTOR, f"#timeline svg {selector}").text)

    def label() -> str:
        svg = browser.find_element(By.CSS_SELECTOR, "#timeline svg")
        assert svg.get_attribute("role") == "img"
        return str(svg.get_attribute("aria-label"))

    def beside() -> list[tuple[str, str, str]]:
        buttons = browser.find_elements(By.CSS_SELECTOR, "#cooccurring button")
        return [(b.get_attribute("data-tag"), *b.text.rsplit(maxsplit=1)) for b in buttons]

    def selected() -> list[str]:
        buttons = browser.find_elements(By.CSS_SELECTOR, "#selected button")
        return [str(b.get_attribute("data-selected")) for b in buttons]

    def api_beside(path: str) -> list[tuple[str, str, str]]:
        return [
            (f"{t['taxonomy_slug']}:{t['slug']}", t["name"], str(t["count"]))
            for t in api(f"{path}/cooccurring", limit=12)
        ]

    browser.get(servers.page)
    until(browser, lambda _: status() == "10 articles")
    assert not browser.find_element(By.ID, "topic").is_displayed()

    # Select Floods from the facets: charted by month, the API's default.
    browser.find_element(By.CSS_SELECTOR, 'button[data-facet="topics:floods"]').click()
    until(browser, lambda _: charted("topics:floods", "month") and status() == "7 articles")
    assert browser.find_element(By.ID, "topic-name").text == "Floods"
    monthly = api("topics/tags/floods/timeline", interval="month")
    assert [(b[0], b[1]) for b in bars()] == [(b["start"], b["count"]) for b in monthly["buckets"]]
    assert [(b[0], b[1]) for b in bars()] == [("2024-03", 5), ("2024-04", 2)]
    assert label() == "7 articles from 2024-03 to 2024-04, peak 5 in 2024-03"

    # By day: one bar per day the API returns, empty days included, the peak the tallest.
    Select(browser.find_element(By.ID, "interval")).select_by_value("day")
    until(browser, lambda _: charted("topics:floods", "day"))
    daily = api("topics/tags/floods/timeline", interval="day")
    assert len(daily["buckets"]) == 30  # 2024-03-04 to 2024-04-02
    assert [(b[0], b[1]) for b in bars()] == [(b["start"], b["count"]) for b in daily["buckets"]]
    assert label() == "7 articles from 2024-03-04 to 2024-04-02, peak 3 on 2024-03-06"
    heights = {start: height for start, _, height, _ in bars()}
    # The plot is 132 units high: the peak fills it, a day of one article is a third of it.
    assert heights["2024-03-06"] == 132 and heights["2024-03-04"] == pytest.approx(44)
    assert heights["2024-03-05"] == 0
    assert [title for start, *_, title in bars() if start == "2024-03-06"] == [
        "2024-03-06: 3 articles"
    ]
    assert (svg_text(".first"), svg_text(".last"), svg_text(".max")) == (
        "2024-03-04",
        "2024-04-02",
        "3",
    )

    # Beside it, the co-occurring tags as the API ranks them, another taxonomy's included.
    assert beside() == api_beside("topics/tags/floods")
    assert beside() == [("topics:rain", "Rain", "4"), ("places:dhaka", "Dhaka", "2")]

    # Clicking one selects it as a facet would (the list narrows to both) and charts it.
    browser.find_element(By.CSS_SELECTOR, '#cooccurring button[data-tag="places:dhaka"]').click()
    until(browser, lambda _: charted("places:dhaka", "day") and status() == "2 articles")
    assert browser.find_element(By.ID, "topic-name").text == "Dhaka"
    assert selected() == ["topics:floods", "places:dhaka"]  # Dhaka has no facet: deselect here
    assert browser.find_element(By.ID, "topic-scope").text == (
        "The listed articles: also tagged Floods."
    )
    narrowed = api("places/tags/dhaka/timeline", interval="day", tag="topics:floods")
    assert [(b[0], b[1]) for b in bars()] == [(b["start"], b["count"]) for b in narrowed["buckets"]]
    assert len(bars()) == 5
    assert label() == "2 articles from 2024-03-06 to 2024-03-10, peak 1 on 2024-03-06"
    assert beside() == api_beside("places/tags/dhaka")
    assert beside() == [("topics:floods", "Floods", "2"), ("topics:rain", "Rain", "1")]
    pressed = browser.find_elements(By.CSS_SELECTOR, '#cooccurring button[aria-pressed="true"]')
    assert [b.get_attribute("data-tag") for b in pressed] == ["topics:floods"]

    # A search none of the listed articles match: no articles, a message and no chart.
    browser.find_element(By.ID, "q").send_keys("riverbeds\n")
    until(browser, lambda _: status() == "0 articles")
    until(
        browser, lambda _: browser.find_element(By.ID, "topic-scope").text.endswith("“riverbeds”.")
    )
    empty = api("places/tags/dhaka/timeline", interval="day", tag="topics:floods", q="riverbeds")
    assert empty == {"interval": "day", "buckets": [], "total": 0}
    assert browser.find_element(By.ID, "timeline").text == "No articles for Dhaka."
    assert not browser.find_elements(By.CSS_SELECTOR, "#timeline svg")

    # Deselecting the charted tag charts the one selected before it, under the same search.
    browser.find_element(By.CSS_SELECTOR, '#selected button[data-selected="places:dhaka"]').click()
    until(browser, lambda _: charted("topics:floods", "day"))
    assert selected() == ["topics:floods"]
    assert browser.find_element(By.ID, "timeline").text == "No articles for Floods."
    assert (
        browser.find_element(By.ID, "topic-scope").text
        == "The listed articles: matching “riverbeds”."
    )

    # Too many days for the API: its problem is shown; by month the chart has every month.
    browser.get(f"{servers.page}&interval=day")
    until(browser, lambda _: status() == "10 articles")
    browser.find_element(By.CSS_SELECTOR, 'button[data-facet="topics:archive"]').click()
    problem = httpx.get(
        f"{servers.api}/v1/taxonomies/topics/tags/archive/timeline", params={"interval": "day"}
    )
    assert problem.status_code == 422 and problem.json()["title"] == "Invalid input"
    until(browser, lambda _: charted("topics:archive", "day") and status() == "2 articles")
    assert browser.find_element(By.ID, "timeline").text == (
        f"Could not load the timeline: Invalid input: {problem.json()['detail']}"
    )
    assert browser.find_element(By.ID, "cooccurring").text == "No other tags on its articles."
    Select(browser.find_element(By.ID, "interval")).select_by_value("month")
    until(browser, lambda _: charted("topics:archive", "month"))
    assert len(bars()) == len(api("topics/tags/archive/timeline")["buckets"]) == 413
    assert label() == "2 articles from 1990-01 to 2024-05, peak 1 in 1990-01"

    # Deselecting the only tag puts the chart away.
    browser.find_element(By.CSS_SELECTOR, 'button[data-facet="topics:archive"]').click()
    until(browser, lambda _: status() == "10 articles")
    assert not browser.find_element(By.ID, "topic").is_displayed()
