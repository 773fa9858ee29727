"""Exposures from ``Experiment Viewed`` events, conversions and revenue from orders, on
every warehouse engine."""

from __future__ import annotations

from datetime import date

import pytest

from tests.analytics.fixtures import order, ts
from tradewinds.analytics.filters import ReportScope
from tradewinds.experiments.exposures import experiments_of, exposure_rows


def _viewed(mid: str, unit: str, variation: str, day: str, *, user: bool = True, hour: int = 9):
    return {
        "message_id": mid,
        "type": "track",
        "event": "Experiment Viewed",
        "user_id": unit if user else None,
        "anonymous_id": None if user else unit,
        "timestamp": ts(day, hour),
        "properties": {"experiment_id": "banner", "variation_id": variation},
    }


def test_exposures_conversions_and_revenue(warehouse):
    warehouse.load(
        "events",
        [
            _viewed("e1", "c1", "0", "2024-03-01"),
            _viewed("e2", "c1", "0", "2024-03-02"),  # a second view: one unit
            _viewed("e3", "c2", "0", "2024-03-01"),
            _viewed("e4", "c3", "1", "2024-03-01"),
            _viewed("e5", "c4", "1", "2024-03-01"),
            _viewed("e6", "v9", "1", "2024-03-01", user=False),  # anonymous: cannot convert
            _viewed("e7", "c5", "0", "2024-03-01"),
            _viewed("e8", "c5", "1", "2024-03-01"),  # saw both: left out
        ],
    )
    warehouse.load(
        "orders",
        [
            order("o1", "c1", "2024-03-01", "40"),  # after the 09:00 exposure
            order("o2", "c1", "2024-03-03", "10"),
            order("o3", "c2", "2024-03-01", "25", hour=8),  # before exposure: not counted
            order("o4", "c3", "2024-03-02", "100"),
            order("o5", "c5", "2024-03-02", "70"),
        ],
    )
    scope = ReportScope(start=date(2024, 3, 1), end=date(2024, 3, 7))
    rows = {r.variation: r for r in exposure_rows(warehouse, scope, currency="GBP")}
    assert (rows["0"].units, rows["0"].converted, rows["0"].orders) == (2, 1, 2)
    assert rows["0"].revenue == 50 and rows["0"].revenue_squares == 2500
    assert (rows["1"].units, rows["1"].converted, rows["1"].revenue) == (3, 1, 100)
    assert rows["0"].multiple == 1
    [exp] = experiments_of(list(rows.values()))
    assert exp.variations == ("0", "1") and exp.units == (2, 3)
    assert [m.name for m in exp.metrics] == ["purchase rate", "orders per unit", "revenue per unit"]
    assert [m.name for m in experiments_of(list(rows.values()), revenue=False)[0].metrics] == [
        "purchase rate",
        "orders per unit",
    ]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_the_events_page_api_and_command(client, tenants):
    from typer.testing import CliRunner

    from tests.web.browser import login
    from tradewinds.cli.main import app
    from tradewinds.warehouse import open_warehouse

    views = [_viewed(f"e{i}", f"c{i}", str(i % 2), "2024-03-01") for i in range(40)]
    orders = [order(f"o{i}", f"c{i}", "2024-03-02", str(20 + i)) for i in range(0, 40, 3)]
    with open_warehouse(tenants.a.workspace_key) as wh:
        wh.load("events", views)
        wh.load("orders", orders)
    period = {"from": "2024-03-01", "to": "2024-03-07"}
    api = client.get("/api/v1/experiments/events", params=period, headers=tenants.a.headers)
    assert api.status_code == 200, api.text
    [exp] = api.json()["experiments"]
    assert exp["experiment"] == "banner" and exp["control"] == "0"
    assert [v["units"] for v in exp["variations"]] == [20, 20]
    assert {r["metric"] for r in exp["results"]} >= {"purchase rate", "orders per unit"}
    login(client, tenants.a.owner_email, tenants.a.owner_password)
    page = client.get("/experiments/events", params={"preset": "custom", **period})
    assert page.status_code == 200 and 'data-experiment="banner"' in page.text
    assert "revenue per unit" in page.text  # the owner reads finance figures
    exported = client.get("/experiments/events.csv", params={"preset": "custom", **period})
    assert exported.status_code == 200 and "banner,purchase rate" in exported.text
    empty = client.get(
        "/experiments/events", params={"preset": "custom", "from": "2024-01-01", "to": "2024-01-31"}
    )
    assert 'data-testid="experiments-empty"' in empty.text
    cli = CliRunner().invoke(
        app, ["experiments", "events", "-w", tenants.a.workspace_key, "--from", "2024-03-01",
              "--to", "2024-03-07", "--json"],
    )  # fmt: skip
    assert cli.exit_code == 0, cli.output
    assert cli.stdout and '"revenue per unit"' in cli.stdout
