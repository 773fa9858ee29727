"""A server keeps each DuckDB warehouse file open between page views, and lets it go when
another process asks for it.

Closing the last connection to a DuckDB file closes the database: the next page view
opens the file again (its metadata read, its write-ahead log replayed) and starts with an
empty buffer pool, so every query reads its columns from disk again. A long-running server
(the app's lifespan calls :func:`enable`) therefore holds one extra connection per file it
has opened — a *keeper* — so that the page views' own connections find the database open
(DuckDB shares one database per file within a process).

DuckDB lets one process at a time open a file, so a keeper must not lock out a CLI import
or a worker running apart. A process that finds a file locked (``duckdb_backend``) leaves a
marker beside it, ``<file>.wanted``; the server checks for markers twice a second and closes
the keeper of a wanted file, so the file is free as soon as the page views in flight have
finished. While the marker is there the server keeps no keeper for that file; the other
process removes the marker once it has the file. A keeper idle for
``TRADEWINDS_WAREHOUSE_KEEP_OPEN`` seconds (default 30; 0 turns keepers off) is closed too.

This is written here rather than taken from a library: it is a few lines over DuckDB's own
per-process database sharing, which no connection pool knows about.
"""

from __future__ import annotations

import contextlib
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_POLL_SECONDS = 0.5
_lock = threading.Lock()
_kept: dict[str, _Keeper] = {}
_state = {"seconds": 0.0}
_reaper: list[threading.Thread] = []
_stop = threading.Event()


@dataclass
class _Keeper:
    connection: Any
    last_used: float


def marker(path: str) -> Path:
    """The file another process leaves while it waits for ``path``."""
    return Path(f"{path}.wanted")


def wanted(path: str, *, stale_after: float = 30.0) -> bool:
    """Whether another process waits for ``path`` (a marker it refreshed within
    ``stale_after`` seconds; an older one was left by a process that gave up or died)."""
    try:
        age = time.time() - marker(path).stat().st_mtime
    except OSError:
        return False
    return age < stale_after


def want(path: str) -> None:
    """Say that this process waits for ``path`` (refreshes the marker)."""
    with contextlib.suppress(OSError):
        marker(path).touch()


def unwant(path: str) -> None:
    with contextlib.suppress(OSError):
        marker(path).unlink(missing_ok=True)


def enabled() -> bool:
    return _state["seconds"] > 0


def enable(seconds: float) -> None:
    """Keep files open for ``seconds`` after their last use (0: off), from now on in this
    process; starts the thread that closes idle and wanted files."""
    _state["seconds"] = max(0.0, float(seconds))
    if not enabled():
        release_all()
        return
    with _lock:
        if _reaper and _reaper[0].is_alive():
            return
        _stop.clear()
        thread = threading.Thread(target=_reap_loop, name="warehouse-keep-open", daemon=True)
        _reaper[:] = [thread]
        thread.start()


def disable() -> None:
    """Close every keeper and keep no more (the app's shutdown)."""
    _state["seconds"] = 0.0
    _stop.set()
    release_all()


def hold(path: str, connect: Any) -> None:
    """After a unit of work opened ``path``: make sure a keeper holds it (``connect()``
    opens one more connection to the same database), or note that it was used now."""
    if not enabled() or path == ":memory:":
        return
    now = time.monotonic()
    with _lock:
        keeper = _kept.get(path)
        if keeper is not None:
            keeper.last_used = now
            return
    if wanted(path):
        return
    connection = connect()
    with _lock:
        if path in _kept:  # another thread was quicker
            _kept[path].last_used = now
        else:
            _kept[path] = _Keeper(connection, now)
            connection = None
    if connection is not None:
        with contextlib.suppress(Exception):
            connection.close()


def is_held(path: str) -> bool:
    with _lock:
        return path in _kept


def release(path: str) -> None:
    """Close the keeper of ``path`` (if any): the file closes when the last page view using
    it has finished."""
    with _lock:
        keeper = _kept.pop(path, None)
    if keeper is not None:
        with contextlib.suppress(Exception):
            keeper.connection.close()


def release_all() -> None:
    with _lock:
        paths = list(_kept)
    for path in paths:
        release(path)


def reap(now: float | None = None) -> list[str]:
    """Close the keepers of files another process wants or nobody used for the set time;
    the paths closed."""
    now = time.monotonic() if now is None else now
    with _lock:
        items = list(_kept.items())
    closed = []
    for path, keeper in items:
        if wanted(path) or now - keeper.last_used > _state["seconds"]:
            release(path)
            closed.append(path)
    return closed


def _reap_loop() -> None:
    while not _stop.wait(_POLL_SECONDS):
        with contextlib.suppress(Exception):
            reap()
