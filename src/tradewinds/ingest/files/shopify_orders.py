"""Shopify orders export (Admin › Orders › Export, CSV) -> order tables.

One row per line item. The order's ``Name`` (``#1001``), ``Email`` and ``Created at`` are
repeated on every row; totals, addresses and statuses are written on the first row only.
Timestamps carry their offset (``2022-04-06 21:52:40 -0400``) and are stored in UTC.

The export has no customer id: the customer is identified by a hash of the e-mail address
(``shopify:c-…``). The e-mail, phone, billing name and address go to ``customer_pii``
only. Orders with a ``Cancelled at`` time are stored with status ``cancelled``; otherwise
the status is the ``Financial Status`` (paid, refunded, partially_refunded …).
"""

from __future__ import annotations

import pandas as pd

from tradewinds.i18n_markers import N_
from tradewinds.ingest.files.base import Cells, FileFormat, ImportOptions, Parsed
from tradewinds.ingest.files.order_rows import TABLES, build_orders, prefixed, pseudonymous_id
from tradewinds.ingest.files.reading import RawFile, Sample, header_score, read_table

_SIGNATURE = {
    "name",
    "email",
    "financial status",
    "created at",
    "lineitem quantity",
    "lineitem name",
    "lineitem price",
    "lineitem sku",
    "billing name",
    "total",
}


class ShopifyOrdersExport(FileFormat):
    name = "shopify_orders"
    label = N_("Shopify orders export (CSV)")
    tables = TABLES
    primary_table = "order_lines"

    def score(self, sample: Sample) -> float:
        return header_score(sample, _SIGNATURE, max_row=1)[0]

    def parse(self, raw: RawFile, options: ImportOptions) -> Parsed:
        frame = read_table(raw, header_row=0, delimiter=",")
        cells = Cells(frame, raw.display_name, options)
        c = cells.col
        money = {
            "order_total": c("Total"),
            "subtotal": c("Subtotal"),
            "shipping": c("Shipping"),
            "tax": c("Taxes"),
            "discount": c("Discount Amount"),
            "refunded": c("Refunded Amount"),
            "unit_price": c("Lineitem price"),
        }
        cells.decimal_sep([*money.values(), c("Lineitem quantity")])
        email = cells.text(c("Email"))
        billing_name = cells.text(c("Billing Name"))
        names = billing_name.str.split(" ", n=1)
        cancelled = cells.text(c("Cancelled at")).notna()
        status = cells.text(c("Financial Status"))
        status = status.where(~cancelled, "cancelled")
        marketing = (
            cells.text(c("Accepts Marketing"))
            .str.lower()
            .map({"yes": True, "true": True, "no": False, "false": False})
        )
        sku = cells.text(c("Lineitem sku"))
        cols = {
            "order_id": prefixed("shopify", cells.text(c("Name")).str.lstrip("#")),
            "ordered_at": cells.timestamp(c("Created at"), required=True),
            "customer_id": pseudonymous_id("shopify", email),
            "country": cells.text(c("Shipping Country")).fillna(cells.text(c("Billing Country"))),
            "currency": cells.currency(c("Currency")),
            "status": status.where(status.notna() | ~cancelled, "cancelled"),
            "quantity": cells.quantity(c("Lineitem quantity")),
            "sku": sku,
            "product_id": prefixed("shopify", sku),
            "title": cells.text(c("Lineitem name")),
            "vendor": cells.text(c("Vendor")),
            "accepts_marketing": marketing,
            "email": email,
            "phone": cells.text(c("Phone")).fillna(cells.text(c("Billing Phone"))),
            "first_name": names.str[0],
            "last_name": names.str[1],
            "address1": cells.text(c("Billing Address1")),
            "address2": cells.text(c("Billing Address2")),
            "city": cells.text(c("Billing City")),
            "region": cells.text(c("Billing Province")),
            "postal_code": cells.text(c("Billing Zip")),
        }
        for name, col in money.items():
            cols[name] = cells.money(col)
        cols = {k: (v if isinstance(v, pd.Series) else pd.Series(v)) for k, v in cols.items()}
        frames = build_orders(cells, cols, storefront="shopify")
        return cells.parsed(frames, len(frame))
