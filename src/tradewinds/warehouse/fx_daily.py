"""One exchange rate per currency and calendar day, read from the ``fx_rates`` table.

The warehouse's ``fx_daily`` view (``views.py``) and every currency conversion in a query
(``markets/fx_sql.py``) are built on :func:`daily_rates_sql`. It lives with the store
because the view is part of every warehouse; what the rates mean, and how amounts are
converted with them, is the markets package's.
"""

from __future__ import annotations

import re

#: the currency every published rate is expressed against (the ECB publishes EUR-based rates)
PIVOT = "EUR"
#: on a day without a published rate, the latest earlier one is used for at most this many days
LOOKBACK_DAYS = 7

_CODE = re.compile(r"^[A-Z]{3}$")


def daily_rates_sql(
    *,
    pivot: str = PIVOT,
    lookback_days: int = LOOKBACK_DAYS,
    first_day_sql: str | None = None,
    last_day_sql: str | None = None,
    currencies_sql: str | None = None,
) -> str:
    """A SELECT of ``(currency, day, per_pivot, rate_date)``: units of ``currency`` per 1
    ``pivot`` on ``day``, as published on ``rate_date`` (earlier than ``day`` on weekends and
    holidays: the latest rate within ``lookback_days``; no row at all beyond that).

    Published ``pivot → X`` rates are used as they are; ``X → pivot`` rates are inverted
    when no ``pivot → X`` rate exists for that date. The optional SQL expressions narrow
    the rates read to the days (``first_day_sql`` … ``last_day_sql``) and currencies
    (``currencies_sql``, a subquery) a query needs, which keeps it fast on long histories.
    """
    if not _CODE.match(pivot):
        raise ValueError(f"pivot must be a three-letter upper-case currency code, not {pivot!r}")
    if not 0 <= lookback_days <= 31:
        raise ValueError("lookback_days must be between 0 and 31")
    offsets = ", ".join(f"({n})" for n in range(lookback_days + 1))
    narrow = ""
    if first_day_sql:
        narrow += f' AND "date" >= {first_day_sql} - {lookback_days}'
    if last_day_sql:
        narrow += f' AND "date" <= {last_day_sql}'
    direct = f"quote IN {currencies_sql}" if currencies_sql else "TRUE"
    inverse = f"base IN {currencies_sql}" if currencies_sql else "TRUE"
    return f"""
SELECT r.currency, r."date" + k.n AS day, r.per_pivot, r."date" AS rate_date
FROM (
  SELECT currency, "date", per_pivot,
         LEAD("date") OVER (PARTITION BY currency ORDER BY "date") AS next_date
  FROM (
    SELECT currency, "date", per_pivot,
           ROW_NUMBER() OVER (PARTITION BY currency, "date" ORDER BY priority) AS pick
    FROM (
      SELECT quote AS currency, "date", CAST(rate AS DECIMAL(24, 12)) AS per_pivot, 1 AS priority
      FROM fx_rates WHERE base = '{pivot}' AND quote <> '{pivot}' AND {direct}{narrow}
      UNION ALL
      SELECT base AS currency, "date", CAST(1 / rate AS DECIMAL(24, 12)) AS per_pivot, 2 AS priority
      FROM fx_rates WHERE quote = '{pivot}' AND base <> '{pivot}' AND {inverse}{narrow}
    ) AS both_ways
  ) AS ranked
  WHERE pick = 1
) AS r
CROSS JOIN (VALUES {offsets}) AS k(n)
WHERE r.next_date IS NULL OR r."date" + k.n < r.next_date
""".strip()
