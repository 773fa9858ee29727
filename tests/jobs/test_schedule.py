"""The server's scheduler: collected events reach the warehouse, connectors are read again,
without anyone running a command."""

from __future__ import annotations

import json
import time

from typer.testing import CliRunner

from tests.ingest.connectors.replay_server import ReplayServer
from tests.ingest.connectors.test_shopify import serve
from tradewinds.cli.main import app as cli
from tradewinds.jobs import schedule
from tradewinds.warehouse.factory import open_warehouse


def invoke(*args: str, stdin: str | None = None) -> dict:
    result = CliRunner().invoke(cli, list(args), input=stdin)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _order(message_id: str, order_id: str) -> dict:
    return {"userId": "c1", "event": "Order Completed", "messageId": message_id,
            "timestamp": "2026-03-01T10:00:00Z",
            "properties": {"order_id": order_id, "total": 25, "currency": "GBP"}}


def test_drain_round_moves_every_workspace_events(client, tenants) -> None:
    for tenant, n in ((tenants.a, 2), (tenants.b, 1)):
        key = invoke("source", "create", "--workspace", tenant.name, "--kind", "segment",
                     "--json")["write_key"]
        for i in range(n):
            r = client.post("/v1/track", json=_order(f"{tenant.name}-{i}", str(i)),
                            auth=(key, ""))
            assert r.status_code == 200, r.text
    result = schedule.drain_all()
    assert result.drained == {tenants.a.workspace_key: 2, tenants.b.workspace_key: 1}
    assert result.failed == []
    assert schedule.drain_all().drained == {tenants.a.workspace_key: 0,
                                            tenants.b.workspace_key: 0}
    with open_warehouse(tenants.a.workspace_key) as wh:
        assert wh.count("orders") == 2


def test_sync_round_reads_live_connectors_and_survives_a_broken_one(tenants,
                                                                   monkeypatch) -> None:
    from tradewinds.ingest.connectors import http

    monkeypatch.setattr(http, "pause", lambda _seconds: None)  # the replayed 429 waits
    with ReplayServer() as server:
        good = invoke("source", "create", "--workspace", tenants.a.workspace_key, "--kind",
                      "shopify", "--shop-url", server.base, "--token-stdin", "--json",
                      stdin="shpat_token\n")["source_id"]
        broken = invoke("source", "create", "--workspace", tenants.b.workspace_key, "--kind",
                        "shopify", "--shop-url", "http://127.0.0.1:9", "--token-stdin",
                        "--json", stdin="shpat_other\n")["source_id"]
        serve(server)
        result = schedule.sync_all()
    assert list(result.synced) == [tenants.a.workspace_key]  # records read: orders and more
    assert result.synced[tenants.a.workspace_key] >= 3
    assert result.failed == [f"sync:{broken}"] and good != broken
    with open_warehouse(tenants.a.workspace_key) as wh:
        assert wh.count("orders") == 3


def test_scheduler_thread_runs_rounds_until_stopped(client, tenants, monkeypatch) -> None:
    calls: list[str] = []
    monkeypatch.setattr(schedule, "drain_all", lambda: calls.append("drain"))
    monkeypatch.setattr(schedule, "sync_all", lambda: calls.append("sync"))
    runner = schedule.Scheduler(drain_seconds=0.05, sync_minutes=0.15 / 60)
    runner.start()
    deadline = time.monotonic() + 10
    while calls.count("sync") < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    runner.stop()
    after = len(calls)
    time.sleep(0.2)
    assert calls.count("drain") >= 4 and calls.count("sync") >= 2
    assert len(calls) == after  # stopped means stopped
    assert not schedule.Scheduler(drain_seconds=0, sync_minutes=0).enabled
