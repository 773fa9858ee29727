"""One table of everything known about each customer: RFM, CLV, P(alive), churn risk.

Pure: transactions (and optional attributes) in, a DataFrame out. Its columns are the
fields rule segments can use (``rules.FIELDS``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from tradewinds.audiences.clv import (
    BGNBDParams,
    FitError,
    GammaGammaParams,
    customer_lifetime_value,
    fit_bgnbd,
    fit_gamma_gamma,
    p_alive,
)
from tradewinds.audiences.rfm import SegmentMap, rfm_table
from tradewinds.audiences.transactions import PERIOD_DAYS, summarise


@dataclass(frozen=True)
class ClvSettings:
    horizon_months: int = 12
    annual_discount_rate: float = 0.10
    period: str = "week"


@dataclass(frozen=True)
class CustomerScores:
    table: pd.DataFrame
    bgnbd: BGNBDParams | None
    gamma_gamma: GammaGammaParams | None
    as_of: pd.Timestamp
    unconverted_orders: int = 0  # orders left out for want of an exchange rate


def customer_scores(
    transactions: pd.DataFrame,
    *,
    as_of: pd.Timestamp | str | None = None,
    attributes: pd.DataFrame | None = None,
    per_market: bool = False,
    clv: ClvSettings | None = None,
    segment_map: SegmentMap | None = None,
) -> CustomerScores:
    """RFM scores and segment, CLV over the horizon, P(alive) and churn risk per customer.

    ``attributes`` (indexed by customer_id) may carry ``country``/``market``,
    ``storefront`` and ``accepts_marketing``; they are joined on. With ``per_market`` the
    RFM quintiles are computed within each market (``market`` or else ``country``).
    """
    settings = clv or ClvSettings()
    as_of_ts = (
        pd.Timestamp(as_of).normalize()
        if as_of is not None
        else transactions["date"].max().normalize()
    )
    markets = None
    if per_market and attributes is not None:
        col = "market" if "market" in attributes.columns else "country"
        markets = attributes[col]
    table = rfm_table(transactions, as_of=as_of_ts, markets=markets, segment_map=segment_map)
    table["aov"] = table["revenue"] / table["orders"].clip(lower=1)
    table = table.rename(columns={"recency_days": "last_order_days"})

    summary = summarise(transactions, calibration_end=as_of_ts, period=settings.period)  # type: ignore[arg-type]
    first_days = summary.T * PERIOD_DAYS[settings.period]
    aligned = pd.Index(summary.customer_id)
    # rfm_table and summarise both sort customers by id, so they line up; check anyway
    if not aligned.equals(pd.Index(table["customer_id"])):
        raise RuntimeError("customer order differs between RFM and CLV summaries")
    table["first_order_days"] = np.round(first_days).astype(np.int64)
    bg: BGNBDParams | None = None
    gg: GammaGammaParams | None = None
    try:
        bg = fit_bgnbd(summary.frequency, summary.recency, summary.T)
        alive = p_alive(bg, summary.frequency, summary.recency, summary.T)
        table["p_alive"] = alive
        table["churn_risk"] = 1.0 - alive
        gg = fit_gamma_gamma(summary.frequency, summary.monetary)
        months_per_period = PERIOD_DAYS[settings.period] / PERIOD_DAYS["month"]
        table["clv"] = customer_lifetime_value(
            bg,
            gg,
            frequency=summary.frequency,
            recency=summary.recency,
            T=summary.T,
            monetary=summary.monetary,
            horizon=settings.horizon_months / months_per_period,
            step=1 / months_per_period,
            annual_discount_rate=settings.annual_discount_rate,
            steps_per_year=12,
        )
    except FitError:
        for col in ("p_alive", "churn_risk", "clv"):
            if col not in table.columns:
                table[col] = np.nan
    if attributes is not None:
        extra = attributes.reindex(table["customer_id"])
        for col in ("country", "market", "storefront", "accepts_marketing"):
            if col in extra.columns and col not in table.columns:
                table[col] = extra[col].to_numpy()
    return CustomerScores(table, bg, gg, as_of_ts)
