"""A SQLite write held up by another process's lock waits up to SQLITE_BUSY_TIMEOUT_MS for
it: it succeeds if the lock is released in time, and is refused with a 503 `database_busy`
problem (Retry-After) soon after that time if not — not once per internal retry."""

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from app.db.migrate import upgrade
from tests.faults.conftest import ingest_key, serving
from tests.faults.load import PROBLEM, article

HOLDER = """
import sqlite3, sys, time
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
connection.execute("COMMIT")
"""


@contextmanager
def locked(path: Path, seconds: float) -> Iterator[None]:
    """Another process holds the write lock for `seconds` (or until the block ends)."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        yield
    finally:
        holder.kill()
        holder.wait(timeout=10)


def test_a_write_waits_for_another_process_lock(tmp_path: Path) -> None:
    path = tmp_path / "newsdb.sqlite3"
    upgrade(f"sqlite:///{path}")
    headers = {"Authorization": f"Bearer {ingest_key(f'sqlite:///{path}')}"}
    with serving(f"sqlite:///{path}", workers=1, SQLITE_BUSY_TIMEOUT_MS="30000") as base:
        with locked(path, seconds=3):
            started = time.monotonic()
            assert httpx.get(f"{base}/v1/articles").status_code == 200  # reads go on
            stored = httpx.post(
                f"{base}/v1/articles", json=article("w"), headers=headers, timeout=60
            )
            waited = time.monotonic() - started
        assert stored.status_code == 201, stored.text
        assert waited > 1  # the lock was held for 3 s after "locked"
        print(f"\nthe write waited {waited:.1f} s for a lock held 3 s")


def test_a_write_gives_up_after_the_busy_timeout(tmp_path: Path) -> None:
    path = tmp_path / "newsdb.sqlite3"
    upgrade(f"sqlite:///{path}")
    headers = {"Authorization": f"Bearer {ingest_key(f'sqlite:///{path}')}"}
    with serving(f"sqlite:///{path}", workers=1, SQLITE_BUSY_TIMEOUT_MS="3000") as base:
        with locked(path, seconds=60):
            started = time.monotonic()
            refused = httpx.post(
                f"{base}/v1/articles", json=article("w"), headers=headers, timeout=60
            )
            waited = time.monotonic() - started
        assert refused.status_code == 503, refused.text
        assert refused.headers["content-type"] == PROBLEM
        assert refused.headers["retry-after"] == "1"
        assert refused.json()["code"] == "database_busy"
        # 3 s of busy timeout, not 5 attempts × 3 s; slack for a busy machine
        assert 2 < waited < 12
        print(f"\nthe write gave up after {waited:.1f} s (SQLITE_BUSY_TIMEOUT_MS=3000)")
        stored = httpx.post(f"{base}/v1/articles", json=article("w"), headers=headers, timeout=60)
        assert stored.status_code == 201, stored.text
