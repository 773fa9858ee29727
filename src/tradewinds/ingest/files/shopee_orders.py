"""Shopee seller order export (XLSX, English or Traditional Chinese headers) -> orders.

No genuine Shopee download was available to us: the column names below are those that
third-party parsers of the Seller Centre "My Orders › Export" workbook read, in English
and Traditional Chinese (Shopee Taiwan) — ``Order ID``/``訂單編號``, ``Order Status``/
``訂單狀態``, ``Order Creation Date``/``訂單成立日期``, ``Product Name``/``商品名稱``,
``SKU Reference No.``/``商品選項貨號``, ``Parent SKU``/``主商品貨號``, ``Deal Price``/
``商品活動價格``, ``Quantity``/``數量``, ``Username (Buyer)``/``買家帳號`` and the
receiver's name, phone and address. One row per product of an order.

The workbook does not name its currency: give ``--currency`` (TWD, MYR, PHP, SGD, THB,
VND, IDR, BRL …) unless a column name carries it (``Grand Total (₱)``). Order times are
local shop times: give ``--timezone`` (e.g. Asia/Taipei); without it they are read as UTC.
"""

from __future__ import annotations

import pandas as pd

from tradewinds.i18n_markers import N_
from tradewinds.ingest.files.base import Cells, FileFormat, ImportOptions, Parsed
from tradewinds.ingest.files.order_rows import TABLES, build_orders, prefixed, pseudonymous_id
from tradewinds.ingest.files.reading import RawFile, Sample, norm, read_table
from tradewinds.ingest.parsing import currency_in_text

_NAMES = {
    "order_id": ("Order ID", "訂單編號"),
    "status": ("Order Status", "訂單狀態"),
    "ordered_at": ("Order Creation Date", "訂單成立日期", "訂單成立時間"),
    "title": ("Product Name", "商品名稱"),
    "sku": ("SKU Reference No.", "商品選項貨號"),
    "parent_sku": ("Parent SKU", "主商品貨號"),
    "unit_price": ("Deal Price", "商品活動價格"),
    "quantity": ("Quantity", "數量"),
    "buyer": ("Username (Buyer)", "買家帳號"),
    "receiver": ("Receiver Name", "收件者姓名"),
    "phone": ("Phone Number", "電話號碼"),
    "address": ("Delivery Address", "收件地址"),
    "city": ("Town", "City", "城市"),
    "region": ("Province", "State", "縣市"),
    "postal_code": ("Zip Code", "Postal Code", "郵遞區號"),
    "country": ("Country", "國家"),
}
_TOTAL = ("Grand Total", "Total Amount", "訂單總金額", "買家總支付金額")
_SIGNATURE_EN = {
    norm(v[0])
    for k, v in _NAMES.items()
    if k in ("order_id", "status", "ordered_at", "title", "unit_price", "quantity", "buyer")
}
_SIGNATURE_ZH = {
    norm(v[1])
    for k, v in _NAMES.items()
    if k in ("order_id", "status", "ordered_at", "title", "unit_price", "quantity", "buyer")
}


class ShopeeOrdersExport(FileFormat):
    name = "shopee_orders"
    label = N_("Shopee order export (XLSX)")
    tables = TABLES
    primary_table = "order_lines"

    def score(self, sample: Sample) -> float:
        if not sample.rows:
            return 0.0
        names = {norm(c) for c in sample.rows[0]}
        best = max(len(names & _SIGNATURE_EN), len(names & _SIGNATURE_ZH)) / len(_SIGNATURE_EN)
        return best if sample.delimiter == "xlsx" else best * 0.9

    def parse(self, raw: RawFile, options: ImportOptions) -> Parsed:
        frame = read_table(raw, header_row=0)
        cells = Cells(frame, raw.display_name, options)
        col = {k: cells.col(*v) for k, v in _NAMES.items()}
        total_col = cells.col(*_TOTAL) or next(
            (c for c in frame.columns if norm(c).startswith(("grand total", "total amount"))), None
        )
        code = options.currency or next(
            (currency_in_text(c) for c in frame.columns if currency_in_text(c)), None
        )
        cells.decimal_sep([col["unit_price"], col["quantity"], total_col])
        order_id = prefixed("shopee", cells.text(col["order_id"]))
        names = cells.text(col["receiver"]).str.split(" ", n=1)
        sku = cells.text(col["sku"])
        sku = sku.where(sku.notna(), cells.text(col["parent_sku"]))
        cols = {
            "order_id": order_id,
            "status": cells.text(col["status"]),
            "ordered_at": cells.timestamp(col["ordered_at"], required=True),
            "customer_id": pseudonymous_id("shopee", cells.text(col["buyer"])),
            "country": cells.text(col["country"]),
            "currency": cells.currency(None, code),
            "quantity": cells.quantity(col["quantity"]),
            "unit_price": cells.money(col["unit_price"]),
            "order_total": cells.money(total_col),
            "sku": sku,
            "product_id": prefixed("shopee", sku),
            "title": cells.text(col["title"]),
            "first_name": names.str[0],
            "last_name": names.str[1],
            "phone": cells.text(col["phone"]),
            "address1": cells.text(col["address"]),
            "city": cells.text(col["city"]),
            "region": cells.text(col["region"]),
            "postal_code": cells.text(col["postal_code"]),
        }
        cols = {k: pd.Series(v).reset_index(drop=True) for k, v in cols.items()}
        frames = build_orders(cells, cols, storefront="shopee", line_sort=("sku",))
        return cells.parsed(frames, len(frame))
