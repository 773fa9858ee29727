"""Queues for one test: a SQLite queue file in the test's TRADEWINDS_HOME."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest

from tradewinds import tasks
from tradewinds.jobs.queue import TaskQueue, build_huey
from tradewinds.jobs.worker import Worker


@pytest.fixture
def make_queue(tw_home) -> Iterator[Callable[[tasks.TaskRegistry], TaskQueue]]:
    """Build queues of a registry on the test's queue file (closed afterwards)."""
    made: list[TaskQueue] = []

    def build(registry: tasks.TaskRegistry) -> TaskQueue:
        queue = TaskQueue(registry, build_huey())
        made.append(queue)
        return queue

    yield build
    tasks.plug(None)
    for queue in made:
        queue.huey.storage.close()


@pytest.fixture
def run_worker() -> Iterator[Callable[[TaskQueue], Worker]]:
    """Start an in-process worker on a queue (stopped afterwards)."""
    started: list[Worker] = []

    def start(queue: TaskQueue) -> Worker:
        worker = Worker(queue, threads=2, in_process=True)
        worker.start()
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


def wait_for(check: Callable[[], bool], seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


class WorkerProcess:
    """``tradewinds worker`` as a process of its own, its log in a file."""

    def __init__(self, log_path, *, threads: int = 1, env: dict[str, str] | None = None):
        import os
        import subprocess
        import sys

        self.log_path = log_path
        self._log = open(log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tradewinds.cli.main", "worker", "--threads", str(threads)],
            stdout=self._log,
            stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})},
        )

    def kill(self) -> None:
        """``kill -9``: no chance to finish or clean anything up."""
        import signal

        self.process.send_signal(signal.SIGKILL)
        self.process.wait(30)
        self._log.close()

    def stop(self) -> None:
        import signal

        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # finish the running task, then exit
            try:
                self.process.wait(60)
            except Exception:
                self.process.kill()
                self.process.wait()
        self._log.close()

    def lines(self) -> list[str]:
        return self.log_path.read_text(errors="replace").splitlines()


@pytest.fixture
def spawn_worker(tmp_path) -> Iterator[Callable[..., WorkerProcess]]:
    """Start ``tradewinds worker`` processes (stopped afterwards)."""
    spawned: list[WorkerProcess] = []

    def spawn(name: str = "worker", **options) -> WorkerProcess:
        worker = WorkerProcess(tmp_path / f"{name}-{len(spawned)}.log", **options)
        spawned.append(worker)
        return worker

    yield spawn
    for worker in spawned:
        if worker.process.poll() is None:
            worker.process.kill()
            worker.process.wait()


def task_runs(lines: list[str], name: str) -> list[dict[str, str]]:
    """The ``task ran`` log lines of task ``name``, as dicts of their fields."""
    runs = []
    for line in lines:
        if "task ran: " not in line:
            continue
        fields = dict(part.split("=", 1) for part in line.split("task ran: ", 1)[1].split())
        if fields["name"] == name:
            runs.append(fields)
    return runs


def write_orders(workspace_key: str, n: int) -> None:
    """Put ``n`` collected "Order Completed" events (n orders) in a workspace's event log."""
    from datetime import UTC, datetime

    from tradewinds.ingest.eventlog import default_root, open_log
    from tradewinds.ingest.events import Accepted, validate_one

    now = datetime.now(UTC)
    events = [
        validate_one(
            {
                "type": "track",
                "userId": f"c{i % 500}",
                "event": "Order Completed",
                "messageId": f"m{i}",
                "timestamp": "2026-03-01T10:00:00Z",
                "properties": {"order_id": str(i), "total": 25, "currency": "GBP"},
            },
            index=i,
            received_at=now,
        )
        for i in range(n)
    ]
    assert all(isinstance(e, Accepted) for e in events)
    log = open_log(default_root(), workspace_key)
    try:
        assert log.write(events, received_at=now) == n
    finally:
        log.close()
