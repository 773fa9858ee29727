"""Purchases read straight from the UCI Online Retail export, to evaluate recommenders.

:func:`load_online_retail` returns the recommenders' interaction frame (the columns of
:data:`tradewinds.recommend.interactions.INTERACTION_COLUMNS`: ``customer_id``, ``item_id``,
``basket_id``, ``date``) without a warehouse: no cancellations, no fees, postage or
adjustments (the importer's line rules, ``line_kinds``), known customers only.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from tradewinds.ingest.line_kinds import PRODUCT, classify, rules_for

# the dotcom shop's DCGS… codes: too rare to learn from
_DOTCOM = r"^DCGS.*$"


def load_online_retail(paths: Iterable[Path | str]) -> pd.DataFrame:
    """Purchases (no cancellations, no fees, known customers) from Online Retail CSV files."""
    frames = [
        pd.read_csv(
            p,
            dtype={"InvoiceNo": str, "StockCode": str, "CustomerID": str},
            usecols=[
                "InvoiceNo",
                "StockCode",
                "Description",
                "Quantity",
                "InvoiceDate",
                "CustomerID",
            ],
        )
        for p in paths
    ]
    raw = pd.concat(frames, ignore_index=True)
    keep = (
        raw["CustomerID"].notna()
        & ~raw["InvoiceNo"].str.startswith("C")
        & (raw["Quantity"] > 0)
        & _products(raw["StockCode"])
        & ~raw["StockCode"].str.fullmatch(_DOTCOM)
    )
    raw = raw[keep]
    return pd.DataFrame(
        {
            "customer_id": raw["CustomerID"].str.replace(r"\.0$", "", regex=True).to_numpy(),
            "item_id": raw["StockCode"].str.upper().to_numpy(),
            "basket_id": raw["InvoiceNo"].to_numpy(),
            "date": pd.to_datetime(raw["InvoiceDate"]).to_numpy(),
            "title": raw["Description"].str.strip().to_numpy(),
        }
    )


def _products(codes: pd.Series) -> pd.Series:
    kinds = classify(pa.array(codes.astype(str), pa.string()), rules_for("online_retail"))
    return pd.Series(pc.equal(kinds, PRODUCT).to_numpy(zero_copy_only=False), index=codes.index)


def online_retail_files(data_dir: Path | str) -> list[Path]:
    """The three period files of the full Online Retail data set, oldest first."""
    files = sorted(Path(data_dir).glob("online_retail_20*.csv.gz"))
    if not files:
        raise FileNotFoundError(f"no online_retail_20*.csv.gz files in {data_dir}")
    return files


def online_retail_orders(
    paths: Iterable[Path | str],
) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
    """Orders (customer_id, date, amount), order lines (customer_id, item_id, basket_id,
    date, title) and each customer's country from Online Retail CSV files: what the
    lookalike evaluation reads (no cancellations, known customers)."""
    raw = pd.concat(
        pd.read_csv(p, dtype={"InvoiceNo": str, "StockCode": str, "CustomerID": str}) for p in paths
    )
    raw = raw[raw["CustomerID"].notna() & ~raw["InvoiceNo"].str.startswith("C")]
    raw = raw[raw["Quantity"] > 0]
    raw["customer_id"] = raw["CustomerID"].str.replace(r"\.0$", "", regex=True)
    raw["date"] = pd.to_datetime(raw["InvoiceDate"])
    raw["amount"] = raw["Quantity"] * raw["UnitPrice"]
    orders = raw.groupby("InvoiceNo").agg(
        customer_id=("customer_id", "first"), date=("date", "first"), amount=("amount", "sum")
    )
    lines = pd.DataFrame(
        {
            "customer_id": raw["customer_id"],
            "item_id": raw["StockCode"].str.upper(),
            "basket_id": raw["InvoiceNo"],
            "date": raw["date"],
            "title": raw["Description"],
        }
    )
    return orders.reset_index(drop=True), lines, raw.groupby("customer_id")["Country"].first()
