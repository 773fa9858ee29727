"""The loading tasks: every workspace's collected events drained, every live connector
read, one broken source stopping no other (run at once here, without a queue)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from tests.ingest.connectors.replay_server import ReplayServer
from tests.ingest.connectors.test_shopify import serve
from tradewinds.cli.main import app as cli
from tradewinds.ingest import plugin
from tradewinds.warehouse.factory import open_warehouse


def invoke(*args: str, stdin: str | None = None) -> dict:
    result = CliRunner().invoke(cli, list(args), input=stdin)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _order(message_id: str, order_id: str) -> dict:
    return {
        "userId": "c1",
        "event": "Order Completed",
        "messageId": message_id,
        "timestamp": "2026-03-01T10:00:00Z",
        "properties": {"order_id": order_id, "total": 25, "currency": "GBP"},
    }


def test_drain_all_moves_every_workspace_events(client, tenants) -> None:
    for tenant, n in ((tenants.a, 2), (tenants.b, 1)):
        key = invoke("source", "create", "--workspace", tenant.name, "--kind", "segment", "--json")[
            "write_key"
        ]
        for i in range(n):
            r = client.post("/v1/track", json=_order(f"{tenant.name}-{i}", str(i)), auth=(key, ""))
            assert r.status_code == 200, r.text
    from tradewinds import tasks

    tasks.plug(None)  # run each drain at once, here
    assert plugin.drain_all() == sorted([tenants.a.workspace_key, tenants.b.workspace_key])
    assert plugin.drain(workspace_key=tenants.a.workspace_key) == 0  # nothing new
    for tenant, n in ((tenants.a, 2), (tenants.b, 1)):
        with open_warehouse(tenant.workspace_key) as wh:
            assert wh.count("orders") == n


def test_sync_all_reads_live_connectors_and_survives_a_broken_one(
    tenants, monkeypatch, caplog
) -> None:
    from tradewinds.ingest.connectors import http

    monkeypatch.setattr(http, "pause", lambda _seconds: None)  # the replayed 429 waits
    with ReplayServer() as server:
        broken = invoke(
            "source",
            "create",
            "--workspace",
            tenants.b.workspace_key,
            "--kind",
            "shopify",
            "--shop-url",
            "http://127.0.0.1:9",
            "--token-stdin",
            "--json",
            stdin="shpat_other\n",
        )["source_id"]
        good = invoke(
            "source",
            "create",
            "--workspace",
            tenants.a.workspace_key,
            "--kind",
            "shopify",
            "--shop-url",
            server.base,
            "--token-stdin",
            "--json",
            stdin="shpat_token\n",
        )["source_id"]
        serve(server)
        assert plugin.sync_all() == [broken, good]  # the broken one first: it stops nothing
    assert f"syncing source {broken} of {tenants.b.workspace_key} failed" in caplog.text
    with open_warehouse(tenants.a.workspace_key) as wh:
        assert wh.count("orders") == 3
