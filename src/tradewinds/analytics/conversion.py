"""Money in the reporting currency at each day's rate, inside a warehouse query.

Builds on :func:`tradewinds.markets.fx_sql.fx_daily_sql`: one rate per currency and day
(the latest published within the look-back). A row whose rate is missing gets a NULL
factor — its amount is left out of sums and counted, never converted at 1.
"""

from __future__ import annotations

from datetime import date

from tradewinds.markets.currencies import normalize_currency
from tradewinds.markets.fx import PIVOT
from tradewinds.markets.fx_sql import fx_daily_sql


def fx_cte(first_day: date | None = None, last_day: date | None = None) -> str:
    """``_fx_daily AS (...)`` for a WITH clause; ``first_day`` … ``last_day`` (the days of the
    amounts converted) keep it to the rates those days need — a workspace holds the ECB's
    rates since 1999, and reading all of them costs ~0.1 s (DuckDB) to ~1 s (PostgreSQL)."""
    first = f"DATE '{first_day.isoformat()}'" if first_day else None
    last = f"DATE '{last_day.isoformat()}'" if last_day else None
    return f"_fx_daily AS (\n{fx_daily_sql(first_day_sql=first, last_day_sql=last)}\n)"


def fx_joins(alias: str, *, currency: str, day: str, target: str) -> str:
    """LEFT JOINs giving ``_fxf`` (source currency) and ``_fxt`` (target) rates for ``alias``."""
    target = normalize_currency(target)
    joins = (
        f"LEFT JOIN _fx_daily AS _fxf ON _fxf.currency = {alias}.{currency} "
        f"AND _fxf.day = {alias}.{day}"
    )
    if target != PIVOT:
        joins += (
            f"\nLEFT JOIN _fx_daily AS _fxt ON _fxt.currency = '{target}' "
            f"AND _fxt.day = {alias}.{day}"
        )
    return joins


def fx_factor(alias: str, *, currency: str, target: str) -> str:
    """Expression: multiply an amount in ``alias.currency`` by this to get ``target``."""
    target = normalize_currency(target)
    to_rate = "1.0" if target == PIVOT else "CAST(_fxt.per_pivot AS DOUBLE)"
    from_rate = (
        f"(CASE WHEN {alias}.{currency} = '{PIVOT}' THEN 1.0 "
        f"ELSE CAST(_fxf.per_pivot AS DOUBLE) END)"
    )
    return f"(CASE WHEN {alias}.{currency} = '{target}' THEN 1.0 ELSE {to_rate} / {from_rate} END)"
