"""Attribution over a real workspace warehouse: CLI, API and the web page."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from typer.testing import CliRunner

from tests.web.browser import login
from tradewinds.attribution import demo
from tradewinds.attribution.models.catalog import MODEL_NAMES
from tradewinds.cli.main import app
from tradewinds.warehouse import open_warehouse

TODAY = date.today()
FROM = (TODAY - timedelta(days=60)).isoformat()
TO = TODAY.isoformat()


def load_demo(workspace_key: str, currency: str) -> dict:
    rows = demo.journey_rows(customers=150, end=TODAY, days=60, currency=currency, seed=5)
    with open_warehouse(workspace_key) as warehouse:
        for table in ("identities", "touchpoints", "orders", "ad_spend_daily"):
            warehouse.load(table, rows[table])
    return rows


def test_api_reports_every_model_and_stays_in_its_workspace(client, tenants) -> None:
    rows = load_demo(tenants.a.workspace_key, "GBP")
    answer = client.get(
        f"/api/v1/attribution?model=all&from={FROM}&to={TO}", headers=tenants.a.headers
    )
    assert answer.status_code == 200, answer.text
    models = answer.json()["models"]
    assert [m["model"] for m in models] == list(MODEL_NAMES)
    orders = {
        o["order_id"]
        for o in rows["orders"]
        if o["ordered_at"].date() >= TODAY - timedelta(days=60)
    }
    for m in models:
        assert m["error"] is None
        assert m["total_conversions"] == len(orders)
        assert sum(c["conversions"] for c in m["channels"]) == pytest.approx(len(orders))
        assert sum(c["value"] for c in m["channels"]) == pytest.approx(m["total_value"])
    paid = {c["channel"]: c for c in models[-2]["channels"]}
    assert paid["paid_search"]["spend"] > 0 and paid["paid_search"]["roas"] > 0
    other = client.get(f"/api/v1/attribution?from={FROM}&to={TO}", headers=tenants.b.headers)
    assert other.status_code == 200
    assert other.json()["total_conversions"] == 0
    assert other.json()["channels"] == []


def test_api_campaign_level_and_bad_dates(client, tenants) -> None:
    load_demo(tenants.a.workspace_key, "GBP")
    answer = client.get(
        f"/api/v1/attribution?model=markov&level=campaign&from={FROM}&to={TO}",
        headers=tenants.a.headers,
    )
    keys = {c["channel"] for c in answer.json()["channels"]}
    assert "paid_search / brand" in keys
    bad = client.get(f"/api/v1/attribution?from={TO}&to={FROM}", headers=tenants.a.headers)
    assert bad.status_code == 422


def test_cli_run(client, tenants) -> None:
    load_demo(tenants.a.workspace_key, "GBP")
    result = CliRunner().invoke(
        app,
        [
            "attribution",
            "run",
            "--workspace",
            tenants.a.name,
            "--model",
            "shapley",
            "--from",
            FROM,
            "--to",
            TO,
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["model"] == "shapley" and report["currency"] == "GBP"
    assert sum(c["conversions"] for c in report["channels"]) == pytest.approx(
        report["total_conversions"]
    )


def test_page_shows_all_models_and_heatmap(client, tenants) -> None:
    login(client, tenants.a.owner_email, tenants.a.owner_password)
    empty = client.get("/attribution")
    assert empty.status_code == 200
    assert 'data-testid="attribution-empty"' in empty.text
    load_demo(tenants.a.workspace_key, "GBP")
    page = client.get(f"/attribution?from={FROM}&to={TO}")
    assert page.status_code == 200
    for label in ("First touch", "Last non-direct", "Time decay", "Markov", "Shapley"):
        assert label in page.text
    assert 'id="heatmap"' in page.text and "(conversion)" in page.text
    csv_file = client.get(f"/attribution.csv?from={FROM}&to={TO}")
    assert csv_file.status_code == 200
    assert csv_file.text.splitlines()[0].startswith("model,channel,conversions")
    bad = client.get("/attribution?from=2024-02-31")
    assert "is not a date" in bad.text


def test_cli_run_takes_the_pages_period(client, tenants) -> None:
    rows = load_demo(tenants.a.workspace_key, "GBP")
    last = max(o["ordered_at"] for o in rows["orders"]).date()
    runner = CliRunner()

    def run(*extra: str):
        return runner.invoke(
            app, ["attribution", "run", "--workspace", tenants.a.name, "--json", *extra]
        )

    # no period: the pages' default, the 30 days ending on the last day with orders
    report = json.loads(run().stdout)
    assert report["to"] == last.isoformat()
    assert report["from"] == (last - timedelta(days=29)).isoformat()
    week = json.loads(run("--period", "last_7_days").stdout)
    assert (week["from"], week["to"]) == ((last - timedelta(days=6)).isoformat(), last.isoformat())
    bad = run("--period", "fortnight")
    assert bad.exit_code != 0 and "--period" in bad.stdout
    both = run("--period", "last_month", "--from", FROM)
    assert both.exit_code != 0 and "cannot be combined" in both.stdout
