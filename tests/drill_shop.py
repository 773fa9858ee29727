"""A tiny shop to drill into, figures worked out by hand.

1-10 March 2025 (Europe/London): Google spends £150 (Brand search £100 over two ad groups,
Shopping £50), Meta £20 (Reels). Ann (FR, £120, two Google touches) and Ben (GB, £80, a
Google click; first order in February) ordered through Brand search, Cat (FR, £40) through
Meta, and a guest (DE, £15) without a touch: 4 orders, £255 revenue, 2 new customers.
"""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

from tests.analytics.fixtures import order, spend, ts

PERIOD = "from=2025-03-01&to=2025-03-10"


def _touch(tid: str, customer: str, day: str, **fields: str) -> dict[str, object]:
    return {"touchpoint_id": tid, "customer_id": customer, "occurred_at": ts(day, 9), **fields}


def _line(oid: str, no: int, title: str, qty: int, price: str, kind: str = "product") -> dict:
    return {
        "order_id": oid,
        "line_no": no,
        "product_id": f"p{no}",
        "sku": f"SKU-{no}",
        "title": title,
        "quantity": qty,
        "unit_price": D(price),
        "currency": "GBP",
        "source": "test",
        "line_kind": kind,
    }


def drill_rows() -> dict[str, list[dict[str, Any]]]:
    """Ad spend, touches, orders and lines (each table's rows)."""
    brand = [
        spend("2025-03-05", "google", "70", "GBP", campaign="111"),
        spend("2025-03-06", "google", "30", "GBP", campaign="111"),
        spend("2025-03-05", "google", "50", "GBP", campaign="222"),
        spend("2025-03-05", "meta", "20", "GBP", campaign="333"),
    ]
    names = ("Brand search", "Brand search", "Shopping", "Reels")
    groups = (("ag1", "Brand – exact", "ad1", "Text ad A"), ("ag2", "Brand – broad", "", ""))
    for i, (row, name) in enumerate(zip(brand, names, strict=True)):
        row["campaign_name"] = name
        if i < 2:
            row["ad_group_id"], row["ad_group_name"], row["ad_id"], row["ad_name"] = groups[i]
    return {
        "ad_spend_daily": brand,
        "touchpoints": [
            _touch("1", "ann", "2025-03-04", source="google", medium="cpc", campaign="x"),
            _touch("2", "ann", "2025-03-05", gclid="g1", campaign="Brand search"),
            _touch("3", "ben", "2025-03-05", gclid="g2", campaign="Brand search"),
            _touch("4", "cat", "2025-03-06", fbclid="f1", campaign="Reels"),
        ],
        "orders": [
            order("o1", "ann", "2025-03-05", "120", country="FR"),
            order("o2", "ben", "2025-03-06", "80", country="GB"),
            order("o3", "cat", "2025-03-07", "40", country="FR"),
            order("o4", None, "2025-03-08", "15", country="DE"),
            order("o0", "ben", "2025-02-10", "25", country="GB"),  # ben's first order
        ],
        "order_lines": [
            _line("o1", 1, "Silk scarf", 2, "50"),
            _line("o1", 2, "Postage", 1, "20", "postage"),
        ],
    }


def load_drill_shop(key: str) -> None:
    """Load :func:`drill_rows` into workspace ``key``'s warehouse."""
    from tradewinds.warehouse import open_warehouse

    with open_warehouse(key) as wh:
        for table, rows in drill_rows().items():
            wh.load(table, rows)
