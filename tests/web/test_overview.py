"""The Overview page through the web frame: empty state, tiles, filters, downloads."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from tests.analytics.fixtures import order, spend
from tradewinds.warehouse import open_warehouse

from .browser import login


def test_empty_workspace_says_what_to_import(client, tenants) -> None:
    login(client, tenants.a.owner_email, tenants.a.owner_password)
    page = client.get("/")
    assert page.status_code == 200
    assert 'data-testid="overview-empty"' in page.text
    assert "Import your orders" in page.text and 'href="/data"' in page.text


def test_tiles_filters_and_downloads(client, tenants) -> None:
    with open_warehouse(tenants.a.workspace_key) as wh:
        wh.load(
            "ad_spend_daily",
            [
                spend("2024-03-01", "meta", "40", "GBP", campaign='=HYPERLINK("x")'),
                spend("2024-03-02", "google", "60", "GBP"),
            ],
        )
        wh.load(
            "orders",
            [
                order("o1", "c1", "2024-03-01", "150", country="France"),
                order("o2", "c2", "2024-03-02", "250", country="@SUM(A1)"),
            ],
        )
    login(client, tenants.a.owner_email, tenants.a.owner_password)
    page = client.get("/?from=2024-03-01&to=2024-03-02")
    assert page.status_code == 200
    text = page.text
    assert 'data-metric="revenue"' in text and "£400.00" in text and "4.00×" in text
    assert "/vendor/plotly.min.js" in text and "cdn" not in text.lower()
    assert "Europe/London time" in text  # days are the workspace's
    year = client.get("/?from=2024-03-01&to=2024-03-02&compare=year").text
    assert "compared with the same days a year before (1 Mar 2023 – 2 Mar 2023)" in year
    assert 'value="year" selected' in year
    assert client.get("/?compare=decade").status_code == 422
    assert 'data-testid="table-channels"' in text
    # a filter narrows every figure and stays in the download links
    page = client.get("/?from=2024-03-01&to=2024-03-02&channel=meta")
    assert "£40.00" in page.text and "channel=meta" in page.text
    got = client.get("/overview/countries.csv?from=2024-03-01&to=2024-03-02")
    assert got.status_code == 200 and got.headers["content-type"].startswith("text/csv")
    assert "attachment" in got.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(got.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Country" and rows[0][1] == "Revenue (gross) (GBP)"
    by = {r[0]: r for r in rows[1:]}
    assert by["France"][1] == "150.0"
    assert "'@SUM(A1)" in by  # a formula-looking country is written as text
    xlsx = client.get("/overview/channels.xlsx?from=2024-03-01&to=2024-03-02")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Channel" and {r[0] for r in values[1:]} >= {"meta", "google"}
    assert client.get("/overview/secrets.csv").status_code == 404


def test_days_are_the_workspace_days(client, tenants) -> None:
    """23:30 UTC on 1 July is 00:30 on 2 July in London (summer time): it counts on 2 July."""
    from datetime import datetime

    with open_warehouse(tenants.a.workspace_key) as wh:
        wh.load("orders", [order("late", "c1", "2024-07-01", "30", hour=23)])
        wh.execute("UPDATE orders SET ordered_at = $t", {"t": datetime(2024, 7, 1, 23, 30)})
    login(client, tenants.a.owner_email, tenants.a.owner_password)
    on_second = client.get(
        "/api/v1/metrics?metrics=orders&from=2024-07-02&to=2024-07-02", headers=tenants.a.headers
    )
    assert on_second.json()["rows"] == [{"orders": 1}]
    page = client.get("/?from=2024-07-01&to=2024-07-01")  # nothing on 1 July: the empty state
    assert 'data-testid="period-empty"' in page.text and "£30.00" not in page.text
    page = client.get("/?from=2024-07-02&to=2024-07-02")
    assert 'data-metric="orders"' in page.text and "£30.00" in page.text


def test_reports_side_by_side_give_the_same_page(tmp_path) -> None:
    from datetime import date

    from tradewinds.analytics.filters import make_scope
    from tradewinds.warehouse.duckdb_backend import DuckDBWarehouse
    from tradewinds.web.routes import overview

    wh = DuckDBWarehouse(tmp_path / "w.duckdb")
    wh.ensure_tables()
    try:
        wh.load(
            "orders",
            [
                order(
                    str(i),
                    f"c{i % 7}",
                    f"2024-0{1 + i % 3}-{10 + i % 15}",
                    str(10 + i),
                    country="FR" if i % 2 else "GB",
                )
                for i in range(40)
            ],
        )
        wh.load(
            "ad_spend_daily",
            [spend(f"2024-03-{10 + i}", "meta", str(5 + i), "GBP") for i in range(10)],
        )
        scope = make_scope(start=None, end=date(2024, 3, 31), default_end=date(2024, 3, 31))
        pages = []
        for workers in (1, 3):
            data = overview.build(
                warehouse=wh, scope=scope, currency="GBP", finance=True, workers=workers
            )
            pages.append({k: v.to_dict() if hasattr(v, "to_dict") else v for k, v in data.items()})
        assert pages[0] == pages[1]
        assert pages[0]["totals"]["rows"][0]["orders"] and pages[0]["cohorts"]["cohorts"]
        assert not wh._cursors
    finally:
        wh.close()
