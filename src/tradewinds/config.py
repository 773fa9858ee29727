"""One settings object for the whole application (TRADEWINDS_* environment variables)."""

from __future__ import annotations

import os
import secrets
import stat
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
        default=60, description="move collected events into the warehouse this often (0: off)"
    )
    sync_minutes: float = Field(
        default=60, description="read live connectors (Shopify, Meta) this often (0: off)"
    )
    queue_url: str | None = Field(
        default=None,
        description="task queue: redis://host:port/db for workers on several machines, "
        "sqlite:///path; a SQLite file in HOME (queue.db) if unset",
    )
    queue_name: str = Field(
        default="tradewinds",
        description="the queue's name in its storage (two installations on one Redis differ)",
    )
    queue_threads: int = Field(default=2, ge=1, description="threads each worker runs tasks on")
    embedded_worker: bool | None = Field(
        default=None,
        description="the web server runs queued work itself (default: yes, unless the "
        "queue is on Redis, where `tradewinds worker` processes run it)",
    )
    fx_daily_url: str = Field(
        default="https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml",
        description="ECB reference rates a running server adds once a day (empty: off)",
    )
    warehouse_memory_limit: str = Field(
        default="1GB",
        description="most memory one DuckDB warehouse file may use (then it spills to disk "
        "or stops the query)",
    )
    warehouse_threads: int = Field(
        default=2, ge=1, description="threads one DuckDB warehouse file may use"
    )
    gc_freeze: bool = Field(
        default=True,
        description="at start-up, move what start-up built out of the garbage collector's way "
        "(gc.freeze), so full collections during page views walk only what requests made",
    )
    warehouse_keep_open: float = Field(
        default=30,
        ge=0,
        description="seconds a server keeps a DuckDB warehouse file open after its last use, "
        "so page views find its data in memory; another process asking for the file gets it "
        "at once (0: close after every page view)",
    )

    @property
    def home_dir(self) -> Path:
        """HOME, created and kept private (see ``make_private``)."""
        path = self.home.expanduser().resolve()
        make_private(path)
        return path

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{self.home_dir / 'tradewinds.db'}"

    @property
    def secret_key(self) -> str:
        return load_or_create_secret(self.home_dir / "secret.key")


PRIVATE_UMASK = 0o077  # files 0600, directories 0700
_private_homes: set[Path] = set()


def make_private(home: Path) -> None:
    """Keep everything Tradewinds writes readable by its own user only.

    Sets the process umask to 0077, so every file and directory created from here on — the
    app database, warehouse files and their write-ahead logs, uploads, the collector's
    event log, the audit head — is 0600/0700 whoever creates it (DuckDB, SQLite, our own
    code). HOME itself is created 0700, and the first time a process uses it, HOME and
    everything already in it lose their group and other bits (data written by a version
    that did not do this). Files not owned by this user are left alone.
    """
    os.umask(PRIVATE_UMASK)
    home.mkdir(mode=0o700, parents=True, exist_ok=True)
    if home in _private_homes:
        return
    _strip_group_and_other(home)
    for root, dirs, files in os.walk(home):
        for name in dirs + files:
            _strip_group_and_other(Path(root) / name)
    _private_homes.add(home)


def _strip_group_and_other(path: Path) -> None:
    try:
        info = path.lstat()
        if stat.S_ISLNK(info.st_mode) or info.st_uid != os.getuid():
            return
        if stat.S_IMODE(info.st_mode) & 0o077:
            path.chmod(stat.S_IMODE(info.st_mode) & ~0o077)
    except OSError:  # vanished meanwhile, or not ours to change
        return


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
