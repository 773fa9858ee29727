"""LTV by acquisition channel: what the customers each ad platform brought in are worth.

A customer's acquisition channel is the channel of their last ad touch in the 30 days
before their first order (the same rule as revenue by channel on the Overview), or
``(no ad touch)``. Customers whose first order falls in the range are followed month by
month (months in the workspace's time zone). The LTV curve at month *k* is the revenue of
months 0..k per customer, counting only customers observed for at least *k* months after
their first, so recent customers do not pull late months down. CAC is the channel's ad
spend in the range divided by the customers it acquired; payback is the first month whose
LTV reaches it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from tradewinds.analytics import dimensions as dims
from tradewinds.analytics.cohorts import month_number
from tradewinds.analytics.conversion import fx_cte, fx_factor, fx_joins
from tradewinds.analytics.filters import ReportScope
from tradewinds.analytics.period_spend import spend_rows_sql

if TYPE_CHECKING:
    from tradewinds.warehouse.backend import Warehouse


@dataclass
class ChannelLtv:
    channel: str
    customers: int
    ltv: list[float]
    observed: list[int]  # customers observed at each month
    spend: float | None
    cac: float | None
    payback_month: int | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "channel": self.channel,
            "customers": self.customers,
            "ltv": [round(v, 2) for v in self.ltv],
            "observed": self.observed,
            "spend": None if self.spend is None else round(self.spend, 2),
            "cac": None if self.cac is None else round(self.cac, 2),
            "payback_month": self.payback_month,
        }


def build(
    sizes: list[tuple[str, int, int]],
    money: list[tuple[str, int, int, float]],
    spend: dict[str, float],
    *,
    last_month: int,
) -> list[ChannelLtv]:
    """Pure: ``sizes`` (channel, cohort month, customers); ``money`` (channel, cohort month,
    months since, revenue); ``spend`` per channel; ``last_month`` the last observed month."""
    by_channel: dict[str, dict[int, int]] = {}
    for channel, cohort, n in sizes:
        by_channel.setdefault(channel, {})[int(cohort)] = int(n)
    revenue: dict[tuple[str, int, int], float] = {
        (c, int(m), int(k)): float(r or 0) for c, m, k, r in money
    }
    out = []
    for channel, cohorts in by_channel.items():
        span = last_month - min(cohorts) + 1
        ltv, observed, running = [], [], 0.0
        for k in range(span):
            seen = [m for m in cohorts if m + k <= last_month]
            n = sum(cohorts[m] for m in seen)
            # revenue of month k per customer observed at k, added to the curve so far
            running += sum(revenue.get((channel, m, k), 0.0) for m in seen) / n if n else 0
            ltv.append(running)
            observed.append(n)
        customers = sum(cohorts.values())
        cost = spend.get(channel)
        cac = cost / customers if cost else None
        payback = next((k for k, v in enumerate(ltv) if cac is not None and v >= cac), None)
        out.append(ChannelLtv(channel, customers, ltv, observed, cost, cac, payback))
    out.sort(key=lambda r: (-r.customers, r.channel))
    return out


def channel_ltv_sql(scope: ReportScope, *, currency: str) -> tuple[str, dict[str, Any]]:
    """Rows (kind, channel, cohort month, months since, customers, revenue)."""
    params: dict[str, Any] = {
        "start_ts": scope.utc_start(scope.start.replace(day=1)),
        "end_ts": scope.utc_end(),
    }
    window = (params["start_ts"], params["end_ts"])
    local = dims.local_time("o.ordered_at", scope.timezone, window)
    month = "CAST(EXTRACT(year FROM {c}) * 12 + EXTRACT(month FROM {c}) - 1 AS INTEGER)"
    platform = dims.platform_sql(
        source="t.source", medium="t.medium", gclid="t.gclid", fbclid="t.fbclid", ttclid="t.ttclid"
    )
    f = fx_factor("o", currency="currency", target=currency)
    # only the rates of the days converted: orders of customers first ordering in range
    rates = fx_cte(scope.start.replace(day=1) - timedelta(days=1), scope.end + timedelta(days=1))
    sql = f"""
WITH {rates},
o AS (
  SELECT o.customer_id, o.ordered_at, {local} AS local_at, CAST({local} AS DATE) AS day,
         o.currency, o.total
  FROM orders AS o
  WHERE o.customer_id IS NOT NULL AND o.total > 0 AND o.ordered_at < $end_ts
),
firsts AS (
  SELECT customer_id, MIN(ordered_at) AS first_at, MIN(local_at) AS first_local
  FROM o GROUP BY customer_id
),
c AS (
  SELECT customer_id, first_at, {month.format(c="first_local")} AS cohort FROM firsts
  WHERE first_at >= $start_ts AND first_at < $end_ts
),
lt AS (
  SELECT customer_id, channel FROM (
    SELECT c.customer_id, {platform} AS channel,
           ROW_NUMBER() OVER (PARTITION BY c.customer_id ORDER BY t.occurred_at DESC) AS rn
    FROM c JOIN touchpoints AS t ON t.customer_id = c.customer_id
     AND t.occurred_at <= c.first_at
     AND t.occurred_at > c.first_at - INTERVAL '{dims.TOUCH_LOOKBACK_DAYS} days'
  ) AS ranked WHERE rn = 1
),
cc AS (
  SELECT c.customer_id, c.cohort, COALESCE(lt.channel, '{dims.NO_TOUCH}') AS channel
  FROM c LEFT JOIN lt ON lt.customer_id = c.customer_id
)
SELECT 'size' AS kind, channel, cohort, 0 AS k, COUNT(*) AS customers,
       CAST(NULL AS DOUBLE PRECISION) AS revenue
FROM cc GROUP BY channel, cohort
UNION ALL
SELECT 'money', cc.channel, cc.cohort, {month.format(c="o.local_at")} - cc.cohort, NULL,
       SUM(o.total * {f})
FROM o JOIN cc ON cc.customer_id = o.customer_id
{fx_joins("o", currency="currency", day="day", target=currency)}
GROUP BY cc.channel, cc.cohort, {month.format(c="o.local_at")} - cc.cohort"""
    return sql, params


def spend_sql(scope: ReportScope, *, currency: str) -> tuple[str, dict[str, Any]]:
    """Ad spend per platform over the range, summed per day and currency, then converted."""
    f = fx_factor("a", currency="currency", target=currency)
    sql = f"""
WITH {fx_cte(scope.start.replace(day=1), scope.end)},
a AS (SELECT "date" AS day, platform, currency, SUM(spend) AS spend
      FROM {spend_rows_sql(scope.start.replace(day=1), scope.end)} AS s
      WHERE "date" >= $start_day AND "date" <= $end_day GROUP BY 1, 2, 3)
SELECT a.platform, SUM(a.spend * {f}) AS spend
FROM a {fx_joins("a", currency="currency", day="day", target=currency)}
GROUP BY 1"""
    return sql, {"start_day": scope.start.replace(day=1), "end_day": scope.end}


def channel_ltv(*, warehouse: Warehouse, scope: ReportScope, currency: str) -> list[ChannelLtv]:
    sql, params = channel_ltv_sql(scope, currency=currency)
    used = {k: v for k, v in params.items() if re.search(rf"\${k}\b", sql)}
    sizes, money = [], []
    for kind, channel, cohort, k, customers, revenue in warehouse.query(sql, used).rows:
        if kind == "size":
            sizes.append((str(channel), int(cohort), int(customers)))
        else:
            money.append((str(channel), int(cohort), int(k), float(revenue or 0)))
    sql, params = spend_sql(scope, currency=currency)
    spend = {str(p): float(s) for p, s in warehouse.query(sql, params).rows if s is not None}
    return build(sizes, money, spend, last_month=month_number(scope.end))
