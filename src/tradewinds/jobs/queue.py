"""The task queue: huey, with the tasks every plugin declared (``tradewinds/tasks.py``).

Storage: a SQLite file in ``TRADEWINDS_HOME`` (``queue.db``) by default, Redis when
``TRADEWINDS_QUEUE_URL`` is a ``redis://`` address (workers on several machines).

What huey does not do, this module adds, on huey's own storage:

* **A task survives ``kill -9`` of its worker.** huey takes a task off the queue before it
  runs it. While a task runs, its worker holds the lock ``task:<id>`` (``locks.py``: freed
  by the OS or the database when the process dies) and keeps a record of it under
  ``tw.running:<id>``. :meth:`TaskQueue.recover` (every worker, at start and every few
  seconds) puts back on the queue each record whose lock is free: its worker is gone.
  Tasks are idempotent, so a task that had nearly finished running again changes nothing.
* **Periodic tasks to the second, once across workers.** Every worker ticks; the first to
  claim ``tw.slot:<task>:<n>`` (an atomic put-if-empty) for the n-th period enqueues it.
* **A task waits on the queue once per key.** A task declared ``unique`` claims
  ``tw.queued:<name>:<key>`` (an atomic put-if-empty) when it is queued; asking for it
  again while that task still waits — on the queue, scheduled for a retry, or taken by a
  worker that waits for its lock — returns the waiting task's id. The worker drops the
  claim once it holds the task's lock and begins, so a request made during the run queues
  a new one. A claim whose task is gone (a flushed queue) is taken over.
* **Per-workspace mutual exclusion.** A task declared ``exclusive="warehouse:{workspace_key}"``
  holds that lock (across processes) while it runs.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from pathlib import Path
from typing import Any

from huey import RedisHuey, SqliteHuey
from huey.api import Huey, TaskWrapper

from tradewinds import locks
from tradewinds.config import Settings, get_settings
from tradewinds.tasks import TaskRegistry, TaskSpec, exclusive

log = logging.getLogger("tradewinds.jobs")

RUNNING = "tw.running:"
SLOT = "tw.slot:"
QUEUED = "tw.queued:"
RETRY_BACKOFF = 2.0
WORKER_ID = f"{socket.gethostname()[:120]}:{os.getpid()}"


def is_redis(url: str | None) -> bool:
    return bool(url) and str(url).startswith(("redis://", "rediss://", "unix://"))


def build_huey(settings: Settings | None = None) -> Huey:
    """The huey instance the settings ask for (not started)."""
    settings = settings or get_settings()
    url = settings.queue_url
    if is_redis(url):
        return RedisHuey(settings.queue_name, url=url, results=False, utc=True)
    if url and not url.startswith("sqlite:///"):
        raise ValueError(
            f"TRADEWINDS_QUEUE_URL={url!r}: use redis://host:port/db, or "
            "sqlite:///path/to/queue.db, or leave it unset (a file in HOME)"
        )
    path = Path(url[len("sqlite:///") :]) if url else settings.home_dir / "queue.db"
    path.parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey(settings.queue_name, filename=str(path), results=False, utc=True)


class TaskQueue:
    """The registry's tasks as huey tasks; implements ``tasks.Queue``."""

    def __init__(self, registry: TaskRegistry, huey: Huey) -> None:
        self.registry, self.huey = registry, huey
        self._tasks: dict[str, TaskWrapper] = {spec.name: self._wrap(spec) for spec in registry}
        self._slots: dict[str, int] = {}

    def _wrap(self, spec: TaskSpec) -> TaskWrapper:
        def run(task: Any = None, **kwargs: Any) -> None:
            self._run(spec, task.id, kwargs)

        run.__name__ = run.__qualname__ = spec.name.replace(".", "_")
        return self.huey.task(
            retries=spec.retries,
            retry_delay=spec.retry_delay,
            retry_backoff=RETRY_BACKOFF if spec.retry_delay else 0,
            context=True,
            name=spec.name,
        )(run)

    def _run(self, spec: TaskSpec, task_id: str, kwargs: dict[str, Any]) -> None:
        record = RUNNING + task_id
        with locks.hold(f"task:{task_id}", wait=0):
            self.huey.put(record, {"name": spec.name, "kwargs": kwargs, "worker": WORKER_ID})
            lock = spec.lock_name(kwargs)
            log.info("task started: name=%s id=%s worker=%s", spec.name, task_id, WORKER_ID)
            try:
                with exclusive(lock):
                    self._unclaim(spec.unique_key(kwargs), task_id)  # the work begins
                    started = time.time()
                    spec.function(**kwargs)
                    finished = time.time()
            except Exception:
                self.huey.delete(record)  # huey retries it (or gives up) from here
                raise
            self.huey.delete(record)
        log.info(
            "task ran: name=%s id=%s lock=%s start=%.6f end=%.6f worker=%s",
            spec.name,
            task_id,
            lock,
            started,
            finished,
            WORKER_ID,
        )

    # -- asking for work -------------------------------------------------------------------

    def enqueue(self, name: str, kwargs: dict[str, Any]) -> str:
        spec = self.registry[name]  # an unknown name: the KeyError names the declared tasks
        spec.lock_name(kwargs)  # a missing lock argument fails here, not in the worker
        task = self._tasks[name].s(**kwargs)
        key = spec.unique_key(kwargs)
        if key is not None:
            waiting = self._claim(key, str(task.id))
            if waiting is not None:
                log.info("task not queued again: name=%s key=%s waiting=%s", name, key, waiting)
                return waiting
        self.huey.enqueue(task)
        return str(task.id)

    def _claim(self, key: str, task_id: str) -> str | None:
        """Claim ``key`` for ``task_id``; the id of the task already waiting with that key
        (None: claimed, queue it)."""
        claim = QUEUED + key
        if self.huey.put_if_empty(claim, task_id):
            return None
        holder = self.huey.get(claim, peek=True)
        if holder is not None and holder in self._waiting_ids():
            return str(holder)
        self.huey.put(claim, task_id)  # its task left the queue without running: take it over
        return None

    def _unclaim(self, key: str | None, task_id: str) -> None:
        if key is not None and self.huey.get(QUEUED + key, peek=True) == task_id:
            self.huey.delete(QUEUED + key)

    def _waiting_ids(self) -> set[str]:
        """The ids of the tasks on the queue, of those scheduled for later (retries) and of
        those a worker took (a claimed one has not begun: it waits for its lock)."""
        waiting = [*self.huey.pending(), *self.huey.scheduled()]
        return {str(task.id) for task in waiting} | set(self.running())

    # -- what workers do besides running tasks ---------------------------------------------

    def running(self) -> dict[str, dict[str, Any]]:
        """The records of tasks some worker started and did not finish, by task id."""
        found = {}
        for key in self.huey.storage.result_items():
            if key.startswith(RUNNING):
                entry = self.huey.get(key, peek=True)
                if entry is not None:
                    found[key[len(RUNNING) :]] = entry
        return found

    def recover(self) -> int:
        """Queue again the tasks whose worker died while running them; how many."""
        again = 0
        for task_id in self.running():
            try:
                with locks.hold(f"task:{task_id}", wait=0):
                    entry = self.huey.get(RUNNING + task_id, peek=True)
                    if entry is None:  # finished, or another worker recovered it
                        continue
                    spec = self.registry.get(entry["name"])
                    if spec is not None:  # it died waiting for its lock, still claiming
                        self._unclaim(spec.unique_key(entry["kwargs"]), task_id)
                    new_id = self.enqueue(entry["name"], entry["kwargs"])
                    self.huey.delete(RUNNING + task_id)
            except locks.LockBusy:
                continue  # still running
            log.warning(
                "task %s (%s) was left unfinished by worker %s; queued again as %s",
                entry["name"],
                task_id,
                entry.get("worker"),
                new_id,
            )
            again += 1
        return again

    def tick(self, now: float | None = None) -> list[str]:
        """Enqueue the periodic tasks whose period has begun (once across workers)."""
        now = time.time() if now is None else now
        started = []
        for spec in self.registry:
            every = spec.interval()
            if every <= 0:
                continue
            slot = int(now // every)
            if self._slots.get(spec.name) == slot:
                continue
            self._slots[spec.name] = slot
            if self.huey.put_if_empty(f"{SLOT}{spec.name}:{slot}", WORKER_ID):
                self.enqueue(spec.name, {})
                started.append(spec.name)
        return started

    def forget_old_slots(self, now: float | None = None) -> None:
        """Drop the claims of periods before the last one."""
        now = time.time() if now is None else now
        for key in self.huey.storage.result_items():
            if not key.startswith(SLOT):
                continue
            name, _, number = key[len(SLOT) :].rpartition(":")
            spec = self.registry.get(name)
            every = spec.interval() if spec is not None else 0
            if every <= 0 or int(number) < int(now // every) - 1:
                self.huey.delete(key)

    def pending(self) -> int:
        """Tasks waiting on the queue (not those scheduled for later)."""
        return int(self.huey.pending_count())
