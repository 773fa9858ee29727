"""Views every warehouse has, derived from the canonical tables.

``fx_daily(currency, day, per_eur, rate_date)``: for every currency and calendar day, units
of that currency per euro — the rate published that day or, on weekends and holidays, the
latest earlier one within 7 days; ``rate_date`` is the day it was published (``rate_date <
day`` says the rate was carried from an earlier business day). Past 7 days a currency has no
row: such amounts stay unconverted. The euro itself has ``per_eur = 1`` on each day. In the
SQL console, convert any amount to euros with
``amount / per_eur`` joined on ``(currency, CAST(timestamp AS DATE))``.
"""

from __future__ import annotations

from tradewinds.warehouse.fx_daily import LOOKBACK_DAYS, daily_rates_sql

VIEW_NAMES = ("fx_daily",)


def fx_daily_view_sql() -> str:
    daily = daily_rates_sql(pivot="EUR", lookback_days=LOOKBACK_DAYS)
    return (
        "CREATE OR REPLACE VIEW fx_daily AS "
        f"WITH d AS ({daily}) "
        "SELECT currency, day, per_pivot AS per_eur, rate_date FROM d "
        "UNION ALL SELECT DISTINCT 'EUR' AS currency, day, "
        "CAST(1 AS DECIMAL(24, 12)) AS per_eur, day AS rate_date FROM d"
    )
