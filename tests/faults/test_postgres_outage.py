"""PostgreSQL going away under a 2-worker server carrying four scrapers and two readers: every
failure is a 503 problem (never a 500, a hang or a dropped connection), service comes back
within seconds of the database, every confirmed write is there, and retries leave one copy."""

import time
from collections.abc import Callable

import pytest
from sqlalchemy import select

from app.db.engines import make_sync_engine
from app.db.models import Article
from tests.faults.conftest import Cluster, ingest_key, serving
from tests.faults.load import PROBLEM, Load

# Generous for a busy 2-core machine; measured figures are printed (pytest -s) and in README.
RECOVERY_SECONDS = 15.0
LONG_OUTAGE_SECONDS = 10.0
EXPECTED_FAILURES = {(503, "database_unavailable"), (409, "idempotency_key_in_flight")}


def restart(cluster: Cluster) -> None:
    cluster.restart()


def long_outage(cluster: Cluster) -> None:
    cluster.stop()
    time.sleep(LONG_OUTAGE_SECONDS)
    cluster.start()


@pytest.mark.parametrize("outage", [restart, long_outage])
def test_postgres_outage_under_load(
    cluster: Cluster, pg_database: str, outage: Callable[[Cluster], None]
) -> None:
    with serving(pg_database) as base:
        load = Load(base, ingest_key(pg_database))
        load.start()
        wait_for_confirmed(load, 10)
        went_down = time.monotonic()
        outage(cluster)
        back_up = time.monotonic()
        wait_for_confirmed(load, len(load.confirmed) + 10)
        load.finish()

    assert load.transport_errors == []
    assert load.never_stored == []
    failures = load.failures()
    assert failures, "the outage went unnoticed: the test did not break anything"
    for seen in failures:
        # A retry that overtakes the record of its first attempt's failure is told to wait.
        assert (seen.status, seen.code) in EXPECTED_FAILURES
        assert (seen.content_type, seen.retry_after) == (PROBLEM, "1")
    last_failure = max(seen.ended for seen in failures)
    assert last_failure - back_up < RECOVERY_SECONDS
    served_again = min(
        (seen.ended for seen in load.answers if seen.started >= back_up and seen.status < 400),
        default=float("inf"),
    )
    assert served_again - back_up < RECOVERY_SECONDS
    assert_stored_once(pg_database, load.confirmed)
    print(
        f"\n{outage.__name__}: database down {back_up - went_down:.1f} s, "
        f"{len(failures)} of {len(load.answers)} requests failed "
        f"({sum(seen.status == 409 for seen in failures)} of them 409), "
        f"last failure {last_failure - back_up:+.1f} s and first success "
        f"{served_again - back_up:+.1f} s after the database was back"
    )


def wait_for_confirmed(load: Load, count: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while len(load.confirmed) < count:
        assert time.monotonic() < deadline, f"only {len(load.confirmed)} of {count} stored"
        time.sleep(0.1)


def assert_stored_once(database_url: str, confirmed: dict[str, int]) -> None:
    """Every confirmed write under the id it was confirmed with, and nothing else."""
    engine = make_sync_engine(database_url)
    with engine.connect() as connection:
        stored = connection.execute(select(Article.url, Article.id)).all()
    engine.dispose()
    assert dict(stored) == confirmed
    assert len(stored) == len(confirmed)
