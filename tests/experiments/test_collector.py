"""Exposures sent to the collector (Segment's Experiment Viewed), drained into the
warehouse, then read by the experiments report with the storefront's own orders."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from tradewinds.cli.main import app as cli

# the app DB plays no part in experiments: one backend is enough
pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def run(*args: str) -> dict:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def test_experiment_viewed_through_the_collector(client, tenants):
    key = run("source", "create", "--workspace", tenants.a.name, "--kind", "segment",
              "--storefront", "shopify", "--json")["write_key"]  # fmt: skip
    batch = []
    for i in range(6):
        batch.append(
            {
                "type": "track",
                "userId": f"c{i}",
                "event": "Experiment Viewed",
                "messageId": f"x-{i}",
                "timestamp": "2026-03-01T09:00:00Z",
                "properties": {"experiment_id": "hero", "variation_id": str(i % 2)},
            }
        )
    for i in (1, 3, 4):
        batch.append(
            {
                "type": "track",
                "userId": f"c{i}",
                "event": "Order Completed",
                "messageId": f"o-{i}",
                "timestamp": "2026-03-02T10:00:00Z",
                "properties": {"order_id": f"10{i}", "total": 20 + i, "currency": "GBP"},
            }
        )
    sent = client.post("/v1/batch", json={"batch": batch}, auth=(key, ""))
    assert sent.status_code == 200, sent.text
    assert run("source", "drain", "--workspace", tenants.a.workspace_key, "--json")["events"] == 9
    answer = run("experiments", "events", "-w", tenants.a.workspace_key, "--from", "2026-03-01",
                 "--to", "2026-03-07", "--json")  # fmt: skip
    [exp] = answer["experiments"]
    assert exp["experiment"] == "hero" and [v["units"] for v in exp["variations"]] == [3, 3]
    rate = [r for r in exp["results"] if r["metric"] == "purchase rate"][0]
    assert rate["control_mean"] == 1 / 3 and rate["variation_mean"] == 2 / 3
    revenue = [r for r in exp["results"] if r["metric"] == "revenue per unit"][0]
    assert revenue["control_mean"] == 24 / 3 and revenue["variation_mean"] == (21 + 23) / 3
