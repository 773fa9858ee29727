"""Currency conversion inside warehouse queries (DuckDB SQL; transpiled for PostgreSQL).

``fx_daily_sql()`` turns ``fx_rates`` into one row per currency and calendar day — the
rate published that day or, on weekends and holidays, the latest earlier one within the
lookback — expressed as units of the currency per one pivot currency (EUR). Conversions
then equi-join on ``(currency, day)``, which runs the same on DuckDB and PostgreSQL:

    sql = convert_sql("SELECT * FROM orders", amount="total", currency="currency",
                      on="ordered_at", to="USD")
    warehouse.query(sql)   # every order row plus total_converted (NULL where a rate is missing)

Each daily row carries ``rate_date``, the day its rate was published: a Saturday's row
says it uses Friday's rate. Past the look-back (7 days) there is no row, so the amount
stays unconverted — never converted at 1.

A NULL converted amount means a missing rate; :func:`missing_rates` lists them as
:class:`~tradewinds.markets.fx.MissingRate` so a report can say so instead of using 1.
On DuckDB the division by the source rate is done in double precision and the result is
rounded to 4 decimals (exact to the cent for amounts below 10^11).
"""

from __future__ import annotations

import re

from tradewinds.markets.currencies import normalize_currency
from tradewinds.markets.fx import DEFAULT_LOOKBACK_DAYS, PIVOT, MissingRate
from tradewinds.warehouse.fx_daily import daily_rates_sql

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _ident(name: str) -> str:
    if not _IDENT.match(name):
        raise ValueError(f"not a column name: {name!r}")
    return f'"{name}"'


def fx_daily_sql(
    *,
    pivot: str = PIVOT,
    lookback_days: int = DEFAULT_LOOKBACK_DAYS,
    first_day_sql: str | None = None,
    last_day_sql: str | None = None,
    currencies_sql: str | None = None,
) -> str:
    """A SELECT of ``(currency, day, per_pivot, rate_date)``: units of ``currency`` per 1
    ``pivot`` on ``day`` (:func:`tradewinds.warehouse.fx_daily.daily_rates_sql`, the SQL
    the warehouse's ``fx_daily`` view is made of), for any ISO 4217 ``pivot``."""
    return daily_rates_sql(
        pivot=normalize_currency(pivot),
        lookback_days=lookback_days,
        first_day_sql=first_day_sql,
        last_day_sql=last_day_sql,
        currencies_sql=currencies_sql,
    )


def _narrowing(cur: str, day: str, target: str) -> dict[str, str]:
    """Only the days and currencies the source rows need."""
    return {
        "first_day_sql": f"(SELECT min(CAST(x.{day} AS DATE)) FROM _src AS x)",
        "last_day_sql": f"(SELECT max(CAST(x.{day} AS DATE)) FROM _src AS x)",
        "currencies_sql": f"(SELECT x.{cur} FROM _src AS x UNION SELECT '{target}')",
    }


def convert_sql(
    source_sql: str,
    *,
    amount: str,
    currency: str,
    on: str,
    to: str,
    as_name: str | None = None,
    rate_date_as: str | None = None,
    pivot: str = PIVOT,
    lookback_days: int = DEFAULT_LOOKBACK_DAYS,
) -> str:
    """Wrap ``source_sql`` so each row gains ``<amount>_converted`` in currency ``to``,
    converted at the rate of the row's date (column ``on``, a DATE or UTC TIMESTAMP).

    ``rate_date_as`` also adds that column: the day the rate used was published (the older
    of the two rates of a cross rate) — earlier than the row's day when a weekend's or
    holiday's amount took the latest earlier rate; NULL when the amount is unconverted."""
    target = normalize_currency(to)
    pivot = normalize_currency(pivot)
    amt, cur, day = _ident(amount), _ident(currency), _ident(on)
    name = _ident(as_name or f"{amount}_converted")
    from_rate = f"CASE WHEN s.{cur} = '{pivot}' THEN 1 ELSE f.per_pivot END"
    to_rate = "1" if target == pivot else "t.per_pivot"
    to_join = (
        ""
        if target == pivot
        else f"LEFT JOIN _fx_daily AS t ON t.currency = '{target}' "
        f"AND t.day = CAST(s.{day} AS DATE)\n"
    )
    daily = fx_daily_sql(pivot=pivot, lookback_days=lookback_days, **_narrowing(cur, day, target))
    dated = ""
    if rate_date_as:
        own = f"CAST(s.{day} AS DATE)"
        src_date = f"CASE WHEN s.{cur} = '{pivot}' THEN {own} ELSE f.rate_date END"
        dst_date = own if target == pivot else "t.rate_date"
        dated = (
            f",\n  CASE WHEN s.{cur} = '{target}' THEN {own} "
            f"WHEN {src_date} IS NULL OR {dst_date} IS NULL THEN NULL "
            f"WHEN {src_date} < {dst_date} THEN {src_date} ELSE {dst_date} END "
            f"AS {_ident(rate_date_as)}"
        )
    return f"""
WITH _src AS (
{source_sql}
), _fx_daily AS (
{daily}
)
SELECT s.*,
  CASE WHEN s.{cur} = '{target}' THEN CAST(s.{amt} AS DECIMAL(18, 4))
       ELSE CAST(s.{amt} * {to_rate} / {from_rate} AS DECIMAL(18, 4)) END AS {name}{dated}
FROM _src AS s
LEFT JOIN _fx_daily AS f ON f.currency = s.{cur} AND f.day = CAST(s.{day} AS DATE)
{to_join}""".strip()


def missing_rates_sql(
    source_sql: str,
    *,
    currency: str,
    on: str,
    to: str,
    pivot: str = PIVOT,
    lookback_days: int = DEFAULT_LOOKBACK_DAYS,
) -> str:
    """Distinct ``(currency, day)`` pairs of ``source_sql`` that cannot be converted to ``to``:
    the currency lacking a rate is named (the row's own, or ``to``)."""
    target = normalize_currency(to)
    pivot = normalize_currency(pivot)
    cur, day = _ident(currency), _ident(on)
    daily = fx_daily_sql(pivot=pivot, lookback_days=lookback_days, **_narrowing(cur, day, target))
    return f"""
WITH _src AS (
{source_sql}
), _fx_daily AS (
{daily}
), _needed AS (
  SELECT DISTINCT s.{cur} AS currency, CAST(s.{day} AS DATE) AS day FROM _src AS s
  WHERE s.{cur} <> '{target}'
)
SELECT n.currency AS currency, n.day AS day FROM _needed AS n
LEFT JOIN _fx_daily AS f ON f.currency = n.currency AND f.day = n.day
WHERE n.currency <> '{pivot}' AND f.per_pivot IS NULL
UNION
SELECT '{target}' AS currency, n.day AS day FROM _needed AS n
LEFT JOIN _fx_daily AS t ON t.currency = '{target}' AND t.day = n.day
WHERE '{target}' <> '{pivot}' AND t.per_pivot IS NULL
ORDER BY day, currency
""".strip()


def missing_rates(
    warehouse: object,
    source_sql: str,
    *,
    currency: str,
    on: str,
    to: str,
    pivot: str = PIVOT,
    lookback_days: int = DEFAULT_LOOKBACK_DAYS,
) -> list[MissingRate]:
    sql = missing_rates_sql(
        source_sql, currency=currency, on=on, to=to, pivot=pivot, lookback_days=lookback_days
    )
    rows = warehouse.query(sql).rows  # type: ignore[attr-defined]
    return [MissingRate(c, d, lookback_days=lookback_days) for c, d in rows]
