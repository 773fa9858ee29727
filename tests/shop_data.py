"""A small shop for the role walks: journeys, repeat buyers, order lines, customers.

Small enough to load in a second, big enough that every report has an answer (the CLV
fit needs repeat buyers, recommendations need baskets, attribution needs ad spend).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from tradewinds.attribution.demo import journey_rows

LAST_DAY = date.today()  # the API's attribution period ends today by default
PRODUCTS = [f"P{n:02d}" for n in range(12)]


def shop_rows(currency: str = "GBP") -> dict[str, list[dict[str, Any]]]:
    rows = journey_rows(customers=160, end=LAST_DAY, days=120, currency=currency, seed=5)
    orders = rows["orders"]
    repeats = []
    for n, order in enumerate(list(orders)):
        for k in range(n % 4):  # a quarter buy once, the rest two to four times
            repeats.append(
                {
                    **order,
                    "order_id": f"{order['order_id']}-r{k}",
                    "ordered_at": order["ordered_at"] - timedelta(days=9 * (k + 1) + n % 7),
                    "total": Decimal(order["total"]) + k,
                }
            )
    orders = orders + repeats
    lines = []
    for n, order in enumerate(orders):
        for j in range(1 + n % 3):
            lines.append(
                {
                    "order_id": order["order_id"],
                    "line_no": j + 1,
                    "product_id": PRODUCTS[(n + 5 * j) % len(PRODUCTS)],
                    "title": f"Product {(n + 5 * j) % len(PRODUCTS)}",
                    "quantity": 1 + j,
                    "unit_price": Decimal("9.50") + j,
                    "currency": currency,
                    "source": "test",
                    "line_kind": "product",
                }
            )
    people = sorted({o["customer_id"] for o in orders})
    customers = [
        {"customer_id": c, "country": "GB", "accepts_marketing": i % 3 != 0, "source": "test"}
        for i, c in enumerate(people)
    ]
    pii = [
        {"customer_id": c, "email": f"{c}@example.com", "first_name": "Kim", "country": "GB"}
        for c in people
    ]
    return {
        **rows,
        "orders": orders,
        "order_lines": lines,
        "customers": customers,
        "customer_pii": pii,
    }


def load_shop(workspace_key: str, currency: str = "GBP") -> None:
    from tradewinds.warehouse import open_warehouse

    with open_warehouse(workspace_key) as warehouse:
        for table, rows in shop_rows(currency).items():
            warehouse.load(table, rows)
