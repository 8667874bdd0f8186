"""Models and migrations never drift, and the migrations run both ways."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

from app.db.engines import make_sync_engine
from app.db.migrate import alembic_config, include_in_autogenerate, upgrade
from app.db.models import Base
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


def _revisions() -> list[str]:
    scripts = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return [script.revision for script in reversed(list(scripts.walk_revisions()))][:-1]


@pytest.mark.parametrize("start", _revisions())
def test_data_survives_every_migration_to_head(empty_database: str, start: str) -> None:
    """Rows written under any earlier schema are all there at head, and what later revisions
    derive from them (fingerprint bands, the search index) is filled in."""
    upgrade(empty_database, start)
    engine = make_sync_engine(empty_database)
    fingerprint = -4629348444774885999
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql(
                "INSERT INTO outlets (id, name, slug, created_at)"
                " VALUES (1, 'O', 'o', '2024-01-01')"
            )
            connection.exec_driver_sql(
                "INSERT INTO articles (id, url, title, body, published_at, published_time_known,"
                " outlet_id, identity_key, fingerprint, created_at, updated_at) VALUES"
                " (1, 'https://e.com/1', 'Drone report', 'Militias launched drones.',"
                f" '2024-01-02', false, 1, 'k', {fingerprint}, '2024-01-02', '2024-01-02')"
            )
            connection.exec_driver_sql(
                "INSERT INTO taxonomies (id, name, slug, created_at)"
                " VALUES (1, 'T', 't', '2024-01-01')"
            )
            connection.exec_driver_sql(
                "INSERT INTO tags (id, taxonomy_id, name, slug, created_at)"
                " VALUES (1, 1, 'Iran', 'iran', '2024-01-01')"
            )
            connection.exec_driver_sql(
                "INSERT INTO article_tags (article_id, tag_id, position, source, published_at)"
                " VALUES (1, 1, 0, 'given', '2024-01-02')"
            )
        upgrade(empty_database)
        with engine.connect() as connection:
            row = connection.exec_driver_sql(
                "SELECT fingerprint_band0, fingerprint_band3 FROM articles WHERE id = 1"
            ).one()
            unsigned = fingerprint & (2**64 - 1)
            if start == "0001":  # 0002 derives the bands of rows stored before it
                assert tuple(row) == (unsigned & 0xFFFF, unsigned >> 48)
            assert connection.exec_driver_sql("SELECT origin FROM tags").scalar_one() == "given"
            assert connection.exec_driver_sql("SELECT count(*) FROM article_tags").scalar_one() == 1
            search = (
                "SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'militias'"
                if engine.dialect.name == "sqlite"
                else "SELECT id FROM articles"
                " WHERE search_vector @@ to_tsquery('english', 'militia')"
            )
            assert connection.exec_driver_sql(search).scalar_one() == 1
            # 0014's triggers, or its fill of tags stored before it, keep each tag's JSON.
            assert connection.exec_driver_sql("SELECT json_text FROM tags").scalar_one() == (
                '{"taxonomy":"T","taxonomy_slug":"t","name":"Iran","slug":"iran"}'
            )
            if start < "0012":  # 0012 copies the outlet onto links stored before it
                outlets = "SELECT outlet_id FROM article_tags"
                assert connection.exec_driver_sql(outlets).scalar_one() == 1
            if start < "0016":  # 0016 sets each link's bit for each of its article's tags
                bits = "SELECT tag_bits FROM article_tags"
                assert connection.exec_driver_sql(bits).scalar_one() == 1 << 1
            if start < "0015":  # 0015 writes the excerpt of articles stored before it
                excerpts = "SELECT excerpt FROM articles"
                assert connection.exec_driver_sql(excerpts).scalar_one() == (
                    "Militias launched drones."
                )
    finally:
        engine.dispose()


def test_postgresql_is_set_up_for_short_reads_and_downgrade_restores_it() -> None:
    """0010 stores bodies uncompressed out of line (an excerpt reads only the opening) and
    0013 tells the planner the data is cached (with the default it read every tag for each
    article of a page); downgrading restores PostgreSQL's defaults."""
    url = create_postgres_database()
    settings = (
        "SELECT current_setting('random_page_cost'), attstorage FROM pg_attribute"
        " WHERE attrelid = 'articles'::regclass AND attname = 'body'"
    )
    try:
        upgrade(url)
        engine = make_sync_engine(url)  # settings on the database reach new sessions
        with engine.connect() as connection:
            assert tuple(connection.exec_driver_sql(settings).one()) == ("1.1", "e")
        engine.dispose()
        command.downgrade(alembic_config(url), "0009")
        engine = make_sync_engine(url)
        with engine.connect() as connection:
            assert tuple(connection.exec_driver_sql(settings).one()) == ("4", "x")
        engine.dispose()
    finally:
        drop_postgres_database(url)
