"""Fixtures shared by the API tests."""

import pytest
from fastapi.testclient import TestClient

ARTICLES = [
    # (slug-ish name, day, outlet, authors, Issues, Topics, body)
    (
        "a",
        "2024-01-01",
        "Reuters",
        ["Ann Lee"],
        ["Iran"],
        ["Hezbollah"],
        "Drone attacks rose near the border. <script>alert(1)</script> Officials said little.",
    ),
    (
        "b",
        "2024-01-05",
        "Reuters",
        ["Bo Chan"],
        ["Iran", "Israel"],
        ["Hamas"],
        "Negotiations over the hostages stalled in Cairo.",
    ),
    (
        "c",
        "2024-02-10",
        "Haaretz",
        ["Ann Lee", "Bo Chan"],
        ["Israel"],
        ["Hezbollah", "Hamas"],
        "Hezbollah fired rockets; drone attacks continued overnight.",
    ),
    (
        "d",
        "2024-03-15",
        "Al-Monitor",
        [],
        ["Syria"],
        ["Iran"],
        "Militias in Syria reorganised after strikes on their drone depots.",
    ),
]


@pytest.fixture
def corpus(client: TestClient, ingest_headers: dict[str, str]) -> dict[str, int]:
    ids = {}
    for name, day, outlet, authors, issues, topics, body in ARTICLES:
        response = client.post(
            "/v1/articles",
            json={
                "url": f"https://example.com/{name}",
                "title": f"Story {name.upper()} report",
                "body": body,
                "published_at": day,
                "outlet": outlet,
                "authors": authors,
                "tags": {"Issues": issues, "Topics": topics},
            },
            headers=ingest_headers,
        )
        assert response.status_code == 201, response.text
        ids[name] = response.json()["id"]
    return ids
