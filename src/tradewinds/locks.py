"""Locks that hold across processes and die with their holder.

Work that writes a workspace's warehouse holds ``warehouse:<key>``; the task queue holds
``task:<id>`` while a task runs, so another process can tell that a task was left behind
by a worker that is gone (the lock is free, the task's record is still there).

Either lock is released by the operating system or the database server when the holding
process dies, even by ``kill -9``, so a crashed worker never leaves a lock behind:

* with a PostgreSQL app DB: a session-level advisory lock on a connection of its own
  (several machines share it; the key is a hash of the app DB address and the lock name,
  so two installations on one server do not meet);
* otherwise: ``flock`` on a file under ``TRADEWINDS_HOME/locks/`` (one machine, which is
  what a SQLite app DB and a DuckDB warehouse file mean anyway).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tradewinds.config import get_settings

POLL_SECONDS = 0.2
#: the lock of a workspace's warehouse writes (imports, drains, syncs, rate uploads)
WAREHOUSE = "warehouse:{workspace_key}"
_engines: dict[str, Any] = {}
_engines_lock = threading.Lock()


class LockBusy(Exception):
    """The lock is held elsewhere and the caller asked not to wait (or waited long enough)."""

    def __init__(self, name: str) -> None:
        super().__init__(f"{name} is held by other work")
        self.name = name


def warehouse_lock(workspace_key: str) -> str:
    """The name of the lock every writer of ``workspace_key``'s warehouse holds."""
    return WAREHOUSE.format(workspace_key=workspace_key)


def _file_for(name: str) -> Path:
    folder = get_settings().home_dir / "locks"
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(name.encode()).hexdigest()[:32]
    return folder / f"{digest}.lock"


def _advisory_key(url: str, name: str) -> int:
    digest = hashlib.blake2b(f"{url}\n{name}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _engine(url: str) -> Any:
    import sqlalchemy as sa
    from sqlalchemy.pool import NullPool

    with _engines_lock:
        if url not in _engines:
            _engines[url] = sa.create_engine(url, poolclass=NullPool)
        return _engines[url]


def _uses_postgres(url: str) -> bool:
    return url.startswith(("postgresql", "postgres:"))


@contextmanager
def _file_lock(name: str, deadline: float | None) -> Iterator[None]:
    fd = os.open(_file_for(name), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if deadline is not None and time.monotonic() >= deadline:
                    raise LockBusy(name) from None
                time.sleep(POLL_SECONDS)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


@contextmanager
def _advisory_lock(url: str, name: str, deadline: float | None) -> Iterator[None]:
    import sqlalchemy as sa

    key = _advisory_key(url, name)
    with _engine(url).connect() as conn:
        while not conn.execute(sa.text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar():
            conn.rollback()
            if deadline is not None and time.monotonic() >= deadline:
                raise LockBusy(name)
            time.sleep(POLL_SECONDS)
        conn.commit()
        try:
            yield
        finally:
            conn.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": key})
            conn.commit()


@contextmanager
def hold(name: str, *, wait: float | None = None) -> Iterator[None]:
    """Hold lock ``name`` for the ``with`` block, waiting for it as long as needed
    (``wait`` seconds at most: then :class:`LockBusy`; ``wait=0``: do not wait)."""
    deadline = None if wait is None else time.monotonic() + wait
    url = get_settings().db_url
    if _uses_postgres(url):
        with _advisory_lock(url, name, deadline):
            yield
    else:
        with _file_lock(name, deadline):
            yield


def is_held(name: str) -> bool:
    """Whether some process (this one included) holds ``name`` right now."""
    try:
        with hold(name, wait=0):
            return False
    except LockBusy:
        return True


def dispose() -> None:
    """Close the lock connections' engines (tests switching app DBs call this)."""
    with _engines_lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()
