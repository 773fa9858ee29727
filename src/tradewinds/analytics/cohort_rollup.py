"""A small derived table that answers the unfiltered cohort report without reading every order.

A customer's cohort is the month of their first order ever, so the report computed from
``orders`` reads the whole order history on every view (about 250 ms for 2M orders on 2
cores). This rollup keeps, for the orders that count (a customer, a positive total):

* ``active`` rows: (cohort month, month, day of the customer's first order in that month,
  customers) — each customer once per month they bought in;
* ``money`` rows: (cohort month, month, day, currency, summed order totals).

Days and months are those of the workspace's time zone; the rollup is rebuilt when asked
for another one.

Both are a few thousand rows whatever the size of the shop. The report reads any range from
them: a cohort range starts on a month's first day and ends on a day boundary, and money is
converted per day and currency when read, so the figures equal the report computed from
the orders (summing before converting only changes rounding in the last places).

Imports and the server's event drain bring it up to date when they finish (:func:`warm`,
through the "rows changed" subscriber in ``analytics/plugin.py``).
The rollup is also checked on every read against the warehouse's count of writes to
``orders`` and their row count (``warehouse/writes.py``: every load, erasure and data-changing
statement through the warehouse is counted; hashing 2M orders to the same end took ~80 ms
a view), and rebuilt first when the orders have changed. A report filtered by country or
storefront reads the orders (a filter changes which order is a customer's first). DuckDB
only: on PostgreSQL the report always reads the orders.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from tradewinds.analytics import rollup_state
from tradewinds.analytics.conversion import fx_cte, fx_factor, fx_joins
from tradewinds.analytics.dimensions import local_time
from tradewinds.warehouse.errors import WarehouseError
from tradewinds.warehouse.writes import table_state

if TYPE_CHECKING:
    from tradewinds.warehouse.backend import Warehouse

log = logging.getLogger("tradewinds.analytics")

TABLE = "_cohort_rollup"
STATE = rollup_state.STATE
_MONTH = "CAST(EXTRACT(year FROM {c}) * 12 + EXTRACT(month FROM {c}) - 1 AS INTEGER)"

FINGERPRINT_SQL = (
    "SELECT COUNT(*), SUM(total), SUM(epoch_ms(ordered_at)), SUM(hash(customer_id)), "
    "SUM(hash(currency)) FROM orders"
)

BUILD_SQL = f"""
CREATE OR REPLACE TABLE {TABLE} AS
WITH o AS (
  SELECT customer_id, {{local}} AS ordered_at, CAST({{local}} AS DATE) AS day, currency, total
  FROM orders WHERE customer_id IS NOT NULL AND total > 0
),
firsts AS (SELECT customer_id, MIN(ordered_at) AS first_at FROM o GROUP BY customer_id),
x AS (
  SELECT o.customer_id, o.ordered_at, o.day, o.currency, o.total,
         {_MONTH.format(c="f.first_at")} AS cohort, {_MONTH.format(c="o.ordered_at")} AS m
  FROM o JOIN firsts AS f ON f.customer_id = o.customer_id
),
active AS (
  SELECT cohort, m, CAST(first_in_month AS DATE) AS day, COUNT(*) AS customers
  FROM (SELECT cohort, m, customer_id, MIN(ordered_at) AS first_in_month
        FROM x GROUP BY cohort, m, customer_id) AS per_customer
  GROUP BY 1, 2, 3
),
money AS (SELECT cohort, m, day, currency, SUM(total) AS total FROM x GROUP BY 1, 2, 3, 4)
SELECT 'active' AS kind, cohort, m, day, CAST(NULL AS VARCHAR) AS currency,
       customers, CAST(NULL AS DECIMAL(38, 4)) AS total FROM active
UNION ALL
SELECT 'money', cohort, m, day, currency, NULL, CAST(total AS DECIMAL(38, 4)) FROM money
"""


def supported(warehouse: Warehouse) -> bool:
    return warehouse.rollup_tables


def _lock(warehouse: Warehouse) -> threading.Lock:
    return rollup_state.lock(warehouse, TABLE)


def fingerprint(warehouse: Warehouse) -> str:
    return "|".join("" if v is None else str(v) for v in warehouse.query(FINGERPRINT_SQL).rows[0])


def _stored(warehouse: Warehouse) -> str | None:
    return rollup_state.stored(warehouse, TABLE)


def refresh(warehouse: Warehouse, timezone: str = "UTC", *, current: str | None = None) -> float:
    """Rebuild the rollup from the orders (days and months in ``timezone``); returns the
    seconds it took."""
    started = time.perf_counter()
    current = current or _version(warehouse, timezone)
    lo, hi = warehouse.query("SELECT MIN(ordered_at), MAX(ordered_at) FROM orders").rows[0]
    within = None if lo is None else (_naive(lo), _naive(hi) + timedelta(seconds=1))
    warehouse.execute(BUILD_SQL.replace("{local}", local_time("ordered_at", timezone, within)))
    rollup_state.record(warehouse, TABLE, current)
    return time.perf_counter() - started


def _naive(value: datetime) -> datetime:
    """A stored time as the naive UTC timestamp SQL compares with."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.replace(microsecond=0)


def _version(warehouse: Warehouse, timezone: str) -> str:
    """What the rollup was built from: the warehouse's count of writes to ``orders`` and
    their number (``warehouse/writes.py``), else a fingerprint of their contents."""
    if table_state(warehouse, "orders") is not None:
        return f"{rollup_state.table_state_text(warehouse, 'orders')}|{timezone}"
    return f"{fingerprint(warehouse)}|{timezone}"


def ensure(warehouse: Warehouse, timezone: str = "UTC") -> bool:
    """True when the rollup matches the orders and ``timezone`` (rebuilding it if not).

    False — the caller reads the orders — on PostgreSQL, or when the rollup cannot be
    written (a read-only warehouse, another writer).
    """
    if not supported(warehouse):
        return False
    try:
        current = _version(warehouse, timezone)
        if _stored(warehouse) == current:
            return True
        with _lock(warehouse):
            if _stored(warehouse) != current:
                refresh(warehouse, timezone, current=current)
        return True
    except WarehouseError:
        return False


def cohort_sql(*, start_month: int, end_day: Any, currency: str) -> tuple[str, dict[str, Any]]:
    """(cohort month number, months since, active customers, revenue) per cell, from the
    rollup: cohorts from ``start_month`` on, orders before ``end_day`` (exclusive)."""
    f = fx_factor("r", currency="currency", target=currency)
    first = date(start_month // 12, start_month % 12 + 1, 1)
    last = end_day if isinstance(end_day, date) else date.fromisoformat(str(end_day)[:10])
    # only the rates of the days read: the rollup's days from the first cohort's month on
    sql = f"""
WITH {fx_cte(first - timedelta(days=1), last)},
active AS (
  SELECT cohort, m - cohort AS k, SUM(customers) AS active FROM {TABLE}
  WHERE kind = 'active' AND cohort >= $start_month AND day < $end_day
  GROUP BY 1, 2
),
r AS (
  SELECT cohort, m, day, currency, total FROM {TABLE}
  WHERE kind = 'money' AND cohort >= $start_month AND day < $end_day
),
money AS (
  SELECT r.cohort, r.m - r.cohort AS k, SUM(CAST(r.total AS DOUBLE) * {f}) AS revenue
  FROM r {fx_joins("r", currency="currency", day="day", target=currency)}
  GROUP BY 1, 2
)
SELECT a.cohort, a.k, a.active, m.revenue
FROM active AS a LEFT JOIN money AS m ON m.cohort = a.cohort AND m.k = a.k
ORDER BY 1, 2"""
    return sql, {"start_month": start_month, "end_day": end_day}


def warm(workspace_key: str, timezone: str = "UTC") -> None:
    """Bring the rollup up to date after a write (an import, a drain), so the next view of
    the cohort report does not wait for it. Never fails the caller: a problem is logged
    and the next view rebuilds it."""
    from tradewinds.warehouse import open_warehouse

    try:
        with open_warehouse(workspace_key) as warehouse:
            ensure(warehouse, timezone)
    except Exception:
        log.exception("could not bring the cohort rollup of %s up to date", workspace_key)
