"""The budget's CLI, API and pages on one simulated shop (the same answers through each)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from tests.analytics.fixtures import order, spend
from tests.web.browser import login
from tradewinds.budget.simulate import simulate
from tradewinds.cli.main import app
from tradewinds.warehouse import open_warehouse

runner = CliRunner()
DAYS = 200


def _write_csv(path: Path, days: int = DAYS) -> Path:
    data, _truth = simulate(days=days, seed=3)
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["date", "revenue", *data.names, "note"])
        for i, day in enumerate(data.days):
            writer.writerow(
                [str(day), data.revenue[i], *(data.spend[n][i] for n in data.names), "x"]
            )
    return path


def test_fit_and_optimize_from_a_csv_file(tmp_path: Path) -> None:
    path = _write_csv(tmp_path / "daily.csv")
    model = tmp_path / "model.json"
    fitted = runner.invoke(
        app,
        ["budget", "fit", "--file", str(path), "--date-column", "date", "--target", "revenue",
         "--save", str(model), "--bootstrap", "4", "--json"],
    )  # fmt: skip
    assert fitted.exit_code == 0, fitted.output
    out = json.loads(fitted.stdout)
    assert [c["channel"] for c in out["channels"]] == ["google", "meta", "tiktok", "amazon"]
    for c in out["channels"]:
        assert {"contribution", "roi", "adstock_decay", "half_saturation", "hill_shape"} <= set(c)
    assert {"r2", "mape_holdout"} <= set(out["fit"])
    planned = runner.invoke(
        app, ["budget", "optimize", "--model", str(model), "--total-per-day", "4000", "--json"]
    )
    assert planned.exit_code == 0, planned.output
    plan = json.loads(planned.stdout)
    assert sum(plan["allocation"].values()) == pytest.approx(4000, abs=1)
    assert plan["expected"] >= plan["current"] * 0.99 or plan["total_per_day"] > 0
    assert plan["expected_low"] <= plan["expected"] <= plan["expected_high"]
    limited = runner.invoke(
        app, ["budget", "optimize", "--model", str(model), "--total-per-day", "4000",
              "--min", "tiktok=1500", "--fixed", "amazon=300", "--json"],
    )  # fmt: skip
    allocation = json.loads(limited.stdout)["allocation"]
    assert allocation["tiktok"] >= 1499.9 and allocation["amazon"] == pytest.approx(300, abs=0.01)
    ahead = runner.invoke(
        app, ["budget", "forward", "--model", str(model), "--market", "US", "--weeks", "3",
              "--json"],
    )  # fmt: skip
    assert ahead.exit_code == 0, ahead.output
    assert len(json.loads(ahead.stdout)["weeks"]) == 3


def test_a_bad_file_names_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("date,revenue,google\n2024-01-01,100,5\n2024-01-02,100,-3\n")
    bad = runner.invoke(app, ["budget", "fit", "--file", str(path), "--json"])
    assert bad.exit_code == 1
    message = json.loads(bad.stdout)["error"]["message"]
    assert "row 3" in message and "'google'" in message and "negative" in message
    path.write_text("day,revenue,google\n")
    missing = runner.invoke(app, ["budget", "fit", "--file", str(path)])
    assert missing.exit_code == 1 and "--date-column" in missing.output
    path.write_text("date,revenue,google\n2024-01-01,100,5\n2024-01-03,100,3\n")
    gap = runner.invoke(app, ["budget", "fit", "--file", str(path), "--json"])
    assert "2024-01-01 and 2024-01-03" in json.loads(gap.stdout)["error"]["message"]
    planned = runner.invoke(app, ["budget", "optimize", "--model", str(path), "--json"])
    assert planned.exit_code == 1


def _load_shop(workspace_key: str) -> None:
    data, _truth = simulate(days=DAYS, seed=4)
    spends, orders = [], []
    for i, day in enumerate(data.days.astype(str)):
        for name in data.names:
            spends.append(spend(day, name, f"{data.spend[name][i]:.2f}", "GBP", country="GB"))
        orders.append(order(f"o{i}", f"c{i}", day, f"{data.revenue[i]:.2f}"))
    with open_warehouse(workspace_key) as warehouse:
        warehouse.load("ad_spend_daily", pd.DataFrame(spends))
        warehouse.load("orders", pd.DataFrame(orders))


@pytest.mark.slow
def test_the_api_and_the_page_plan_on_the_workspace_model(client, tenants, monkeypatch) -> None:
    from tradewinds.budget import service

    monkeypatch.setattr(service, "BOOTSTRAP", 6)
    empty = client.get("/api/v1/budget/fit", headers=tenants.b.headers)
    assert empty.status_code == 422
    login(client, tenants.b.owner_email, tenants.b.owner_password)
    assert 'data-testid="budget-empty"' in client.get("/budget").text

    _load_shop(tenants.a.workspace_key)
    headers = tenants.a.headers
    fit = client.get("/api/v1/budget/fit", headers=headers)
    assert fit.status_code == 200, fit.text
    body = fit.json()
    assert body["currency"] == "GBP" and len(body["channels"]) == 4
    plan = client.get(
        "/api/v1/budget/optimize",
        params={"total_per_day": 3000, "min": ["meta=900"]},
        headers=headers,
    )
    assert plan.status_code == 200, plan.text
    assert plan.json()["allocation"]["meta"] >= 899.9
    bad = client.get("/api/v1/budget/optimize", params={"min": "meta"}, headers=headers)
    assert bad.status_code == 422 and "CHANNEL=AMOUNT" in bad.text
    assert client.get("/api/v1/budget/curves", headers=headers).status_code == 200
    assert len(client.get("/api/v1/budget/scenarios", headers=headers).json()["scenarios"]) == 4
    ahead = client.get("/api/v1/budget/forward", params={"weeks": 4}, headers=headers)
    assert ahead.status_code == 200 and ahead.json()["market"] == "GB"

    client.cookies.clear()
    login(client, tenants.a.owner_email, tenants.a.owner_password)
    page = client.get("/budget", params={"total": "3000", "lo.1": "900"})
    assert page.status_code == 200, page.text
    for part in ("budget-tiles", "budget-curves", "budget-allocation", "budget-whatif",
                 "budget-forward", "(GBP)"):  # fmt: skip
        assert part in page.text
    impossible = client.get("/budget", params={"total": "100", "lo.0": "5000"})
    assert impossible.status_code == 200 and 'id="limits-error"' in impossible.text
    assert "budget-channels" in client.get("/budget/fit").text
    exported = client.get("/budget/allocation.csv", params={"total": "3000"})
    assert exported.status_code == 200 and "planned_spend_per_day_GBP" in exported.text
