"""Check a BG/NBD fit on a hold-out period, as Fader, Hardie & Lee (2005) do for CDNOW.

Fit on the calibration period, then compare, for customers grouped by how many repeat
purchases they made in calibration, the mean number of purchases the model expects in
the hold-out period with the mean they actually made (the paper's conditional-expectation
figure), plus the totals.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from tradewinds.audiences.clv import BGNBDParams, conditional_expected_purchases, fit_bgnbd
from tradewinds.audiences.transactions import PERIOD_DAYS, Period, holdout_counts, summarise


@dataclass(frozen=True)
class HoldoutComparison:
    params: BGNBDParams
    customers: int
    holdout_periods: float
    by_frequency: pd.DataFrame  # calibration_repeats, customers, actual_mean, predicted_mean
    actual_total: float
    predicted_total: float


def holdout_comparison(
    transactions: pd.DataFrame,
    *,
    calibration_end: str | pd.Timestamp,
    holdout_end: str | pd.Timestamp,
    period: Period = "week",
    max_bucket: int = 7,
) -> HoldoutComparison:
    summary = summarise(transactions, calibration_end=calibration_end, period=period)
    params = fit_bgnbd(summary.frequency, summary.recency, summary.T)
    length = (
        pd.Timestamp(holdout_end).normalize() - pd.Timestamp(calibration_end).normalize()
    ).days / PERIOD_DAYS[period]
    predicted = conditional_expected_purchases(
        params, length, summary.frequency, summary.recency, summary.T
    )
    actual = holdout_counts(
        transactions,
        customer_ids=summary.customer_id,
        calibration_end=calibration_end,
        holdout_end=holdout_end,
    )
    bucket = np.minimum(summary.frequency, max_bucket).astype(int)
    frame = pd.DataFrame({"bucket": bucket, "actual": actual, "predicted": predicted})
    table = (
        frame.groupby("bucket")
        .agg(
            customers=("actual", "size"),
            actual_mean=("actual", "mean"),
            predicted_mean=("predicted", "mean"),
        )
        .reset_index()
    )
    table["calibration_repeats"] = [f"{b}+" if b == max_bucket else str(b) for b in table["bucket"]]
    table = table[["calibration_repeats", "customers", "actual_mean", "predicted_mean"]]
    return HoldoutComparison(
        params=params,
        customers=len(summary),
        holdout_periods=length,
        by_frequency=table,
        actual_total=float(actual.sum()),
        predicted_total=float(predicted.sum()),
    )
