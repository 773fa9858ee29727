"""A workspace warehouse filled from the real Online Retail cross-border subset."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

RETAIL_WORKSPACE = "retail-test"


def online_retail_tables(path: Path) -> dict[str, pd.DataFrame]:
    """orders / order_lines / customers / customer_pii rows from an Online Retail file.

    Online Retail has no personal data, so each customer gets a made-up address at
    example.com and a made-up phone number; every third customer has not consented.
    """
    raw = pd.read_csv(path, dtype={"InvoiceNo": str, "StockCode": str, "CustomerID": str})
    raw = raw[raw["CustomerID"].notna() & ~raw["InvoiceNo"].str.startswith("C")]
    raw = raw[raw["Quantity"] > 0]
    raw["customer_id"] = raw["CustomerID"].str.replace(r"\.0$", "", regex=True)
    raw["order_id"] = "online_retail:" + raw["InvoiceNo"]
    raw["value"] = raw["Quantity"] * raw["UnitPrice"]
    orders = (
        raw.groupby("order_id")
        .agg(
            customer_id=("customer_id", "first"),
            ordered_at=("InvoiceDate", "first"),
            country=("Country", "first"),
            total=("value", "sum"),
        )
        .reset_index()
    )
    orders["storefront"] = "online_retail"
    orders["currency"] = "GBP"
    orders["total"] = orders["total"].round(2)
    lines = raw[["order_id", "StockCode", "Description", "Quantity", "UnitPrice"]].copy()
    lines.columns = ["order_id", "product_id", "title", "quantity", "unit_price"]
    lines["line_no"] = lines.groupby("order_id").cumcount() + 1
    lines["currency"] = "GBP"
    ids = sorted(orders["customer_id"].unique())
    country = orders.groupby("customer_id")["country"].first()
    customers = pd.DataFrame(
        {
            "customer_id": ids,
            "country": [country[c] for c in ids],
            "accepts_marketing": [i % 3 != 0 for i in range(len(ids))],
        }
    )
    pii = pd.DataFrame(
        {
            "customer_id": ids,
            "email": [f" Customer.{c}@Example.com " for c in ids],
            "phone": [
                f"+49 151 {int(hashlib.sha256(c.encode()).hexdigest(), 16) % 10**8:08d}"
                for c in ids
            ],
            "first_name": ["Kim"] * len(ids),
            "last_name": [f"Nr {c}" for c in ids],
            "country": [country[c] for c in ids],
        }
    )
    return {"orders": orders, "order_lines": lines, "customers": customers, "customer_pii": pii}


@pytest.fixture
def retail_warehouse(tw_home: Path, shared_data: Path) -> Iterator[str]:
    _load(RETAIL_WORKSPACE, shared_data)
    yield RETAIL_WORKSPACE


def _load(workspace_key: str, shared_data: Path) -> None:
    from tradewinds.warehouse import open_warehouse

    tables = online_retail_tables(shared_data / "online_retail" / "online_retail_non_uk.csv.gz")
    with open_warehouse(workspace_key) as wh:
        for name, frame in tables.items():
            wh.load(name, frame)


@pytest.fixture
def retail_workspace(app_db: str, shared_data: Path) -> str:
    """A workspace in the app DB (name "Retail Test") whose warehouse holds the orders."""
    from tradewinds.db.engine import session_scope
    from tradewinds.workspaces import service
    from tradewinds.workspaces.schemas import WorkspaceCreate

    with session_scope() as session:
        ws = service.create_workspace(
            session=session,
            workspace_in=WorkspaceCreate(
                name="Retail Test", currency="GBP", timezone="Europe/London", region="uk"
            ),
            actor="test",
        )
        key = ws.key
    _load(key, shared_data)
    return "Retail Test"


@pytest.fixture
def small_shop(app_db: str) -> str:
    """A workspace ("Small Shop") with 12 customers' orders of 6 products."""
    from tradewinds.db.engine import session_scope
    from tradewinds.warehouse import open_warehouse
    from tradewinds.workspaces import service
    from tradewinds.workspaces.schemas import WorkspaceCreate

    with session_scope() as session:
        ws = service.create_workspace(
            session=session,
            workspace_in=WorkspaceCreate(
                name="Small Shop", currency="EUR", timezone="UTC", region="eu"
            ),
            actor="test",
        )
        key = ws.key
    orders, lines = [], []
    for c in range(12):
        for k in range(1 + c % 3):
            order_id = f"o{c}-{k}"
            orders.append((order_id, f"c{c}", f"2024-0{1 + k}-{10 + c}", 20.0 + c, "DE"))
            for p in {f"p{(c + k) % 6}", f"p{(c * 2 + k) % 6}"}:
                lines.append((order_id, p, f"Mug {p}", 1, 10.0))
    with open_warehouse(key) as wh:
        frame = pd.DataFrame(
            orders, columns=["order_id", "customer_id", "ordered_at", "total", "country"]
        )
        frame["ordered_at"] = pd.to_datetime(frame["ordered_at"])
        frame["currency"] = "EUR"
        frame["storefront"] = "shop"
        wh.load("orders", frame)
        items = pd.DataFrame(
            lines, columns=["order_id", "product_id", "title", "quantity", "unit_price"]
        )
        items["line_no"] = items.groupby("order_id").cumcount() + 1
        items["currency"] = "EUR"
        wh.load("order_lines", items)
        wh.load(
            "customers",
            pd.DataFrame({"customer_id": [f"c{c}" for c in range(12)], "country": "DE"}),
        )
    return "Small Shop"
