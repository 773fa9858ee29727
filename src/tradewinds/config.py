"""One settings object for the whole application (TRADEWINDS_* environment variables)."""

from __future__ import annotations

import os
import secrets
from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TRADEWINDS_", extra="ignore")

    home: Path = Field(default=Path("./.tradewinds"), description="data directory")
    database_url: str | None = Field(default=None, description="app DB; SQLite in HOME if unset")
    warehouse_url: str | None = Field(
        default=None, description="warehouse; a DuckDB file in HOME if unset"
    )
    session_idle_minutes: int = 60
    session_max_hours: int = 24 * 7
    secure_cookies: bool = Field(
        default=True, description="mark cookies Secure (browsers accept them on http://127.0.0.1)"
    )
    login_max_failures: int = 5
    login_lockout_minutes: int = 15
    require_services: bool = False
    drain_seconds: float = Field(
        default=60, description="move collected events into the warehouse this often (0: off)")
    sync_minutes: float = Field(
        default=60, description="read live connectors (Shopify, Meta) this often (0: off)")
    warehouse_memory_limit: str = Field(
        default="1GB",
        description="most memory one DuckDB warehouse file may use (then it spills to disk "
        "or stops the query)",
    )
    warehouse_threads: int = Field(
        default=2, ge=1, description="threads one DuckDB warehouse file may use"
    )

    @property
    def home_dir(self) -> Path:
        path = self.home.expanduser().resolve()
        path.mkdir(parents=True, exist_ok=True)
        return path

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{self.home_dir / 'tradewinds.db'}"

    @property
    def secret_key(self) -> str:
        return load_or_create_secret(self.home_dir / "secret.key")


def load_or_create_secret(path: Path) -> str:
    """Return the instance secret, creating it with 0600 permissions on first use."""
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key


@lru_cache
def get_settings() -> Settings:
    return Settings()


def reset_settings() -> None:
    """Forget cached settings (tests and the CLI call this after changing the environment)."""
    get_settings.cache_clear()
