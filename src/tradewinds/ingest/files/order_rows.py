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
* ``line_kind``: what the line is (``product``, ``postage``, ``fee``, ``discount``,
  ``adjustment``, ``voucher``) by the storefront's rules in ``ingest/line_kinds``; lines
  that are not products do not enter ``products``;
* ``line_no``: the export's own line number when it has one, else the position of the line
  within its order (after sorting by ``line_sort`` columns when the layout names a key);
* a row with an error rejects its whole order, so no order is stored with lines missing
  (the import report says which good lines were held back, per order); with the import
  option ``partial_orders`` the good lines are imported and the report says which orders
  miss a line;
* rows that are imported but look wrong are warnings: a negative quantity on an order that
  is not a refund, a negative price; a line whose quantity × price, or an order whose
  lines, pass the largest amount stored (DECIMAL(18,4)) are errors.

Money arrives as exact ``Int64`` units of 10**-4 and leaves as Arrow decimals.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from decimal import Decimal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from tradewinds.i18n_markers import Plural, Text
from tradewinds.ingest.files.base import Cells
from tradewinds.ingest.hints import PARTIAL_ORDERS_HINT, hint
from tradewinds.ingest.line_kinds import PRODUCT, classify, rules_for
from tradewinds.ingest.parsing import units_to_decimal
from tradewinds.ingest.spec import DECIMAL_SCALE, DECIMAL_TYPE, conform, table

ORDER_FIELDS = (
    "customer_id",
    "country",
    "currency",
    "status",
    "order_total",
    "subtotal",
    "shipping",
    "tax",
    "discount",
    "refunded",
)
MONEY = ("order_total", "subtotal", "shipping", "tax", "discount", "refunded", "unit_price")
PII = (
    "email",
    "phone",
    "first_name",
    "last_name",
    "address1",
    "address2",
    "city",
    "region",
    "postal_code",
)
TABLES = ("orders", "order_lines", "customers", "customer_pii", "products")


def pseudonymous_id(storefront: str, values: pd.Series) -> pd.Series:
    """Customer id derived from an e-mail or buyer name without storing it outside PII.

    ``shopify:c-3f2a…`` — an HMAC-SHA256 of the lower-cased value keyed with this
    installation's secret, so the id cannot be recomputed from a guessed e-mail address by
    anyone without the key; the value itself is kept only in ``customer_pii``, where an
    erasure removes it.
    """
    from tradewinds.config import get_settings

    key = get_settings().secret_key.encode()

    def one(v: object) -> object:
        if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)):
            return None
        text = str(v).strip().lower()
        if not text:
            return None
        digest = hmac.new(key, text.encode(), hashlib.sha256).hexdigest()[:20]
        return f"{storefront}:c-{digest}"

    return values.map(one).astype("object")


def prefixed(storefront: str, values: pd.Series) -> pd.Series:
    """``'1001'`` -> ``'shopify:1001'`` (None stays None)."""
    if isinstance(values.dtype, pd.ArrowDtype):
        arr = pc.cast(values.array._pa_array.combine_chunks(), pa.string())  # noqa: SLF001
        joined = pc.binary_join_element_wise(pa.scalar(storefront + ":"), arr, "")
        return pd.Series(pd.arrays.ArrowExtensionArray(joined), index=values.index)
    s = values.astype("object")
    return (storefront + ":" + s.astype(str)).where(s.notna(), None).astype("object")


def _arrow(series: pd.Series | None, type_: pa.DataType, n: int) -> pa.Array:
    """A column as an Arrow array of ``type_`` (all nulls when the layout lacks it)."""
    if series is None:
        return pa.nulls(n, type=type_)
    if isinstance(series.dtype, pd.ArrowDtype):
        return pc.cast(series.array._pa_array.combine_chunks(), type_)  # noqa: SLF001
    if type_ == pa.string():
        return pa.array(series.astype("object"), type=type_, from_pandas=True)
    if type_ == pa.int64() and isinstance(series.array, pd.arrays.IntegerArray):
        masked = series.array
        return pa.array(
            masked._data.astype(np.int64, copy=False),  # noqa: SLF001
            mask=masked._mask,
            type=type_,
        )  # noqa: SLF001
    return pa.array(series, type=type_, from_pandas=True)


def _units_to_decimal(arr: pa.Array | pa.ChunkedArray) -> pa.Array:
    ints = pc.cast(arr, pa.int64())
    dec = pc.cast(ints, pa.decimal128(19, 0))
    factor = pa.scalar(
        Decimal(1).scaleb(-DECIMAL_SCALE), type=pa.decimal128(DECIMAL_SCALE + 1, DECIMAL_SCALE)
    )
    return pc.multiply(dec, factor).cast(DECIMAL_TYPE)


def _line_numbers(t: pa.Table, line_sort: Sequence[str]) -> np.ndarray:
    """1-based position of each line within its order (file order, or by ``line_sort``)."""
    codes = pc.dictionary_encode(t["order_id"]).combine_chunks().indices
    keyed = pa.table({"__code": codes, **{k: t[k] for k in line_sort}})
    order = pc.sort_indices(
        keyed, sort_keys=[("__code", "ascending")] + [(k, "ascending") for k in line_sort]
    ).to_numpy()
    sorted_codes = codes.to_numpy()[order]
    n = len(order)
    positions = np.arange(n)
    starts = np.ones(n, dtype=bool)
    starts[1:] = sorted_codes[1:] != sorted_codes[:-1]
    first = np.maximum.accumulate(np.where(starts, positions, 0))
    line_no = np.empty(n, dtype=np.int64)
    line_no[order] = positions - first + 1
    return line_no


_STRINGS = (
    "order_id",
    "customer_id",
    "country",
    "currency",
    "status",
    "sku",
    "product_id",
    "title",
    "vendor",
    *PII,
)


def build_orders(
    cells: Cells,
    columns: dict[str, pd.Series],
    *,
    storefront: str,
    line_sort: Sequence[str] = (),
) -> dict[str, pd.DataFrame]:
    n = len(cells)
    cols = {k: v.reset_index(drop=True) for k, v in columns.items()}
    for name in ("order_id", "ordered_at", "quantity", "unit_price"):
        if name not in cols:
            raise ValueError(f"order layout lacks {name}")
    cells.require(cols["order_id"], "order_id", Text("an order id"))
    cells.require(cols["quantity"], "quantity", Text("a quantity"))
    cells.require(cols["unit_price"], "unit_price", Text("a price"))
    if "currency" in cols and cols["currency"].isna().any():
        has = cols["currency"].notna().groupby(cols["order_id"].astype("object")).transform("any")
        cells.reject(
            (~has.astype(bool)).to_numpy() & cols["order_id"].notna().to_numpy() & ~cells.bad,
            "currency",
            Text("the order has no currency"),
            values=cols["currency"].astype(str),
        )
    _check_amounts(cells, cols)
    if cells.options.partial_orders:
        _note_partial_orders(cells, cols["order_id"])
    else:
        _reject_whole_orders(cells, cols["order_id"])

    arrays: dict[str, pa.Array] = {}
    for name in _STRINGS:
        arrays[name] = _arrow(cols.get(name), pa.string(), n)
    for name in (*MONEY, "quantity", "line_no"):
        arrays[name] = _arrow(cols.get(name), pa.int64(), n)
    arrays["ordered_at"] = _arrow(cols["ordered_at"], pa.timestamp("us", tz="UTC"), n)
    arrays["customer_created_at"] = _arrow(
        cols.get("customer_created_at"), pa.timestamp("us", tz="UTC"), n
    )
    arrays["accepts_marketing"] = _arrow(cols.get("accepts_marketing"), pa.bool_(), n)
    arrays["refund"] = _arrow(cols.get("refund"), pa.bool_(), n).fill_null(False)
    for extra in line_sort:
        if extra not in arrays:
            arrays[extra] = _arrow(cols.get(extra), pa.string(), n)
    t = pa.table(arrays)
    if cells.bad.any():
        t = t.filter(pa.array(~cells.bad))
    if t["line_no"].null_count == len(t):
        t = t.set_column(
            t.schema.get_field_index("line_no"), "line_no", pa.array(_line_numbers(t, line_sort))
        )
    t = t.append_column("line_total", pc.multiply_checked(t["quantity"], t["unit_price"]))

    g = t.group_by("order_id", use_threads=False).aggregate(
        [(f, "first") for f in ORDER_FIELDS]
        + [("ordered_at", "min"), ("line_total", "sum"), ("refund", "any")]
    )
    orders = g.to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get)
    orders.columns = [c.removesuffix("_first") for c in orders.columns]
    orders = orders.rename(columns={"ordered_at_min": "ordered_at"})
    extra = orders["shipping"].fillna(0) + orders["tax"].fillna(0) - orders["discount"].fillna(0)
    orders["total"] = orders["order_total"].fillna(orders["line_total_sum"] + extra)
    is_refund = orders["refund_any"].astype(bool)
    orders["status"] = orders["status"].where(~is_refund, "refunded")
    refunded = orders["refunded"]
    orders["refunded"] = refunded.where(~(is_refund & refunded.isna()), -orders["total"])
    orders["storefront"] = storefront
    orders["source"] = cells.file
    for name in ("total", "subtotal", "shipping", "tax", "discount", "refunded"):
        orders[name] = units_to_decimal(orders[name].astype("Int64"))

    position = pc.index_in(t["order_id"], value_set=g["order_id"])
    order_currency = pc.take(g["currency_first"], position)
    order_customer = pc.take(g["customer_id_first"], position)
    kinds = classify(t["sku"], rules_for(storefront))
    lines = pa.table(
        {
            "order_id": t["order_id"],
            "line_no": t["line_no"],
            "product_id": t["product_id"],
            "sku": t["sku"],
            "title": t["title"],
            "quantity": t["quantity"],
            "unit_price": _units_to_decimal(t["unit_price"]),
            "currency": pc.coalesce(t["currency"], order_currency),
            "line_kind": kinds,
        }
    )
    out_lines = lines.to_pandas(types_mapper=_pandas_type)
    out_lines["source"] = cells.file

    t = t.set_column(t.schema.get_field_index("customer_id"), "customer_id", order_customer)
    with_customer = t.filter(pc.is_valid(t["customer_id"]))
    agg = with_customer.group_by("customer_id", use_threads=False).aggregate(
        [
            ("country", "first"),
            ("accepts_marketing", "first"),
            ("customer_created_at", "first"),
            ("ordered_at", "min"),
        ]
    )
    customers = pa.table(
        {
            "customer_id": agg["customer_id"],
            "country": agg["country_first"],
            "accepts_marketing": agg["accepts_marketing_first"],
            "created_at": agg["customer_created_at_first"],
            "first_order_at": agg["ordered_at_min"],
        }
    ).to_pandas(types_mapper=_pandas_type)
    customers["source"] = cells.file

    pii_mask = None
    for name in PII:
        valid = pc.is_valid(with_customer[name])
        pii_mask = valid if pii_mask is None else pc.or_(pii_mask, valid)
    with_pii = with_customer.filter(pii_mask)
    customer_pii = (
        with_pii.group_by("customer_id", use_threads=False)
        .aggregate([(name, "first") for name in (*PII, "country")])
        .to_pandas(types_mapper=_pandas_type)
    )
    customer_pii.columns = [c.removesuffix("_first") for c in customer_pii.columns]

    with_product = t.select(
        ["product_id", "sku", "title", "vendor", "unit_price", "currency", "ordered_at"]
    ).filter(pc.and_(pc.is_valid(t["product_id"]), pc.equal(kinds, PRODUCT)))
    by_time = with_product.take(
        pc.sort_indices(with_product, sort_keys=[("ordered_at", "ascending")])
    )
    products = by_time.group_by("product_id", use_threads=False).aggregate(
        [
            ("sku", "first"),
            ("title", "first"),
            ("vendor", "first"),
            ("unit_price", "last"),
            ("currency", "last"),
        ]
    )
    products = pa.table(
        {
            "product_id": products["product_id"],
            "sku": products["sku_first"],
            "title": products["title_first"],
            "vendor": products["vendor_first"],
            "price": _units_to_decimal(products["unit_price_last"]),
            "currency": products["currency_last"],
        }
    ).to_pandas(types_mapper=_pandas_type)
    products["source"] = cells.file

    return {
        "orders": conform(table("orders"), orders),
        "order_lines": conform(table("order_lines"), out_lines),
        "customers": conform(table("customers"), customers),
        "customer_pii": conform(table("customer_pii"), customer_pii),
        "products": conform(table("products"), products),
    }


def _pandas_type(type_: pa.DataType) -> object:
    if type_ == pa.int64():
        return pd.Int64Dtype()
    if pa.types.is_timestamp(type_) or type_ == pa.bool_():
        return None
    return pd.ArrowDtype(type_)


#: orders named one by one in the import report's notes (the rest are counted)
MAX_ORDER_NOTES = 20
_LARGEST = 10.0**14  # DECIMAL(18,4): fourteen digits before the decimal mark


def _shown_id(order_id: object) -> str:
    """``'online_retail:536365'`` -> ``'536365'`` (the id as the file writes it)."""
    return str(order_id).split(":", 1)[-1]


def _check_amounts(cells: Cells, cols: dict[str, pd.Series]) -> None:
    """Errors for amounts too large to store; warnings for negative quantities and prices."""
    quantity = cols["quantity"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    price = cols["unit_price"].astype("Float64").to_numpy(dtype=float, na_value=np.nan) / 1e4
    with np.errstate(invalid="ignore", over="ignore"):
        line = quantity * price
        huge = np.abs(line) >= _LARGEST
    huge &= ~cells.bad
    units = cols["unit_price"]
    if huge.any():
        cells.reject(
            huge,
            "quantity",
            [
                Text(
                    "quantity × price (%(quantity)s × %(price)s) is too large for one line",
                    quantity=format(q, ",.0f"),
                    price=_amount(u),
                )
                for q, u in zip(quantity[huge], units[huge], strict=True)
            ],
            values=cols["quantity"].astype(str),
        )
    sums = (
        pd.Series(np.abs(np.nan_to_num(line)) * ~cells.bad)
        .groupby(cols["order_id"].astype("object").to_numpy())
        .transform("sum")
        .to_numpy()
    )
    too_much = (sums >= _LARGEST) & ~cells.bad
    if too_much.any():
        cells.reject(
            too_much,
            "order_id",
            Text(
                "the order's lines add up to more than can be "
                "stored (14 digits before the decimal mark)"
            ),
            values=cols["order_id"].astype(str),
        )
    refund = cols.get("refund")
    is_refund = (
        np.zeros(len(cells), dtype=bool)
        if refund is None
        else refund.fillna(False).to_numpy(dtype=bool)
    )
    negative = (quantity < 0) & ~is_refund
    if negative.any():
        ids = cols["order_id"].astype("object").to_numpy()
        cells.warn(
            negative,
            "quantity",
            [
                Text(
                    "quantity %(quantity)s is negative but order %(order)s is not marked as a "
                    "return; imported as it is",
                    quantity=format(q, ",.0f"),
                    order=_shown_id(o),
                )
                for q, o in zip(quantity[negative], ids[negative], strict=True)
            ],
            values=cols["quantity"].astype(str),
        )
    below_zero = price < 0
    if below_zero.any():
        shown = units.map(_amount, na_action="ignore").astype("object")
        cells.warn(
            below_zero,
            "unit_price",
            [
                Text(
                    "price %(price)s is below zero (usually an adjustment, not a sale); "
                    "imported as it is",
                    price=p,
                )
                for p in shown[below_zero]
            ],
            values=shown,
        )


def _amount(units: object) -> str:
    """Units of 10**-4 as the amount a file writes: ``-110620600`` -> ``'-11062.06'``."""
    value = Decimal(int(units)).scaleb(-DECIMAL_SCALE).normalize()  # type: ignore[call-overload]
    return f"{value:f}"


def _good_lines(n: int) -> Plural:
    return Plural("%(num)s good line", "%(num)s good lines", n)


def _orders(n: int) -> Plural:
    return Plural("%(num)s order", "%(num)s orders", n)


def _first_bad_lines(cells: Cells, order_ids: pd.Series) -> dict[object, int]:
    first_bad: dict[object, int] = {}
    for oid, line in zip(order_ids[cells.bad], cells.lines[cells.bad], strict=True):
        if oid is not None and oid is not pd.NA:
            first_bad.setdefault(oid, int(line))
    return first_bad


def _order_notes(cells: Cells, lines: list[str], count: int, tail: str) -> None:
    cells.notes.extend(lines[:MAX_ORDER_NOTES])
    if count > MAX_ORDER_NOTES:
        cells.notes.append(
            Text("… and %(more)s more orders like these", more=count - MAX_ORDER_NOTES)
        )
    cells.notes.append(tail)


def _reject_whole_orders(cells: Cells, order_ids: pd.Series) -> None:
    if not cells.bad.any():
        return
    bad_ids = set(order_ids[cells.bad].dropna())
    collateral = order_ids.isin(bad_ids).to_numpy() & ~cells.bad
    if collateral.any():
        first_bad = _first_bad_lines(cells, order_ids)
        reasons = [
            Text("another row of this order (line %(line)s) was rejected", line=str(first_bad[o]))
            for o in order_ids[collateral]
        ]
        held = pd.Series(order_ids[collateral].astype("object").to_numpy()).value_counts(sort=False)
        notes = [
            Text(
                "order %(order)s: %(lines)s held back because line %(line)s is bad",
                order=_shown_id(oid),
                lines=_good_lines(n),
                line=str(first_bad[oid]),
            )
            for oid, n in held.items()
        ]
        _order_notes(
            cells,
            notes,
            len(notes),
            Text(
                "%(lines)s of %(orders)s with a bad line were held back, so that "
                "no order is stored with lines missing; to import them anyway, import the "
                "file again with %(hint)s",
                lines=_good_lines(int(collateral.sum())),
                orders=_orders(len(notes)),
                hint=hint(PARTIAL_ORDERS_HINT),
            ),
        )
        cells.reject(collateral, "order_id", reasons, values=order_ids.astype(str))


def _note_partial_orders(cells: Cells, order_ids: pd.Series) -> None:
    """With ``partial_orders``: keep the good lines, and say which orders miss a line."""
    if not cells.bad.any():
        return
    bad_ids = set(order_ids[cells.bad].dropna())
    kept = order_ids.isin(bad_ids).to_numpy() & ~cells.bad
    if not kept.any():
        return
    first_bad = _first_bad_lines(cells, order_ids)
    counts = pd.Series(order_ids[kept].astype("object").to_numpy()).value_counts(sort=False)
    notes = [
        Text(
            "order %(order)s: %(lines)s imported without the bad line %(line)s",
            order=_shown_id(oid),
            lines=_good_lines(n),
            line=str(first_bad[oid]),
        )
        for oid, n in counts.items()
    ]
    _order_notes(
        cells,
        notes,
        len(notes),
        Text(
            "%(orders)s imported without their bad lines (the partial "
            "orders option); their totals count only the lines imported, unless the file "
            "gives the order total",
            orders=_orders(len(notes)),
        ),
    )
