"""eBay Seller Hub orders report (CSV) -> order tables.

Columns as in the Seller Hub "Orders" download: ``Sales Record Number``, ``Order Number``,
``Buyer Username``, ``Buyer Name``, ``Buyer Email``, ``Buyer Address 1`` …, ``Ship To
Country``, ``Item Number``, ``Item Title``, ``Custom Label``, ``Quantity``, ``Sold For``,
``Shipping And Handling``, ``Total Price``, ``Sale Date``, ``Transaction ID`` …

The download may start with a blank line and end with lines such as ``2 record(s)
downloaded``; both are skipped (not counted as rows). Money cells carry the currency sign
(``$12.99``, ``£8.50``, ``EUR 10,00``): ``US $``/``$`` is read as USD, ``C $`` CAD,
``AU $`` AUD, ``£`` GBP, ``€`` EUR, or give ``--currency``. ``Sale Date`` (``Mar-15-23``)
is read in UTC unless ``--timezone`` says otherwise. The customer is a hash of the buyer's
username; names, e-mail and address go to ``customer_pii`` only.
"""

from __future__ import annotations

import re

import pandas as pd

from tradewinds.i18n_markers import N_, Text
from tradewinds.ingest.files.base import Cells, FileFormat, ImportOptions, Parsed
from tradewinds.ingest.files.order_rows import TABLES, build_orders, prefixed, pseudonymous_id
from tradewinds.ingest.files.reading import RawFile, Sample, header_score, read_table
from tradewinds.ingest.spec import FileError

_SIGNATURE = {
    "sales record number",
    "order number",
    "buyer username",
    "item number",
    "item title",
    "quantity",
    "sold for",
    "total price",
    "sale date",
}
_SIGNS = [
    ("US $", "USD"),
    ("AU $", "AUD"),
    ("C $", "CAD"),
    ("CA $", "CAD"),
    ("£", "GBP"),
    ("€", "EUR"),
    ("EUR", "EUR"),
    ("GBP", "GBP"),
    ("USD", "USD"),
    ("AUD", "AUD"),
    ("CAD", "CAD"),
    ("$", "USD"),
]
_MONEY = (
    "Sold For",
    "Shipping And Handling",
    "Total Price",
    "Seller Collected Tax",
    "eBay Collected Tax",
)


class EbayOrdersReport(FileFormat):
    name = "ebay_orders"
    label = N_("eBay Seller Hub orders report (CSV)")
    tables = TABLES
    primary_table = "order_lines"

    def score(self, sample: Sample) -> float:
        return header_score(sample, _SIGNATURE, max_row=3)[0]

    def parse(self, raw: RawFile, options: ImportOptions) -> Parsed:
        header = header_score(Sample.of(raw, 5), _SIGNATURE, max_row=3)[1]
        frame = read_table(raw, header_row=max(header, 0), delimiter=",")
        order_col = next((c for c in frame.columns if c.strip().lower() == "order number"), None)
        if order_col is None:
            raise FileError(
                Text(
                    "%(name)s, line %(line)s: no “Order number” "
                    "column, which every eBay orders report has",
                    name=raw.display_name,
                    line=str(max(header, 0) + 1),
                )
            )
        item_col = next((c for c in frame.columns if c.strip().lower() == "item number"), None)
        real = frame[order_col].str.strip() != ""
        if item_col is not None:
            real |= frame[item_col].str.strip() != ""
        frame = frame[real].reset_index(drop=True)
        cells = Cells(frame, raw.display_name, options)
        c = cells.col
        currency = options.currency
        for name in _MONEY:
            col = c(name)
            if col is None:
                continue
            text = cells.frame[col].astype(str)
            for sign, code in _SIGNS:
                has = text.str.strip().str.startswith(sign)
                if has.any():
                    currency = currency or code
                    text = text.where(~has, text.str.strip().str[len(sign) :])
            cells.frame[col] = text
        cells.decimal_sep([c(n) for n in _MONEY] + [c("Quantity")])
        username = cells.text(c("Buyer Username"))
        names = cells.text(c("Buyer Name")).str.split(" ", n=1)
        order_id = prefixed("ebay", cells.text(c("Order Number")))
        by_order = order_id.fillna("")
        total = cells.money(c("Total Price"))
        shipping = cells.money(c("Shipping And Handling"))
        tax = cells.money(c("Seller Collected Tax")).fillna(0) + cells.money(
            c("eBay Collected Tax")
        ).fillna(0)
        item = cells.text(c("Item Number"))
        sale = c("Sale Date")
        fmt = _date_format(cells.frame[sale]) if sale else None
        cols = {
            "order_id": order_id,
            "ordered_at": cells.timestamp(sale, fmt=fmt, required=True, day_first_default=False),
            "customer_id": pseudonymous_id("ebay", username),
            "country": cells.text(c("Ship To Country")),
            "currency": cells.currency(None, currency),
            "quantity": cells.quantity(c("Quantity")),
            "unit_price": cells.money(c("Sold For")),
            "order_total": total.groupby(by_order).transform("sum"),
            "shipping": shipping.fillna(0).groupby(by_order).transform("sum"),
            "tax": tax.groupby(by_order).transform("sum"),
            "sku": cells.text(c("Custom Label")),
            "product_id": prefixed("ebay", item),
            "title": cells.text(c("Item Title")),
            "transaction": cells.text(c("Transaction ID")),
            "email": cells.text(c("Buyer Email")),
            "phone": cells.text(c("Ship To Phone")),
            "first_name": names.str[0],
            "last_name": names.str[1],
            "address1": cells.text(c("Buyer Address 1")),
            "address2": cells.text(c("Buyer Address 2")),
            "city": cells.text(c("Buyer City")),
            "region": cells.text(c("Buyer State")),
            "postal_code": cells.text(c("Buyer Zip")),
        }
        cols = {k: pd.Series(v).reset_index(drop=True) for k, v in cols.items()}
        frames = build_orders(
            cells, cols, storefront="ebay", line_sort=("product_id", "transaction")
        )
        return cells.parsed(frames, len(frame))


def _date_format(values: pd.Series) -> str | None:
    sample = values.astype(str).str.strip()
    sample = sample[sample != ""]
    if sample.empty:
        return None
    first = sample.iloc[0]
    if re.fullmatch(r"[A-Za-z]{3}-\d{1,2}-\d{2}", first):
        return "%b-%d-%y"
    if re.fullmatch(r"[A-Za-z]{3}-\d{1,2}-\d{4}", first):
        return "%b-%d-%Y"
    return None
