"""Workers: periodic work runs on its own, and the web server runs the queue itself."""

from __future__ import annotations

import threading

from tests.jobs.conftest import wait_for, write_orders
from tradewinds import tasks
from tradewinds.jobs.worker import embedded_wanted


def test_a_periodic_task_runs_again_every_period(make_queue, run_worker):
    ran: list[int] = []
    again = threading.Event()

    def tick() -> None:
        ran.append(1)
        if len(ran) >= 2:
            again.set()

    registry = tasks.TaskRegistry()
    registry.add("shop.tick", tick, every=1)
    run_worker(make_queue(registry))
    assert again.wait(60)


def test_the_server_drains_collected_events_by_itself(tenants, monkeypatch):
    from fastapi.testclient import TestClient

    from tradewinds.app import create_app
    from tradewinds.config import reset_settings
    from tradewinds.warehouse import open_warehouse

    write_orders(tenants.a.workspace_key, 5)
    open_warehouse(tenants.a.workspace_key).close()  # its tables exist before two threads meet
    monkeypatch.setenv("TRADEWINDS_DRAIN_SECONDS", "1")
    reset_settings()

    def drained() -> bool:
        with open_warehouse(tenants.a.workspace_key) as warehouse:
            return warehouse.count("orders") == 5

    with TestClient(create_app(), base_url="https://testserver"):
        assert wait_for(drained, 60)
    assert tasks.plugged() is None  # the server's queue goes with it


def test_the_server_runs_the_work_itself_unless_workers_on_redis_do(tw_home, monkeypatch):
    from tradewinds.config import reset_settings

    assert embedded_wanted()
    monkeypatch.setenv("TRADEWINDS_QUEUE_URL", "redis://127.0.0.1:6379/0")
    reset_settings()
    assert not embedded_wanted()
    monkeypatch.setenv("TRADEWINDS_EMBEDDED_WORKER", "true")
    reset_settings()
    assert embedded_wanted()
