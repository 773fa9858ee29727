"""The task queue: declared tasks run on huey, periodic ones once across workers, retried
with backoff, recovered from a dead worker; a throw-away plugin's task runs too."""

from __future__ import annotations

import threading

import pytest

from tests.jobs.conftest import wait_for
from tradewinds import locks, tasks
from tradewinds.hooks import hookimpl, plugin_manager, reset_plugins
from tradewinds.jobs.queue import QUEUED, RUNNING
from tradewinds.jobs.worker import make_queue as app_queue


def test_every_package_declares_its_tasks_through_the_hook():
    registry = tasks.collect()
    names = {spec.name for spec in registry}
    assert {
        "ingest.import",
        "ingest.drain",
        "ingest.drain_all",
        "ingest.sync",
        "ingest.sync_all",
        "markets.fx_daily",
    } <= names
    assert registry["ingest.drain"].lock_name({"workspace_key": "shop"}) == "warehouse:shop"
    with pytest.raises(KeyError, match="no task named 'nope'; declared tasks: .*ingest.drain"):
        registry["nope"]
    with pytest.raises(ValueError, match="declared twice"):
        registry.add("ingest.drain", print)


def test_without_a_queue_a_task_runs_at_once_holding_its_lock(tw_home, monkeypatch):
    seen: list[bool] = []
    registry = tasks.TaskRegistry()
    registry.add(
        "shop.note",
        lambda *, workspace_key: seen.append(locks.is_held(f"warehouse:{workspace_key}")),
        exclusive="warehouse:{workspace_key}",
    )
    monkeypatch.setattr(tasks, "collect", lambda: registry)
    assert tasks.enqueue("shop.note", workspace_key="shop") is None
    assert seen == [True]
    with pytest.raises(TypeError, match="needs the argument 'workspace_key'"):
        tasks.enqueue("shop.note")


def test_a_periodic_task_is_enqueued_once_per_period_across_workers(make_queue):
    registry = tasks.TaskRegistry()
    registry.add("shop.hourly", lambda: None, every=3600)
    registry.add("shop.off", lambda: None, every=lambda: 0)
    first, second = make_queue(registry), make_queue(registry)
    hour = 1_800_000_000 // 3600 * 3600
    assert first.tick(hour + 10) == ["shop.hourly"]
    assert second.tick(hour + 11) == []  # the other worker claimed this hour
    assert first.tick(hour + 20) == []
    assert second.tick(hour + 3600) == ["shop.hourly"]
    assert first.pending() == 2
    first.forget_old_slots(hour + 3 * 3600)
    assert not [k for k in first.huey.storage.result_items() if k.startswith("tw.slot:")]


def test_a_failing_task_is_retried_then_given_up(make_queue, run_worker):
    attempts: list[int] = []
    done = threading.Event()

    def flaky(*, n: int) -> None:
        attempts.append(n)
        if attempts.count(n) < 3:
            raise RuntimeError("the shop's API is away")
        done.set()

    def broken() -> None:
        attempts.append(-1)
        raise RuntimeError("always")

    registry = tasks.TaskRegistry()
    registry.add("shop.flaky", flaky, retries=5, retry_delay=0.5)
    registry.add("shop.broken", broken, retries=1)
    queue = make_queue(registry)
    run_worker(queue)
    queue.enqueue("shop.broken", {})
    queue.enqueue("shop.flaky", {"n": 7})
    assert done.wait(60)
    assert wait_for(lambda: attempts.count(-1) == 2)
    assert attempts.count(7) == 3  # two failures, one success, no more
    assert queue.running() == {}


def test_a_task_left_by_a_dead_worker_is_queued_again_once(make_queue):
    registry = tasks.TaskRegistry()
    registry.add("shop.note", lambda *, text: None)
    queue = make_queue(registry)
    left = {"name": "shop.note", "kwargs": {"text": "hi"}, "worker": "gone:1"}
    queue.huey.put(RUNNING + "dead", left)
    queue.huey.put(RUNNING + "alive", left)
    with locks.hold("task:alive"):  # its worker still runs it
        assert queue.recover() == 1
        assert queue.recover() == 0
    assert queue.pending() == 1
    assert set(queue.running()) == {"alive"}


class ThrowAway:
    """A capability added without editing any file outside itself."""

    def __init__(self) -> None:
        self.notes: list[tuple[str, str, bool]] = []
        self.done = threading.Event()

    def note(self, *, workspace_key: str, text: str) -> None:
        self.notes.append((workspace_key, text, locks.is_held(f"warehouse:{workspace_key}")))
        self.done.set()

    @hookimpl
    def tradewinds_tasks(self, tasks: tasks.TaskRegistry) -> None:
        tasks.add("scratch.note", self.note, retries=1, exclusive="warehouse:{workspace_key}")


def test_a_throw_away_plugin_registers_a_task_that_runs_on_the_queue(tw_home, run_worker):
    plugin = ThrowAway()
    plugin_manager().register(plugin, name="scratch")
    try:
        queue = app_queue()
        assert "scratch.note" in queue.registry and "ingest.drain" in queue.registry
        tasks.plug(queue)
        run_worker(queue)
        assert tasks.enqueue("scratch.note", workspace_key="shop", text="hello")
        assert plugin.done.wait(60)
        assert plugin.notes == [("shop", "hello", True)]
    finally:
        tasks.plug(None)
        reset_plugins()


def test_a_unique_task_asked_for_twice_runs_once(make_queue, run_worker):
    runs: list[str] = []
    ran = threading.Event()
    registry = tasks.TaskRegistry()

    def drain(*, workspace_key: str) -> None:
        runs.append(workspace_key)
        ran.set()

    registry.add("shop.drain", drain, unique="{workspace_key}")
    queue = make_queue(registry)
    first = queue.enqueue("shop.drain", {"workspace_key": "shop"})
    assert queue.enqueue("shop.drain", {"workspace_key": "shop"}) == first
    other = queue.enqueue("shop.drain", {"workspace_key": "other"})
    assert other != first
    assert queue.pending() == 2
    run_worker(queue)
    assert wait_for(lambda: sorted(runs) == ["other", "shop"])
    # once started, the claim is dropped: the next request is queued (and run) again
    ran.clear()
    again = queue.enqueue("shop.drain", {"workspace_key": "shop"})
    assert again not in (first, other)
    assert wait_for(lambda: runs.count("shop") == 2)
    assert sorted(runs) == ["other", "shop", "shop"]


def test_a_claim_whose_task_left_the_queue_is_taken_over(make_queue):
    registry = tasks.TaskRegistry()
    registry.add("shop.sync", lambda *, source_id: None, unique="{source_id}")
    queue = make_queue(registry)
    queue.huey.put(QUEUED + "shop.sync:7", "flushed-long-ago")
    queued = queue.enqueue("shop.sync", {"source_id": 7})
    assert queued != "flushed-long-ago"
    assert queue.enqueue("shop.sync", {"source_id": 7}) == queued
    assert queue.pending() == 1
    with pytest.raises(TypeError, match="needs the argument 'source_id' for its unique key"):
        queue.enqueue("shop.sync", {})


def test_drains_and_syncs_are_declared_unique():
    registry = tasks.collect()
    assert registry["ingest.drain"].unique_key({"workspace_key": "shop"}) == "ingest.drain:shop"
    sync = registry["ingest.sync"].unique_key({"source_id": 3, "workspace_key": "shop"})
    assert sync == "ingest.sync:3"
    assert registry["ingest.import"].unique_key({"job_id": 1, "workspace_key": "shop"}) is None


def test_a_unique_task_waiting_for_its_lock_is_still_the_one_asked_for(make_queue, run_worker):
    runs: list[str] = []
    registry = tasks.TaskRegistry()
    registry.add(
        "shop.drain",
        lambda *, workspace_key: runs.append(workspace_key),
        exclusive="warehouse:{workspace_key}",
        unique="{workspace_key}",
    )
    queue = make_queue(registry)
    with locks.hold("warehouse:shop"):  # a long import of the shop runs
        first = queue.enqueue("shop.drain", {"workspace_key": "shop"})
        run_worker(queue)
        assert wait_for(lambda: first in queue.running())  # taken, waiting for the lock
        assert queue.enqueue("shop.drain", {"workspace_key": "shop"}) == first
        assert queue.pending() == 0
    assert wait_for(lambda: runs == ["shop"] and not queue.running())


def test_a_unique_task_left_waiting_for_its_lock_is_queued_again(make_queue):
    registry = tasks.TaskRegistry()
    registry.add("shop.drain", lambda *, workspace_key: None, unique="{workspace_key}")
    queue = make_queue(registry)
    left = {"name": "shop.drain", "kwargs": {"workspace_key": "shop"}, "worker": "gone:1"}
    queue.huey.put(RUNNING + "dead", left)
    queue.huey.put(QUEUED + "shop.drain:shop", "dead")  # it died before it began
    assert queue.enqueue("shop.drain", {"workspace_key": "shop"}) == "dead"
    assert queue.recover() == 1
    assert queue.pending() == 1 and queue.running() == {}
    waiting = queue.huey.get(QUEUED + "shop.drain:shop", peek=True)
    assert waiting not in (None, "dead")
    assert queue.enqueue("shop.drain", {"workspace_key": "shop"}) == waiting
