"""Run Alembic from code: `newsdb migrate`, the tests and the compose file all use this."""

import time
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from app.db.engines import is_sqlite, sync_url
from app.errors import ServiceUnavailable, driver_message

# The checkout (or install) root that holds app/ and migrations/.
_ROOT = Path(__file__).resolve().parents[2]


def alembic_config(database_url: str) -> Config:
    for root in (_ROOT, Path.cwd()):
        if (root / "migrations" / "env.py").exists():
            config = Config(str(root / "alembic.ini"))
            config.set_main_option("script_location", str(root / "migrations"))
            config.attributes["database_url"] = database_url
            config.attributes["configure_logging"] = False
            return config
    raise FileNotFoundError("the migrations/ folder is not beside the app package or here")


def is_search_object(name: str | None, kind: str) -> bool:
    """The engine-specific search objects of migration 0003, which the models don't describe."""
    if name is None:
        return False
    if kind == "table":
        return name.startswith("articles_fts")
    return name in {"search_vector", "ix_articles_search_vector"}


def include_in_autogenerate(
    _object: object, name: str | None, kind: str, _reflected: bool, _compare_to: object
) -> bool:
    return not is_search_object(name, kind)


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


def wait_for_database(database_url: str, seconds: float) -> None:
    """Return once PostgreSQL accepts a connection, or raise ServiceUnavailable after `seconds`:
    a migration started beside a server that is still starting (compose, a reboot) waits for
    it. A SQLite file needs no waiting."""
    if is_sqlite(database_url):
        return
    engine = create_engine(sync_url(database_url), connect_args={"connect_timeout": 5})
    deadline = time.monotonic() + seconds
    try:
        while True:
            try:
                with engine.connect() as connection:
                    connection.execute(text("SELECT 1"))
                return
            except DBAPIError as error:
                if time.monotonic() >= deadline:
                    raise _unreachable(database_url, seconds, error) from None
                time.sleep(1)
    finally:
        engine.dispose()


def _unreachable(database_url: str, seconds: float, error: DBAPIError) -> ServiceUnavailable:
    where = make_url(database_url).render_as_string(hide_password=True)
    return ServiceUnavailable(
        f"the database at {where} did not answer within {seconds:g} s ({driver_message(error)}); "
        "is it running? (newsdb migrate --wait SECONDS waits longer)"
    )
