"""Product revenue, AOV and recommendations leave postage, fees and adjustments out, while
net revenue reconciles with the file's own total — on all 541,909 Online Retail lines."""

from __future__ import annotations

import csv
import gzip
from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from tests.ingest.test_line_kinds import NOT_PRODUCTS
from tradewinds.analytics.filters import make_scope
from tradewinds.analytics.service import metrics_report
from tradewinds.audiences.service import recommendations
from tradewinds.ingest.service import import_file

PENNY = Decimal("0.01")


def _file_figures(parts: list[Path]) -> dict[str, Decimal]:
    """Totals straight from the CSV, in Decimal: the whole file, per kind of line, and the
    product lines and product orders of the sales documents (positive, not ``C…``)."""
    by_invoice: dict[str, Decimal] = defaultdict(Decimal)
    product_part: dict[str, Decimal] = defaultdict(Decimal)
    out: dict[str, Decimal] = defaultdict(Decimal)
    for part in parts:
        with gzip.open(part, "rt", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                amount = Decimal(row["Quantity"]) * Decimal(row["UnitPrice"])
                kind = NOT_PRODUCTS.get(row["StockCode"], "product")
                out["file"] += amount
                out[kind] += amount
                by_invoice[row["InvoiceNo"]] += amount
                if kind == "product":
                    product_part[row["InvoiceNo"]] += amount
    sales = [i for i, t in by_invoice.items() if t > 0 and not i.startswith("C")]
    out["revenue"] = sum((by_invoice[i] for i in sales), Decimal(0))
    out["product_revenue"] = sum((product_part[i] for i in sales), Decimal(0))
    out["product_orders"] = Decimal(sum(1 for i in sales if product_part[i] > 0))
    return out


@pytest.fixture(scope="module")
def retail(tmp_path_factory: pytest.TempPathFactory):
    from tests.conftest import SHARED_DATA
    from tradewinds.warehouse.duckdb_backend import DuckDBWarehouse

    parts = sorted((SHARED_DATA / "online_retail").glob("online_retail_20*.csv.gz"))
    if len(parts) != 3:
        pytest.skip(f"Online Retail not found in {SHARED_DATA}")
    wh = DuckDBWarehouse(tmp_path_factory.mktemp("retail") / "w.duckdb")
    wh.ensure_tables()
    for part in parts:
        assert not import_file(warehouse=wh, path=part).aborted
    yield wh, _file_figures(parts)
    wh.close()


def test_lines_by_kind_add_up_to_the_file(retail) -> None:
    wh, want = retail
    rows = wh.query(
        "SELECT line_kind, SUM(quantity * unit_price) FROM order_lines GROUP BY line_kind"
    ).rows
    got = {kind: Decimal(total) for kind, total in rows}
    assert set(got) == {"product", "postage", "discount", "fee", "adjustment", "voucher"}
    for kind, total in got.items():
        assert total.quantize(PENNY) == want[kind].quantize(PENNY), kind
    non_product = sum((t for k, t in got.items() if k != "product"), Decimal(0))
    assert got["product"] + non_product == want["file"]  # to the last digit
    assert want["file"].quantize(PENNY) == Decimal("9747747.93")


def test_product_revenue_and_aov_leave_non_products_out(retail) -> None:
    wh, want = retail
    scope = make_scope(
        start=date(2010, 12, 1), end=date(2011, 12, 9), default_end=date(2011, 12, 9)
    )
    report = metrics_report(
        warehouse=wh,
        currency="GBP",
        scope=scope,
        metrics=(
            "revenue",
            "net_revenue",
            "product_revenue",
            "non_product_revenue",
            "adjustments",
            "orders",
            "product_orders",
            "aov",
        ),
    )
    row = report.rows[0]

    def money(name: str) -> Decimal:
        return Decimal(str(row[name])).quantize(PENNY)

    # net revenue: every sales document, refund and the bad debt written off
    assert money("net_revenue") == want["file"].quantize(PENNY)
    assert money("adjustments") == Decimal("-22124.12")  # A563186 and A563187
    assert money("revenue") == want["revenue"].quantize(PENNY)
    assert money("product_revenue") == want["product_revenue"].quantize(PENNY)
    assert money("product_revenue") < money("revenue")
    assert money("non_product_revenue") == (money("revenue") - money("product_revenue"))
    assert row["product_orders"] == int(want["product_orders"]) < row["orders"]
    assert row["aov"] == pytest.approx(
        float(want["product_revenue"] / want["product_orders"]), abs=0.006
    )


def test_recommendations_never_suggest_postage_or_manual_lines(retail) -> None:
    wh, _ = retail
    never = {f"online_retail:{code}" for code in NOT_PRODUCTS}
    # the customer with the most postage lines: POST is in most of their baskets
    buyer = wh.query(
        "SELECT o.customer_id FROM orders o JOIN order_lines l "
        "ON l.order_id = o.order_id WHERE l.sku = 'POST' "
        "AND o.customer_id IS NOT NULL GROUP BY 1 ORDER BY COUNT(*) DESC "
        "LIMIT 1"
    ).scalar()
    body = recommendations(warehouse=wh, customer_id=buyer, n=50)
    assert len(body["recommendations"]) == 50
    assert never.isdisjoint(body["recommendations"])
    pairs = recommendations(warehouse=wh)["bought_together"]
    assert pairs and never.isdisjoint(
        {p["item_id"] for p in pairs} | {p["other_id"] for p in pairs}
    )
    titles = {p["title"] for p in pairs} | {p["other_title"] for p in pairs}
    assert not titles & {"POSTAGE", "DOTCOM POSTAGE", "Manual"}
