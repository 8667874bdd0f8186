"""Run Alembic from code: `newsdb migrate`, the tests and the compose file all use this."""

from pathlib import Path

from alembic import command
from alembic.config import Config

_HERE = Path(__file__).resolve().parent


def alembic_config(database_url: str) -> Config:
    for root in (_HERE.parent, Path.cwd()):
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
