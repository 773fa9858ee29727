"""Customer transactions as one plain table, and the per-customer summaries built from it.

Every customer model here (RFM, BG/NBD, Gamma-Gamma, clusters, lookalikes) reads the
same frame: one row per transaction with the columns ``customer_id`` (str), ``date``
(datetime64, day precision) and ``amount`` (float, in the reporting currency). Loaders
for files live here too, so the command line can fit a model without a workspace.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

TransactionFormat = Literal["cdnow", "cdnow_sample", "csv"]
Period = Literal["day", "week", "month"]

PERIOD_DAYS: dict[str, float] = {"day": 1.0, "week": 7.0, "month": 365.25 / 12}

TRANSACTION_COLUMNS = ("customer_id", "date", "amount")


class TransactionFileError(ValueError):
    """A transactions file could not be read in the stated format."""


def _read_whitespace(path: Path, names: list[str]) -> pd.DataFrame:
    frame = pd.read_csv(path, sep=r"\s+", header=None, names=names, dtype=str, engine="python")
    # CDNOW_master.txt starts with a header line; any row whose date is not digits is one.
    frame = frame[frame["date"].str.fullmatch(r"\d{8}", na=False)]
    if frame.empty:
        raise TransactionFileError(f"{path}: no transaction rows (expected YYYYMMDD dates)")
    return frame


def load_transactions(path: Path | str, *, fmt: TransactionFormat) -> pd.DataFrame:
    """Read a transactions file into the standard frame (customer_id, date, amount).

    * ``cdnow``: the CDNOW master layout, whitespace separated: id, YYYYMMDD, CDs, dollars.
    * ``cdnow_sample``: the 1/10 sample: id, sample id, YYYYMMDD, CDs, dollars.
    * ``csv``: a header row with ``customer_id,date,amount`` (extra columns ignored).
    """
    path = Path(path)
    if not path.exists():
        raise TransactionFileError(f"{path}: no such file")
    if fmt == "cdnow":
        raw = _read_whitespace(path, ["customer_id", "date", "quantity", "amount"])
    elif fmt == "cdnow_sample":
        raw = _read_whitespace(path, ["customer_id", "sample_id", "date", "quantity", "amount"])
    elif fmt == "csv":
        raw = pd.read_csv(path, dtype=str)
        missing = [c for c in TRANSACTION_COLUMNS if c not in raw.columns]
        if missing:
            raise TransactionFileError(
                f"{path}: missing column(s) {', '.join(missing)}; "
                "expected a header customer_id,date,amount"
            )
    else:  # pragma: no cover - guarded by the Literal type and the CLI choice
        raise TransactionFileError(f"unknown format {fmt!r}")
    ids = raw["customer_id"].astype(str).str.strip()
    if fmt != "csv":  # CDNOW ids are zero-padded numbers: "00004" is customer 4
        ids = ids.str.lstrip("0").replace("", "0")
    out = pd.DataFrame(
        {
            "customer_id": ids,
            "date": pd.to_datetime(
                raw["date"], format="%Y%m%d" if fmt != "csv" else None, errors="coerce"
            ),
            "amount": pd.to_numeric(raw["amount"], errors="coerce"),
        }
    )
    bad = out["date"].isna() | out["amount"].isna()
    if bad.any():
        first = int(np.flatnonzero(bad.to_numpy())[0])
        raise TransactionFileError(
            f"{path}: row {first + 1}: date or amount could not be read "
            f"({raw.iloc[first].to_dict()})"
        )
    out["date"] = out["date"].dt.normalize()
    return out.reset_index(drop=True)


@dataclass(frozen=True)
class Summary:
    """Per-customer calibration summary in model time units, as arrays aligned by index."""

    customer_id: np.ndarray
    frequency: np.ndarray  # repeat transactions (x)
    recency: np.ndarray  # time of last repeat transaction since the first (t_x)
    T: np.ndarray  # time from first transaction to the end of calibration
    monetary: np.ndarray  # mean value of repeat transactions (0 when x == 0)

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "customer_id": self.customer_id,
                "frequency": self.frequency,
                "recency": self.recency,
                "T": self.T,
                "monetary": self.monetary,
            }
        )

    def __len__(self) -> int:
        return len(self.customer_id)


def daily(transactions: pd.DataFrame) -> pd.DataFrame:
    """Combine each customer's transactions on the same day into one (amounts summed)."""
    return (
        transactions.groupby(["customer_id", "date"], sort=False, observed=True)["amount"]
        .sum()
        .reset_index()
    )


def summarise(
    transactions: pd.DataFrame,
    *,
    calibration_end: date | pd.Timestamp | str,
    period: Period = "week",
) -> Summary:
    """Frequency / recency / T / monetary for each customer first seen by ``calibration_end``.

    Transactions on the same day count once; the first one is the "trial", later ones are
    repeats. Times are measured in ``period`` units from each customer's first purchase;
    ``T`` runs to ``calibration_end`` (e.g. 1997-01-01 to 1997-09-30 is 272 days = 38.86 weeks).
    """
    end = pd.Timestamp(calibration_end).normalize()
    unit = PERIOD_DAYS[period]
    tx = transactions[transactions["date"] <= end]
    if tx.empty:
        raise ValueError("no transactions on or before the calibration end")
    days = daily(tx)
    codes, uniques = pd.factorize(days["customer_id"], sort=True)
    day_num = (days["date"].to_numpy().astype("datetime64[D]").astype(np.int64)).astype(float)
    n = len(uniques)
    first = np.full(n, np.inf)
    np.minimum.at(first, codes, day_num)
    last = np.full(n, -np.inf)
    np.maximum.at(last, codes, day_num)
    count = np.bincount(codes, minlength=n)
    total = np.bincount(codes, weights=days["amount"].to_numpy(dtype=float), minlength=n)
    # value of the first (trial) purchase is excluded from the repeat-spend average
    is_first = day_num == first[codes]
    first_value = np.bincount(
        codes, weights=np.where(is_first, days["amount"].to_numpy(dtype=float), 0.0), minlength=n
    )
    freq = count - 1
    end_num = float(np.datetime64(end.date(), "D").astype(np.int64))
    with np.errstate(invalid="ignore", divide="ignore"):
        monetary = np.where(freq > 0, (total - first_value) / np.maximum(freq, 1), 0.0)
    return Summary(
        customer_id=np.asarray(uniques, dtype=object),
        frequency=freq.astype(float),
        recency=(last - first) / unit,
        T=(end_num - first) / unit,
        monetary=monetary,
    )


def holdout_counts(
    transactions: pd.DataFrame,
    *,
    customer_ids: np.ndarray,
    calibration_end: date | pd.Timestamp | str,
    holdout_end: date | pd.Timestamp | str,
) -> np.ndarray:
    """Number of (per-day) transactions each customer made after calibration, to holdout_end."""
    start = pd.Timestamp(calibration_end).normalize()
    stop = pd.Timestamp(holdout_end).normalize()
    tx = transactions[(transactions["date"] > start) & (transactions["date"] <= stop)]
    per_customer = daily(tx).groupby("customer_id").size()
    return per_customer.reindex(pd.Index(customer_ids)).fillna(0).to_numpy(dtype=float)
