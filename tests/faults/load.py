"""Scrapers and readers hammering a server from threads while a test breaks its database;
everything each of them saw is kept for the test to judge."""

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

PROBLEM = "application/problem+json"
REQUEST_TIMEOUT = 30.0  # a hang shows as a timeout, recorded as a transport error


@dataclass
class Seen:
    """One answer: when its request started and ended (monotonic), what came back."""

    started: float
    ended: float
    status: int
    code: str | None
    retry_after: str | None
    content_type: str


@dataclass
class Load:
    base: str
    key: str
    scrapers: int = 4
    readers: int = 2
    confirmed: dict[str, int] = field(default_factory=dict)  # URL -> article id
    answers: list[Seen] = field(default_factory=list)
    transport_errors: list[str] = field(default_factory=list)
    never_stored: list[str] = field(default_factory=list)  # URLs a scraper gave up on
    _stop: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)

    def start(self) -> None:
        jobs: list[Callable[[], None]] = [
            *(lambda n=n: self._scrape(n) for n in range(self.scrapers)),
            *(self._read for _ in range(self.readers)),
        ]
        self._threads = [threading.Thread(target=job, daemon=True) for job in jobs]
        for thread in self._threads:
            thread.start()

    def finish(self) -> None:
        """Stop starting new pieces; each scraper first sees its last piece stored."""
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=120)
            assert not thread.is_alive(), "a load thread did not finish"

    def failures(self) -> list[Seen]:
        return [seen for seen in self.answers if seen.status >= 400]

    def _scrape(self, client: int) -> None:
        headers = {"Authorization": f"Bearer {self.key}"}
        with httpx.Client(base_url=self.base, headers=headers, timeout=REQUEST_TIMEOUT) as http:
            number = 0
            while not self._stop.is_set():
                piece = article(f"s{client}-{number}")
                # Half the scrapers also send an Idempotency-Key: their retries replay.
                key = {"Idempotency-Key": piece["url"]} if client % 2 else {}
                self._until_stored(http, piece, key)
                number += 1

    def _until_stored(self, http: httpx.Client, piece: dict[str, Any], key: dict[str, str]) -> None:
        """What a well-behaved scraper does: the same body again after Retry-After."""
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            response = self._send(http.post, "/v1/articles", json=piece, headers=key)
            if response is not None and response.status_code in (200, 201):
                self.confirmed[piece["url"]] = response.json()["id"]
                return
            wait = response.headers.get("retry-after", "1") if response is not None else "1"
            time.sleep(min(float(wait), 2.0))
        self.never_stored.append(piece["url"])
        self._stop.set()

    def _read(self) -> None:
        with httpx.Client(base_url=self.base, timeout=REQUEST_TIMEOUT) as http:
            while not self._stop.is_set():
                self._send(http.get, "/v1/articles", params={"limit": 5, "total": "false"})
                time.sleep(0.05)

    def _send(
        self, method: Callable[..., httpx.Response], *args: Any, **kwargs: Any
    ) -> httpx.Response | None:
        started = time.monotonic()
        try:
            response = method(*args, **kwargs)
        except httpx.TransportError as error:
            self.transport_errors.append(f"{type(error).__name__}: {error}")
            time.sleep(0.5)
            return None
        problem = response.headers.get("content-type") == PROBLEM
        self.answers.append(
            Seen(
                started,
                time.monotonic(),
                response.status_code,
                response.json().get("code") if problem else None,
                response.headers.get("retry-after"),
                response.headers.get("content-type", ""),
            )
        )
        return response


def article(name: str) -> dict[str, Any]:
    return {
        "url": f"https://faults.example/{name}",
        "title": f"Piece {name}",
        "body": f"The body of piece {name}.",
        "published_at": "2024-05-01",
        "outlet": "Faults Daily",
        "authors": ["A. Writer"],
        "tags": {"Topics": ["Outages", f"Topic {name[-1]}"]},
    }
