"""The collector inside the main application, with write keys from `tradewinds source create`."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from tradewinds.cli.main import app as cli


def run(*args: str) -> dict:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_source_write_key_collects_into_its_workspace_and_drains(client, tenants):
    created = run(
        "source",
        "create",
        "--workspace",
        tenants.a.name,
        "--kind",
        "segment",
        "--storefront",
        "shopify",
        "--json",
    )
    assert list(created) == ["write_key"]
    key = created["write_key"]
    assert key

    order = {
        "userId": "c1",
        "anonymousId": "a1",
        "event": "Order Completed",
        "messageId": "o-1",
        "timestamp": "2026-03-01T10:00:00Z",
        "properties": {"order_id": "1001", "total": 25, "currency": "GBP"},
        "context": {"page": {"url": "https://shop.example/?gclid=G1"}},
    }
    response = client.post("/v1/track", json=order, auth=(key, ""))
    assert response.status_code == 200, response.text
    assert response.json() == {"success": True}
    assert client.post("/v1/track", json=order, auth=("not-a-key", "")).status_code == 401
    bad = client.post("/v1/track", json={"event": "No ids"}, auth=(key, ""))
    assert bad.status_code == 400

    drained = run("source", "drain", "--workspace", tenants.a.workspace_key, "--json")
    assert drained["events"] == 1
    assert drained["rows"]["orders"] == 1 and drained["rows"]["touchpoints"] == 1
    assert run("source", "drain", "--workspace", tenants.a.workspace_key, "--json")["events"] == 0

    from tradewinds.warehouse.factory import open_warehouse

    with open_warehouse(tenants.a.workspace_key) as wh:
        assert wh.query("SELECT order_id FROM orders").rows == [("shopify:1001",)]
    with open_warehouse(tenants.b.workspace_key) as wh:
        assert wh.count("events") == 0

    failed = run("source", "failed", "--workspace", tenants.a.workspace_key, "--json")
    assert failed["total"] == 1
    assert "userId or anonymousId" in failed["failed"][0]["reason"]
    listed = run("source", "list", "--workspace", tenants.a.workspace_key, "--json")["sources"]
    assert [(s["kind"], s["storefront"]) for s in listed] == [("segment", "shopify")]
    assert key.startswith(listed[0]["write_key_prefix"])
    assert run("source", "list", "--workspace", tenants.b.workspace_key, "--json")["sources"] == []


def test_unknown_kind_is_refused(app_db, tenants):
    result = CliRunner().invoke(
        cli,
        [
            "source",
            "create",
            "--workspace",
            tenants.a.workspace_key,
            "--kind",
            "carrier-pigeon",
            "--json",
        ],
    )
    assert result.exit_code == 1
    assert json.loads(result.stdout)["error"]["code"] == "invalid_input"
