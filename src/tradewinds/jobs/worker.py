"""Running the queue: ``tradewinds worker`` processes, or threads inside the web server.

A :class:`Worker` is huey's consumer (``TRADEWINDS_QUEUE_THREADS`` threads taking tasks off
the queue, and huey's scheduler for retries) plus one thread of ours that every second
enqueues the periodic tasks that are due and every few seconds recovers the tasks a dead
worker left unfinished (``jobs/queue.py``).

The web server plugs the queue in (so what it asks for is stored on the queue) and runs
a worker in its own process unless ``TRADEWINDS_EMBEDDED_WORKER`` is false — by default,
unless the queue is on Redis, where ``tradewinds worker`` processes do the work.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from huey.consumer import Consumer

from tradewinds import tasks
from tradewinds.config import Settings, get_settings
from tradewinds.jobs.queue import TaskQueue, build_huey, is_redis

log = logging.getLogger("tradewinds.jobs")

TICK_SECONDS = 1.0
RECOVER_EVERY_TICKS = 5
#: longest wait between two looks at an empty SQLite queue (Redis is told at once)
POLL_SECONDS = 1.0
IN_PROCESS_STOP_SECONDS = 5.0


class _InProcessConsumer(Consumer):
    """huey's consumer without signal handlers: the web server owns the process's signals."""

    def _set_signal_handlers(self) -> None:
        return None


def embedded_wanted(settings: Settings | None = None) -> bool:
    settings = settings or get_settings()
    if settings.embedded_worker is not None:
        return settings.embedded_worker
    return not is_redis(settings.queue_url)


def make_queue(settings: Settings | None = None) -> TaskQueue:
    """The queue of every plugin's tasks, on the storage the settings name."""
    return TaskQueue(tasks.collect(), build_huey(settings))


class Worker:
    """One consumer of the queue with the periodic ticks and recovery."""

    def __init__(
        self, queue: TaskQueue, *, threads: int | None = None, in_process: bool = False
    ) -> None:
        self.queue = queue
        self.threads = threads or get_settings().queue_threads
        kind = _InProcessConsumer if in_process else Consumer
        # The web server stops within seconds (what is cut short runs again later); a
        # worker stopped with Ctrl-C lets its running tasks finish.
        self.consumer = kind(
            queue.huey,
            workers=self.threads,
            worker_type="thread",
            periodic=False,
            max_delay=POLL_SECONDS,
            shutdown_timeout=IN_PROCESS_STOP_SECONDS if in_process else None,
        )
        self._stop = threading.Event()
        self._ticker = threading.Thread(
            target=self._tick_loop, name="tradewinds-ticks", daemon=True
        )

    def _tick_loop(self) -> None:
        ticks = 0
        while True:
            try:
                if ticks % RECOVER_EVERY_TICKS == 0:
                    self.queue.recover()
                    self.queue.forget_old_slots()
                self.queue.tick()
            except Exception:  # the queue's storage or the app DB is away: next tick
                log.exception("the task queue's periodic round failed")
            ticks += 1
            if self._stop.wait(TICK_SECONDS):
                return

    def start(self) -> None:
        """Start the threads and return (the web server's way)."""
        self.consumer.start()
        self._ticker.start()

    def stop(self) -> None:
        self._stop.set()
        self.consumer.stop(graceful=True)
        self._ticker.join(5.0)

    def run(self) -> None:
        """Run until SIGINT (finish the running tasks) or SIGTERM (stop now)."""
        self._ticker.start()
        try:
            self.consumer.run()
        finally:
            self._stop.set()


_embedded: dict[str, Any] = {}


def start_in_process() -> Worker | None:
    """Plug the queue in for this process; start a worker in it unless workers run apart.

    One embedded worker per process: an app started while another's worker still runs (a
    second app in the same process, one whose lifespan never ended) takes its place, so no
    worker is left ticking with the settings of an app that is gone."""
    if _embedded:
        stop_in_process()
    queue = make_queue()
    tasks.plug(queue)
    worker = None
    if embedded_wanted():
        worker = Worker(queue, in_process=True)
        worker.start()
    _embedded.update(queue=queue, worker=worker)
    return worker


def stop_in_process() -> None:
    worker = _embedded.pop("worker", None)
    queue = _embedded.pop("queue", None)
    if queue is not None and tasks.plugged() is queue:
        tasks.plug(None)
    if worker is not None:
        worker.stop()
    if queue is not None:
        queue.huey.storage.close()
