"""A small in-process job runner: a thread pool, one job at a time per key.

Jobs are functions; what they did is recorded by the service that submitted them (for
imports, ``ingest/history.py``). Nothing survives the process: a job that was queued or
running when the server stopped is found at the next start by :func:`runner_alive` and
marked failed by its owner, never left "running" forever.

Each process has a ``RUNNER_ID`` (``host:pid:token``) that jobs store, so a restarted
server (even one that got the same pid, as in a container) knows the job is not its own.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

log = logging.getLogger("tradewinds.jobs")

DEFAULT_WORKERS = 2
RUNNER_ID = f"{socket.gethostname()[:120]}:{os.getpid()}:{secrets.token_hex(6)}"


def runner_alive(runner_id: str | None) -> bool:
    """Whether the process that stored ``runner_id`` may still be running its job.

    Our own id: yes. Same host, our pid with another token (we restarted), or a pid that
    no longer exists: no. Another host: assume yes (we cannot tell).
    """
    if not runner_id:
        return False
    if runner_id == RUNNER_ID:
        return True
    host, _, rest = runner_id.partition(":")
    pid_text, _, _token = rest.partition(":")
    if host != RUNNER_ID.partition(":")[0]:
        return True
    try:
        pid = int(pid_text)
    except ValueError:
        return False
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class JobRunner:
    """Run submitted functions on a few threads; jobs with the same key run one by one."""

    def __init__(self, *, workers: int = DEFAULT_WORKERS) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="tw-job")
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()
        self._futures: set[Future[None]] = set()
        self.closed = False

    def _lock(self, key: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(key, threading.Lock())

    def exclusive(self, key: str) -> threading.Lock:
        """The lock jobs with ``key`` hold: ``with runner.exclusive(key):`` runs work on the
        calling thread, never beside a job with the same key."""
        return self._lock(key)

    def submit(self, fn: Callable[[], None], *, key: str) -> Future[None]:
        lock = self._lock(key)

        def run() -> None:
            with lock:
                try:
                    fn()
                except Exception:  # the job records its own failure; never kill the thread
                    log.exception("background job %s failed", key)

        future = self._pool.submit(run)
        with self._guard:
            self._futures.add(future)
        future.add_done_callback(self._forget)
        return future

    def _forget(self, future: Future[None]) -> None:
        with self._guard:
            self._futures.discard(future)

    def pending(self) -> int:
        with self._guard:
            return len(self._futures)

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for every submitted job; True if all finished within ``timeout``."""
        from concurrent.futures import wait

        with self._guard:
            futures = list(self._futures)
        done, not_done = wait(futures, timeout=timeout)
        return not not_done

    def shutdown(self, *, wait: bool = False) -> None:
        """Stop taking jobs; queued ones are dropped (found and failed at the next start)."""
        self.closed = True
        self._pool.shutdown(wait=wait, cancel_futures=True)


_runner: JobRunner | None = None
_runner_lock = threading.Lock()


def get_runner() -> JobRunner:
    """The process's runner, started on first use (again after a shutdown)."""
    global _runner
    with _runner_lock:
        if _runner is None or _runner.closed:
            _runner = JobRunner()
        return _runner


def shutdown_runner(*, wait: bool = False) -> None:
    global _runner
    with _runner_lock:
        if _runner is not None:
            _runner.shutdown(wait=wait)
            _runner = None
