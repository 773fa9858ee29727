"""Layout details of the order-export formats beyond the shared conformance suite."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from tests.ingest.samples import SAMPLES
from tradewinds.ingest.files.base import ImportOptions
from tradewinds.ingest.files.reading import RawFile
from tradewinds.ingest.files.registry import get_format
from tradewinds.ingest.spec import FileError, rows_from_frame


def _tables(name: str, path: Path, options: ImportOptions | None = None) -> dict:
    parsed = get_format(name).parse(RawFile(path), options or ImportOptions())
    assert not parsed.errors, parsed.errors
    return {t: list(rows_from_frame(f)) for t, f in parsed.frames.items()}


def test_shopify_order_level_fields_from_the_first_row(tmp_path: Path) -> None:
    t = _tables("shopify_orders", SAMPLES["shopify_orders"](tmp_path, False))
    first = next(o for o in t["orders"] if o["order_id"] == "shopify:1001")
    assert first["ordered_at"] == datetime(2022, 4, 7, 1, 52, 40, tzinfo=UTC)
    assert (first["total"], first["shipping"], first["tax"], first["currency"]) == (
        Decimal("37"),
        Decimal("5"),
        Decimal("2"),
        "USD",
    )
    lines = [ln for ln in t["order_lines"] if ln["order_id"] == "shopify:1001"]
    assert [(ln["line_no"], ln["sku"], ln["currency"]) for ln in lines] == [
        (1, "MUG-1", "USD"),
        (2, "TEA-1", "USD"),
    ]  # the 2nd line takes the order's currency
    customers = {c["customer_id"] for c in t["customers"]}
    assert first["customer_id"] in customers and "@" not in first["customer_id"]
    assert (
        next(c for c in t["customers"] if c["customer_id"] == first["customer_id"])[
            "accepts_marketing"
        ]
        is True
    )


def test_amazon_item_price_covers_the_quantity(tmp_path: Path) -> None:
    t = _tables("amazon_orders", SAMPLES["amazon_orders"](tmp_path, False))
    mug = next(
        ln
        for ln in t["order_lines"]
        if ln["order_id"] == "amazon:302-0000001-0000001" and ln["sku"] == "MUG-1"
    )
    assert (mug["quantity"], mug["unit_price"]) == (2, Decimal("10"))
    order = next(o for o in t["orders"] if o["order_id"] == "amazon:302-0000001-0000001")
    # items 20.00 + 9.99, tax 1.90 twice, shipping 3.00 twice
    assert order["total"] == Decimal("20") + Decimal("9.99") + 2 * Decimal("1.9") + 6
    assert order["customer_id"] is None and t["customer_pii"] == []


def test_ebay_money_signs_dates_and_footer(tmp_path: Path) -> None:
    path = SAMPLES["ebay_orders"](tmp_path, False)
    parsed = get_format("ebay_orders").parse(RawFile(path), ImportOptions())
    assert parsed.rows_read == 3  # blank lines and "record(s) downloaded" are not rows
    orders = list(rows_from_frame(parsed.frames["orders"]))
    first = next(o for o in orders if o["order_id"] == "ebay:12-00001-00001")
    assert first["currency"] == "USD" and first["total"] == Decimal("30.99")
    assert first["ordered_at"] == datetime(2023, 3, 15, tzinfo=UTC)


def test_shopee_needs_a_currency(tmp_path: Path) -> None:
    path = SAMPLES["shopee_orders"](tmp_path, False)
    with pytest.raises(FileError, match="--currency"):
        get_format("shopee_orders").parse(RawFile(path), ImportOptions())
    t = _tables("shopee_orders", path, ImportOptions(currency="TWD", timezone="Asia/Taipei"))
    order = next(o for o in t["orders"] if o["order_id"] == "shopee:240101ABC")
    assert (order["currency"], order["total"]) == ("TWD", Decimal("760"))
    assert order["ordered_at"] == datetime(2024, 1, 1, 2, 0, tzinfo=UTC)  # 10:00 in Taipei
    assert {p["last_name"] for p in t["customer_pii"]} == {"小明", "大同"}


def test_online_retail_cancellations_are_refunds(shared_data: Path, tmp_path: Path) -> None:
    path = tmp_path / "retail.csv"
    path.write_text(
        "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
        "536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2010-12-01 08:26:00,2.55,17850.0,"
        "United Kingdom\n"
        "C536379,D,Discount,-1,2010-12-01 09:41:00,27.5,14527.0,United Kingdom\n"
        "536366,22633,HAND WARMER UNION JACK,6,2010-12-01 08:28:00,1.85,,United Kingdom\n"
    )
    t = _tables("online_retail", path)
    by_id = {o["order_id"]: o for o in t["orders"]}
    refund = by_id["online_retail:C536379"]
    assert (refund["status"], refund["total"], refund["refunded"]) == (
        "refunded",
        Decimal("-27.5"),
        Decimal("27.5"),
    )
    assert by_id["online_retail:536365"]["customer_id"] == "online_retail:17850"
    assert by_id["online_retail:536366"]["customer_id"] is None  # a guest order, kept
    assert by_id["online_retail:536365"]["ordered_at"] == datetime(2010, 12, 1, 8, 26, tzinfo=UTC)
