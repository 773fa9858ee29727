"""Monthly acquisition cohorts: retention, the LTV curve and the payback month.

A customer's cohort is the calendar month (UTC) of their first order; month 0 is that
month. Revenue is gross order value in the reporting currency at each order day's rate.
CAC of a cohort is the ad spend of its month divided by the customers it acquired; the
payback month is the first month in which cumulative revenue per customer reaches it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from tradewinds.analytics import dimensions as dims
from tradewinds.analytics.conversion import fx_cte, fx_factor, fx_joins
from tradewinds.analytics.filters import ReportScope, country_values
from tradewinds.analytics.period_spend import spend_rows_sql

if TYPE_CHECKING:
    from tradewinds.warehouse.backend import Warehouse


@dataclass
class Cohort:
    month: str  # YYYY-MM
    customers: int
    retained: list[int]
    revenue: list[float]
    spend: float | None = None
    retention: list[float] = field(default_factory=list)
    ltv: list[float] = field(default_factory=list)
    cac: float | None = None
    payback_month: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "month": self.month,
            "customers": self.customers,
            "retained": self.retained,
            "retention": [round(r, 6) for r in self.retention],
            "revenue": [round(r, 2) for r in self.revenue],
            "ltv": [round(v, 2) for v in self.ltv],
            "spend": None if self.spend is None else round(self.spend, 2),
            "cac": None if self.cac is None else round(self.cac, 2),
            "payback_month": self.payback_month,
        }


def month_number(d: date) -> int:
    return d.year * 12 + d.month - 1


def month_label(n: int) -> str:
    return f"{n // 12:04d}-{n % 12 + 1:02d}"


def build_cohorts(
    cells: list[tuple[int, int, int, float]],
    spend_by_month: dict[int, float],
    *,
    last_month: int,
) -> list[Cohort]:
    """Pure: ``cells`` are (cohort month number, months since, active customers, revenue).

    Months after ``last_month`` (the end of the data) are not shown; months with no orders
    inside the observed window count as 0 retained.
    """
    by_cohort: dict[int, dict[int, tuple[int, float]]] = {}
    for cohort, k, active, revenue in cells:
        by_cohort.setdefault(int(cohort), {})[int(k)] = (int(active), float(revenue or 0))
    out = []
    for cohort in sorted(by_cohort):
        cells_k = by_cohort[cohort]
        size = cells_k.get(0, (0, 0.0))[0]
        if size == 0:
            continue
        span = max(last_month - cohort, 0) + 1
        retained = [cells_k.get(k, (0, 0.0))[0] for k in range(span)]
        revenue = [cells_k.get(k, (0, 0.0))[1] for k in range(span)]
        running, ltv = 0.0, []
        for r in revenue:
            running += r
            ltv.append(running / size)
        spend = spend_by_month.get(cohort)
        cac = spend / size if spend else None
        payback = next((k for k, v in enumerate(ltv) if cac is not None and v >= cac), None)
        out.append(
            Cohort(
                month=month_label(cohort),
                customers=size,
                retained=retained,
                revenue=revenue,
                spend=spend,
                retention=[r / size for r in retained],
                ltv=ltv,
                cac=cac,
                payback_month=payback,
            )
        )
    return out


def _filters(scope: ReportScope, params: dict[str, Any]) -> list[str]:
    clauses = []
    for name in ("country", "customer_country", "storefront"):
        values = scope.filter_values(name)
        if not values:
            continue
        if name != "storefront":
            values = country_values(values)
        marks = []
        for i, v in enumerate(values):
            params[f"f_{name}_{i}"] = v
            marks.append(f"$f_{name}_{i}")
        clauses.append(f"({dims.ORDERS[name]}) IN ({', '.join(marks)})")
    return clauses


#: the cohorts' filters (country, storefront) as SQL on alias ``o`` (the drill-down reads them)
filter_clauses = _filters

# a customer's active months are kept as bits of one 128-bit integer (0 .. 120 used)
MASK_MONTHS = 120


def cohort_sql(
    scope: ReportScope, *, currency: str, masks: bool = True
) -> tuple[str, dict[str, Any]]:
    """(cohort month number, months since, active customers, revenue) per cell.

    With ``masks`` (DuckDB, ranges up to ``MASK_MONTHS`` months) each customer's first order
    and active months come from one pass over their orders, so active customers per cell
    are counted without a DISTINCT over every order; revenue is summed per cell from the
    orders of the customers in range. Otherwise a plain COUNT(DISTINCT) does the same.
    """
    params: dict[str, Any] = {
        "start_ts": scope.utc_start(scope.start.replace(day=1)),
        "end_ts": scope.utc_end(),
    }
    where = ["o.customer_id IS NOT NULL", "o.total > 0", *_filters(scope, params)]
    f = fx_factor("o", currency="currency", target=currency)
    mn = "(EXTRACT(year FROM {c}) * 12 + EXTRACT(month FROM {c}) - 1)"
    # months are the workspace's; only orders inside the range decide a cell
    local = dims.local_time("o.ordered_at", scope.timezone, (params["start_ts"], params["end_ts"]))
    first_month = month_number(scope.start.replace(day=1))
    # only the rates of the days converted: orders of customers first ordering in range
    rates = fx_cte(scope.start.replace(day=1) - timedelta(days=1), scope.end + timedelta(days=1))
    span = month_number(scope.end) - first_month + 1
    # money is only read for orders from the range's first month on (a customer's first
    # order is in the range, the rest follow it): the rates of those days are enough, and
    # PostgreSQL otherwise joins every rate since 1999 to every order
    rates = fx_cte(scope.start.replace(day=1) - timedelta(days=1), scope.end + timedelta(days=1))
    orders = f"""
o AS (
  SELECT o.customer_id, o.ordered_at, {local} AS local_at, CAST({local} AS DATE) AS day,
         o.currency, o.total
  FROM orders AS o WHERE {" AND ".join(where)}
)"""
    if masks and span <= MASK_MONTHS:
        # read twice straight from the table: cheaper than keeping 2M rows between passes
        orders = orders.replace("o AS (", "o AS NOT MATERIALIZED (", 1)
        bit = f"CAST({mn.format(c='local_at')} - {first_month} AS HUGEINT)"
        sql = f"""
WITH {rates},{orders},
firsts AS (
  SELECT customer_id, MIN(ordered_at) AS first_at, MIN(local_at) AS first_local,
         BIT_OR(CASE WHEN ordered_at >= $start_ts AND ordered_at < $end_ts
                     THEN CAST(1 AS HUGEINT) << {bit} END) AS mask
  FROM o GROUP BY customer_id
),
c AS (
  SELECT customer_id, CAST({mn.format(c="first_local")} AS INTEGER) AS cohort, mask
  FROM firsts WHERE first_at >= $start_ts AND first_at < $end_ts
),
active AS (
  SELECT g.cohort, CAST(b.b AS INTEGER) + {first_month} - g.cohort AS k, SUM(g.n) AS active
  FROM (SELECT cohort, mask, COUNT(*) AS n FROM c GROUP BY cohort, mask) AS g
  JOIN range(0, {span}) AS b(b) ON ((g.mask >> CAST(b.b AS HUGEINT)) & 1) = 1
  GROUP BY 1, 2
),
money AS (
  SELECT c.cohort, CAST({mn.format(c="o.local_at")} AS INTEGER) - c.cohort AS k,
         SUM(o.total * {f}) AS revenue
  FROM o JOIN c ON c.customer_id = o.customer_id
  {fx_joins("o", currency="currency", day="day", target=currency)}
  WHERE o.ordered_at < $end_ts
  GROUP BY 1, 2
)
SELECT a.cohort, a.k, a.active, m.revenue
FROM active AS a LEFT JOIN money AS m ON m.cohort = a.cohort AND m.k = a.k
ORDER BY 1, 2"""
        return sql, params
    sql = f"""
WITH {rates},{orders},
firsts AS (SELECT customer_id, MIN(ordered_at) AS first_at, MIN(local_at) AS first_local
           FROM o GROUP BY customer_id),
x AS (
  SELECT fi.first_local, o.local_at, o.customer_id, o.total * {f} AS amount
  FROM o JOIN firsts AS fi ON fi.customer_id = o.customer_id
  {fx_joins("o", currency="currency", day="day", target=currency)}
  WHERE fi.first_at >= $start_ts AND fi.first_at < $end_ts AND o.ordered_at < $end_ts
)
SELECT CAST({mn.format(c="first_local")} AS INTEGER) AS cohort,
       CAST({mn.format(c="local_at")} - {mn.format(c="first_local")} AS INTEGER) AS k,
       COUNT(DISTINCT customer_id) AS active, SUM(amount) AS revenue
FROM x GROUP BY 1, 2 ORDER BY 1, 2"""
    return sql, params


def spend_sql(scope: ReportScope, *, currency: str) -> tuple[str, dict[str, Any]]:
    """Ad spend per month: summed exactly per day and currency, then converted once each."""
    params: dict[str, Any] = {"start_day": scope.start.replace(day=1), "end_day": scope.end}
    f = fx_factor("a", currency="currency", target=currency)
    sql = f"""
WITH {fx_cte(scope.start.replace(day=1), scope.end)},
a AS (SELECT "date" AS day, currency, SUM(spend) AS spend
      FROM {spend_rows_sql(scope.start.replace(day=1), scope.end)} AS s
      WHERE "date" >= $start_day AND "date" <= $end_day GROUP BY 1, 2)
SELECT CAST(EXTRACT(year FROM a.day) * 12 + EXTRACT(month FROM a.day) - 1 AS INTEGER) AS m,
       SUM(a.spend * {f}) AS spend
FROM a {fx_joins("a", currency="currency", day="day", target=currency)}
GROUP BY 1"""
    return sql, params


def _used(sql: str, params: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in params.items() if re.search(rf"\${k}\b", sql)}


def cohorts(*, warehouse: Warehouse, scope: ReportScope, currency: str) -> list[Cohort]:
    from tradewinds.analytics import cohort_rollup

    if not _filters(scope, {}) and cohort_rollup.ensure(warehouse, scope.timezone):
        sql, params = cohort_rollup.cohort_sql(
            start_month=month_number(scope.start.replace(day=1)),
            end_day=scope.end + timedelta(days=1),
            currency=currency,
        )
    else:
        masks = warehouse.hugeint_masks
        sql, params = cohort_sql(scope, currency=currency, masks=masks)
    cells = [
        (int(c), int(k), int(a), float(r or 0))
        for c, k, a, r in warehouse.query(sql, _used(sql, params)).rows
    ]
    sql, params = spend_sql(scope, currency=currency)
    spend = {
        int(m): float(s) for m, s in warehouse.query(sql, _used(sql, params)).rows if s is not None
    }
    return build_cohorts(cells, spend, last_month=month_number(scope.end))
