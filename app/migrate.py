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


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)
