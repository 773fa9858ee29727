"""Background tasks: how a capability declares them and how any code asks for one to run.

A capability declares its tasks in its own ``plugin.py`` through the ``tradewinds_tasks``
hook (``tradewinds/hooks.py``)::

    @hookimpl
    def tradewinds_tasks(tasks: TaskRegistry) -> None:
        tasks.add("ingest.drain", drain_one, retries=3, retry_delay=30,
                  exclusive="warehouse:{workspace_key}", unique="{workspace_key}")

and asks for work with :func:`enqueue` (``enqueue("ingest.drain", workspace_key="shop")``).
Neither needs the task queue itself: ``tradewinds/jobs/`` builds the queue from the
registry and :func:`plug`\\ s it in here when the server or ``tradewinds worker`` starts.
Without a queue plugged in (a command-line run, a test), :func:`enqueue` runs the task at
once on the calling thread, holding its lock.

A task declared ``unique`` waits on the queue at most once per key: asking for
``ingest.drain`` of a workspace whose drain is already waiting returns the waiting task's id
and stores nothing (the waiting one will see the new events too). Once a worker holds the
task's lock and begins, the next request queues a new one, so work that arrives during a run
is not missed.

A task's keyword arguments must be plain values (numbers, strings, dataclasses): they are
stored with the task. A task must be safe to run again: a worker killed while running it
leaves it to be run once more by the next worker.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import Any, Protocol

from tradewinds import locks

log = logging.getLogger("tradewinds.tasks")

Seconds = float | Callable[[], float] | None


@dataclass(frozen=True)
class TaskSpec:
    """One declared task.

    ``retries`` more runs after a failure, the first ``retry_delay`` seconds later and each
    next one twice as late. ``every``: run on its own this often (seconds, or a function
    reading a setting; 0 or None: only when enqueued). ``exclusive``: a lock name, with the
    task's keyword arguments filled in (``"warehouse:{workspace_key}"``), held while it runs
    in any process. ``unique``: a key, filled in the same way (``"{workspace_key}"``);
    while a task with the same name and key waits on the queue, asking again adds nothing.
    """

    name: str
    function: Callable[..., Any]
    retries: int = 0
    retry_delay: float = 0.0
    every: Seconds = None
    exclusive: str | None = None
    unique: str | None = None

    def interval(self) -> float:
        """The period in seconds (0: not periodic)."""
        value = self.every() if callable(self.every) else self.every
        return float(value or 0)

    def lock_name(self, kwargs: dict[str, Any]) -> str | None:
        return self._fill(self.exclusive, kwargs, "lock")

    def unique_key(self, kwargs: dict[str, Any]) -> str | None:
        """``name:key`` of a ``unique`` task (None: every request is queued)."""
        key = self._fill(self.unique, kwargs, "unique key")
        return None if key is None else f"{self.name}:{key}"

    def _fill(self, template: str | None, kwargs: dict[str, Any], what: str) -> str | None:
        if template is None:
            return None
        try:
            return template.format(**kwargs)
        except KeyError as exc:
            raise TypeError(
                f"task {self.name} needs the argument {exc.args[0]!r} for its {what} {template!r}"
            ) from None


class TaskRegistry:
    """The tasks every plugin declared, by name."""

    def __init__(self) -> None:
        self._specs: dict[str, TaskSpec] = {}

    def add(
        self,
        name: str,
        function: Callable[..., Any],
        *,
        retries: int = 0,
        retry_delay: float = 0.0,
        every: Seconds = None,
        exclusive: str | None = None,
        unique: str | None = None,
    ) -> TaskSpec:
        if name in self._specs:
            raise ValueError(f"task {name!r} is declared twice")
        spec = TaskSpec(name, function, retries, retry_delay, every, exclusive, unique)
        self._specs[name] = spec
        return spec

    def task(self, name: str, **options: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """``add`` as a decorator."""

        def declare(function: Callable[..., Any]) -> Callable[..., Any]:
            self.add(name, function, **options)
            return function

        return declare

    def __getitem__(self, name: str) -> TaskSpec:
        try:
            return self._specs[name]
        except KeyError:
            known = ", ".join(sorted(self._specs)) or "none"
            raise KeyError(f"no task named {name!r}; declared tasks: {known}") from None

    def get(self, name: str) -> TaskSpec | None:
        return self._specs.get(name)

    def __contains__(self, name: object) -> bool:
        return name in self._specs

    def __iter__(self) -> Iterator[TaskSpec]:
        return iter(self._specs.values())

    def __len__(self) -> int:
        return len(self._specs)


def collect() -> TaskRegistry:
    """A registry holding every plugin's tasks (asked through the ``tradewinds_tasks`` hook)."""
    from tradewinds.hooks import plugin_manager

    registry = TaskRegistry()
    plugin_manager().hook.tradewinds_tasks(tasks=registry)
    return registry


class Queue(Protocol):
    """What ``jobs/`` plugs in: something that stores a task for a worker to run."""

    def enqueue(self, name: str, kwargs: dict[str, Any]) -> str: ...


_queue: Queue | None = None


def plug(queue: Queue | None) -> None:
    """Send :func:`enqueue` to ``queue`` from now on (``None``: run tasks at once again)."""
    global _queue
    _queue = queue


def plugged() -> Queue | None:
    return _queue


def exclusive(name: str | None) -> AbstractContextManager[None]:
    """Hold lock ``name`` (``warehouse:<key>``, say) across processes; no lock for None."""
    return nullcontext() if name is None else locks.hold(name)


def run_now(name: str, kwargs: dict[str, Any], registry: TaskRegistry | None = None) -> Any:
    """Run task ``name`` on this thread, holding its lock."""
    spec = (registry or collect())[name]
    with exclusive(spec.lock_name(kwargs)):
        return spec.function(**kwargs)


def enqueue(name: str, **kwargs: Any) -> str | None:
    """Ask for task ``name`` to run with ``kwargs``: on the plugged-in queue (returns the
    task's id), or at once on this thread when there is none (returns None)."""
    if _queue is not None:
        return _queue.enqueue(name, kwargs)
    run_now(name, kwargs)
    return None
