"""Settings, read from the environment (and an optional `.env` file)."""

from functools import lru_cache
from typing import Annotated

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///./newsdb.sqlite3"


class Settings(BaseSettings):
    """Every knob newsdb has; `.env.example` documents each one."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    # Reads may go to a replica; unset means "the primary".
    database_read_url: str | None = None
    require_key_for_reads: bool = False
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    max_body_bytes: int = Field(default=16_000_000, ge=1_000)
    max_batch_items: int = Field(default=500, ge=1)
    # Requests a minute per API key (per address without one); 0 turns rate limiting off.
    rate_limit_per_minute: int = Field(default=0, ge=0)
    db_pool_size: int = Field(default=10, ge=1)
    sqlite_busy_timeout_ms: int = Field(default=30_000, ge=0)

    @model_validator(mode="after")
    def _replica_of_postgres(self) -> "Settings":
        read_url = self.database_read_url
        if read_url and not all(
            url.startswith("postgresql") for url in (self.database_url, read_url)
        ):
            raise ValueError(
                "DATABASE_READ_URL names a PostgreSQL replica of a PostgreSQL DATABASE_URL "
                "(SQLite has no replicas)"
            )
        return self

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value


@lru_cache
def get_settings() -> Settings:
    return Settings()
