"""Models and migrations never drift, and the migrations run both ways."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect

from app.db import make_sync_engine
from app.migrate import alembic_config, include_in_autogenerate, upgrade
from app.models import Base
from tests.conftest import create_postgres_database, drop_postgres_database


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    url = create_postgres_database()
    try:
        yield url
    finally:
        drop_postgres_database(url)


def _differences(engine: Engine) -> list[object]:
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                "render_as_batch": True,
                "include_object": include_in_autogenerate,
            },
        )
        return list(compare_metadata(context, Base.metadata))


def test_upgrade_head_matches_the_models_and_downgrade_undoes_it(empty_database: str) -> None:
    upgrade(empty_database)
    engine = make_sync_engine(empty_database)
    try:
        assert _differences(engine) == []
        command.downgrade(alembic_config(empty_database), "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        # The search objects belong to the migrations: they must be gone too.
        with engine.connect() as connection:
            leftovers = connection.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE name LIKE 'articles_fts%'"
                if engine.dialect.name == "sqlite"
                else "SELECT relname FROM pg_class WHERE relname LIKE 'ix_articles_search%%'"
            ).all()
        assert leftovers == []
        upgrade(empty_database)
        assert _differences(engine) == []
    finally:
        engine.dispose()
