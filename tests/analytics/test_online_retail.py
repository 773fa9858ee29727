"""Figures on the real Online Retail data (the non-UK part, 46,431 lines) against an
independent pandas computation from the raw CSV."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from tradewinds.analytics.filters import country_name, make_scope
from tradewinds.analytics.service import cohort_report, metrics_report
from tradewinds.ingest.service import import_file

FILE = "online_retail/online_retail_non_uk.csv.gz"


@pytest.fixture(scope="module")
def retail(tmp_path_factory: pytest.TempPathFactory):
    from tests.conftest import SHARED_DATA
    from tradewinds.warehouse.duckdb_backend import DuckDBWarehouse

    path = SHARED_DATA / FILE
    if not path.exists():
        pytest.skip(f"shared data not found at {path}")
    wh = DuckDBWarehouse(tmp_path_factory.mktemp("retail") / "w.duckdb")
    wh.ensure_tables()
    report = import_file(warehouse=wh, path=path)
    assert not report.aborted
    yield wh, _invoices(path)
    wh.close()


def _invoices(path: Path) -> pd.DataFrame:
    """One row per invoice, computed straight from the CSV (UK local time -> UTC)."""
    raw = pd.read_csv(path, dtype={"InvoiceNo": str, "StockCode": str})
    raw["amount"] = raw["Quantity"] * raw["UnitPrice"]
    raw["at"] = (
        pd.to_datetime(raw["InvoiceDate"]).dt.tz_localize("Europe/London").dt.tz_convert("UTC")
    )
    inv = (
        raw.groupby("InvoiceNo")
        .agg(
            total=("amount", "sum"),
            at=("at", "min"),
            country=("Country", "first"),
            customer=("CustomerID", "first"),
        )
        .reset_index()
    )
    inv = inv[~inv["InvoiceNo"].str.startswith("C") & (inv["total"] > 0)]
    inv["month"] = inv["at"].dt.tz_localize(None).dt.to_period("M").dt.start_time.dt.date
    return inv


def test_revenue_by_country_and_month(retail) -> None:
    wh, inv = retail
    scope = make_scope(
        start=date(2010, 12, 1),
        end=date(2011, 12, 31),
        default_end=date(2011, 12, 31),
        group_by="country,month",
    )
    report = metrics_report(
        warehouse=wh, currency="GBP", scope=scope, metrics=("revenue", "orders")
    )
    got = {(r["country"], r["month"]): (r["revenue"], r["orders"]) for r in report.rows}
    expected = inv.groupby(["country", "month"]).agg(
        revenue=("total", "sum"), orders=("total", "size")
    )
    assert len(expected) > 250
    want = {
        (country_name(c), m.isoformat()): (round(v.revenue, 2), int(v.orders))
        for (c, m), v in expected.iterrows()
    }
    # a country-month with only cancellations has a row, but no orders and no revenue
    assert all(got[k] == (None, 0) for k in set(got) - set(want))
    assert set(want) <= set(got)
    for key, (revenue, orders) in want.items():
        assert got[key][1] == orders, key
        assert got[key][0] == pytest.approx(revenue, abs=0.011), key


def test_monthly_cohort_retention(retail) -> None:
    wh, inv = retail
    buyers = inv.dropna(subset=["customer"]).copy()
    buyers["m"] = buyers["at"].dt.year * 12 + buyers["at"].dt.month - 1
    first = buyers.groupby("customer")["m"].min().rename("cohort")
    buyers = buyers.join(first, on="customer")
    buyers["k"] = buyers["m"] - buyers["cohort"]
    active = buyers.groupby(["cohort", "k"])["customer"].nunique()
    scope = make_scope(
        start=date(2010, 12, 1), end=date(2011, 12, 9), default_end=date(2011, 12, 9)
    )
    body = cohort_report(warehouse=wh, scope=scope, currency="GBP")
    assert len(body["cohorts"]) == 13
    for cohort in body["cohorts"]:
        y, m = map(int, cohort["month"].split("-"))
        n = y * 12 + m - 1
        size = int(active[(n, 0)])
        assert cohort["customers"] == size
        for k, retained in enumerate(cohort["retained"]):
            assert retained == int(active.get((n, k), 0)), (cohort["month"], k)
            assert cohort["retention"][k] == pytest.approx(retained / size, abs=1e-6)
