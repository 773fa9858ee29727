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
