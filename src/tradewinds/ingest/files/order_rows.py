"""Turning one-row-per-line-item order exports into canonical order tables.

Every order export we read (Shopify, Amazon, eBay, Shopee, the generic importer) has one row
per line item; order-level fields (totals, addresses) may be repeated on each row or only
written on the first. A format converts its columns to the names below and this module
builds ``orders``, ``order_lines``, ``customers``, ``customer_pii`` and ``products``:

* order-level values: the first non-empty value among the order's rows;
* ``ordered_at``: the earliest row timestamp of the order;
* ``total``: the export's order total when it has one, else the sum of
  ``quantity × unit_price`` plus shipping and tax minus discount;
* rows flagged ``refund`` (e.g. Online Retail ``C…`` invoices) make a refund document:
  ``status='refunded'``, a negative ``total`` and ``refunded = -total``;
* ``line_no``: the export's own line number when it has one, else the position of the line
  within its order (after sorting by ``line_sort`` columns when the layout names a key);
* a row with an error rejects its whole order, so no order is stored with lines missing.

Money arrives as exact ``Int64`` units of 10**-4 and leaves as Arrow decimals.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np
import pandas as pd

from tradewinds.ingest.files.base import Cells
from tradewinds.ingest.parsing import units_to_decimal
from tradewinds.ingest.spec import conform, table

ORDER_FIELDS = ("customer_id", "country", "currency", "status", "order_total", "subtotal",
                "shipping", "tax", "discount", "refunded")
MONEY = ("order_total", "subtotal", "shipping", "tax", "discount", "refunded", "unit_price")
PII = ("email", "phone", "first_name", "last_name", "address1", "address2", "city", "region",
       "postal_code")
TABLES = ("orders", "order_lines", "customers", "customer_pii", "products")


def pseudonymous_id(storefront: str, values: pd.Series) -> pd.Series:
    """Customer id derived from an e-mail or buyer name without storing it outside PII.

    ``shopify:c-3f2a…`` — a keyed-less hash of the lower-cased value; the value itself is
    kept only in ``customer_pii`` so an erasure can remove it.
    """

    def one(v: object) -> object:
        if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)):
            return None
        text = str(v).strip().lower()
        if not text:
            return None
        return f"{storefront}:c-{hashlib.sha256(text.encode()).hexdigest()[:20]}"

    return values.map(one).astype("object")


def prefixed(storefront: str, values: pd.Series) -> pd.Series:
    """``'1001'`` -> ``'shopify:1001'`` (None stays None)."""
    s = values.astype("object")
    return (storefront + ":" + s.astype(str)).where(s.notna(), None).astype("object")


def build_orders(
    cells: Cells,
    columns: dict[str, pd.Series],
    *,
    storefront: str,
    line_sort: Sequence[str] = (),
) -> dict[str, pd.DataFrame]:
    n = len(cells)
    src = pd.DataFrame({k: v.reset_index(drop=True) for k, v in columns.items()}, index=range(n))
    for name in ("order_id", "ordered_at", "quantity", "unit_price"):
        if name not in src:
            raise ValueError(f"order layout lacks {name}")
    cells.require(src["order_id"], "order_id", "an order id")
    cells.require(src["quantity"], "quantity", "a quantity")
    cells.require(src["unit_price"], "unit_price", "a price")
    if "currency" in src:
        has_currency = src["currency"].notna().groupby(src["order_id"]).transform("any")
        cells.reject((~has_currency.astype(bool)).to_numpy() & src["order_id"].notna().to_numpy()
                     & ~cells.bad, "currency", "the order has no currency",
                     values=src["currency"].astype(str))
    _reject_whole_orders(cells, src["order_id"])
    lines = src[~cells.bad].copy()
    if "refund" not in lines:
        lines["refund"] = False
    for name in ORDER_FIELDS + PII + ("sku", "product_id", "title", "vendor", "line_no",
                                      "accepts_marketing", "customer_created_at"):
        if name not in lines:
            lines[name] = None
    for name in MONEY:
        lines[name] = lines[name].astype("Int64")
    if lines["line_no"].isna().all():
        order = lines.sort_values(["order_id", *line_sort], kind="stable") if line_sort else lines
        lines["line_no"] = order.groupby("order_id", sort=False).cumcount().add(1)
    lines["line_total"] = lines["quantity"].astype("Int64") * lines["unit_price"]

    g = lines.groupby("order_id", sort=False)
    orders = g[list(ORDER_FIELDS)].first()
    orders["ordered_at"] = g["ordered_at"].min()
    line_sum = g["line_total"].sum()
    extra = (orders["shipping"].fillna(0) + orders["tax"].fillna(0)
             - orders["discount"].fillna(0))
    orders["total"] = orders["order_total"].astype("Int64").fillna(line_sum + extra)
    is_refund = g["refund"].any()
    orders["status"] = orders["status"].where(~is_refund, "refunded")
    refunded = orders["refunded"].astype("Int64")
    orders["refunded"] = refunded.where(~(is_refund & refunded.isna()), -orders["total"])
    orders = orders.reset_index()
    orders["storefront"] = storefront
    orders["source"] = cells.file
    for name in ("total", "subtotal", "shipping", "tax", "discount", "refunded"):
        orders[name] = units_to_decimal(orders[name].astype("Int64"))

    out_lines = lines[["order_id", "line_no", "product_id", "sku", "title", "quantity",
                       "unit_price", "currency"]].reset_index(drop=True)
    order_currency = orders.set_index("order_id")["currency"]
    out_lines["currency"] = out_lines["currency"].where(
        out_lines["currency"].notna(), out_lines["order_id"].map(order_currency))
    out_lines["unit_price"] = units_to_decimal(out_lines["unit_price"])
    out_lines["source"] = cells.file

    with_customer = lines[lines["customer_id"].notna()]
    lines_customer = with_customer.assign(
        customer_id=with_customer["order_id"].map(orders.set_index("order_id")["customer_id"])
    )
    cg = lines_customer.groupby("customer_id", sort=False)
    customers = cg[["country", "accepts_marketing", "customer_created_at"]].first()
    customers["first_order_at"] = cg["ordered_at"].min()
    customers = customers.reset_index().rename(columns={"customer_created_at": "created_at"})
    customers["source"] = cells.file
    customers["accepts_marketing"] = customers["accepts_marketing"].astype("boolean")

    pii = lines_customer[lines_customer[list(PII)].notna().any(axis=1)]
    customer_pii = pii.groupby("customer_id", sort=False)[[*PII, "country"]].first().reset_index()

    with_product = lines[lines["product_id"].notna()]
    pg = with_product.groupby("product_id", sort=False)
    products = pg[["sku", "title", "vendor"]].first()
    last = with_product.sort_values("ordered_at", kind="stable").groupby("product_id").last()
    products["price"] = last["unit_price"].astype("Int64").reindex(products.index)
    products["currency"] = last["currency"].reindex(products.index)
    products = products.reset_index()
    products["price"] = units_to_decimal(products["price"].astype("Int64"))
    products["source"] = cells.file

    return {
        "orders": conform(table("orders"), orders),
        "order_lines": conform(table("order_lines"), out_lines),
        "customers": conform(table("customers"), customers),
        "customer_pii": conform(table("customer_pii"), customer_pii),
        "products": conform(table("products"), products),
    }


def _reject_whole_orders(cells: Cells, order_ids: pd.Series) -> None:
    if not cells.bad.any():
        return
    bad_ids = set(order_ids[cells.bad].dropna())
    collateral = order_ids.isin(bad_ids).to_numpy() & ~cells.bad
    if collateral.any():
        first_bad = {}
        for oid, line in zip(order_ids[cells.bad], cells.lines[cells.bad], strict=True):
            first_bad.setdefault(oid, int(line))
        reasons = [f"another row of this order (line {first_bad[o]}) was rejected"
                   for o in order_ids[collateral]]
        cells.reject(collateral, "order_id", reasons, values=order_ids.astype(str))
