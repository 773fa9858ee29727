"""Amazon order report (Seller Central "All Orders" flat file, tab-separated) -> orders.

Columns as documented for the flat-file order reports: ``amazon-order-id``,
``merchant-order-id``, ``purchase-date``, ``last-updated-date``, ``order-status``,
``fulfillment-channel``, ``sales-channel``, …, ``product-name``, ``sku``, ``asin``,
``item-status``, ``quantity``, ``currency``, ``item-price``, ``item-tax``,
``shipping-price``, ``shipping-tax``, ``gift-wrap-price``, ``gift-wrap-tax``,
``item-promotion-discount``, ``ship-promotion-discount``, ``ship-city``, ``ship-state``,
``ship-postal-code``, ``ship-country`` …

One row per item. ``item-price`` is the price of the whole quantity, so the stored unit
price is ``item-price / quantity`` (rounded to 4 decimals). The order total is the sum of
item prices, taxes, shipping and gift wrap minus promotions over the order's rows. The report
names no buyer, so orders are stored without a customer; the shipping city and postcode are
not stored. Lines are numbered by SKU within the order, so a re-downloaded report with rows
in another order gives the same lines.
"""

from __future__ import annotations

import pandas as pd

from tradewinds.i18n_markers import N_
from tradewinds.ingest.files.base import Cells, FileFormat, ImportOptions, Parsed
from tradewinds.ingest.files.order_rows import TABLES, build_orders, prefixed
from tradewinds.ingest.files.reading import RawFile, Sample, header_score, read_table

_SIGNATURE = {
    "amazon-order-id",
    "purchase-date",
    "order-status",
    "sku",
    "quantity",
    "currency",
    "item-price",
}


class AmazonOrderReport(FileFormat):
    name = "amazon_orders"
    label = N_("Amazon order report (Seller Central flat file, tab-separated)")
    tables = TABLES
    primary_table = "order_lines"

    def score(self, sample: Sample) -> float:
        return header_score(sample, _SIGNATURE, max_row=1)[0]

    def parse(self, raw: RawFile, options: ImportOptions) -> Parsed:
        frame = read_table(raw, header_row=0)
        cells = Cells(frame, raw.display_name, options)
        c = cells.col
        parts = [
            "item-price",
            "item-tax",
            "shipping-price",
            "shipping-tax",
            "gift-wrap-price",
            "gift-wrap-tax",
            "item-promotion-discount",
            "ship-promotion-discount",
        ]
        cells.decimal_sep([c(p) for p in parts] + [c("quantity")])
        amounts = {p: cells.money(c(p)) for p in parts}
        quantity = cells.quantity(c("quantity"))
        price = amounts["item-price"]
        unit = price.astype("Float64") / quantity.where(quantity > 0, 1).astype("Float64")
        unit = unit.round().astype("Int64")
        order_id = prefixed("amazon", cells.text(c("amazon-order-id")))
        row_total = (
            price.fillna(0)
            + amounts["item-tax"].fillna(0)
            + amounts["shipping-price"].fillna(0)
            + amounts["shipping-tax"].fillna(0)
            + amounts["gift-wrap-price"].fillna(0)
            + amounts["gift-wrap-tax"].fillna(0)
            - amounts["item-promotion-discount"].fillna(0).abs()
            - amounts["ship-promotion-discount"].fillna(0).abs()
        )
        tax = amounts["item-tax"].fillna(0) + amounts["shipping-tax"].fillna(0)
        by_order = order_id.fillna("")
        status = cells.text(c("order-status"))
        asin = cells.text(c("asin"))
        cols = {
            "order_id": order_id,
            "ordered_at": cells.timestamp(c("purchase-date"), required=True),
            "country": cells.text(c("ship-country")),
            "currency": cells.currency(c("currency")),
            "status": status.str.lower(),
            "quantity": quantity,
            "unit_price": unit,
            "order_total": row_total.groupby(by_order).transform("sum"),
            "subtotal": price.fillna(0).groupby(by_order).transform("sum"),
            "shipping": amounts["shipping-price"].fillna(0).groupby(by_order).transform("sum"),
            "tax": tax.groupby(by_order).transform("sum"),
            "sku": cells.text(c("sku")),
            "product_id": prefixed("amazon", asin.where(asin.notna(), cells.text(c("sku")))),
            "title": cells.text(c("product-name")),
        }
        cols = {k: pd.Series(v).reset_index(drop=True) for k, v in cols.items()}
        frames = build_orders(cells, cols, storefront="amazon", line_sort=("sku", "product_id"))
        return cells.parsed(frames, len(frame))
