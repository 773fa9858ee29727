"""Each order's last ad touch, kept in a derived table so reports by channel, campaign or
device do not join the orders of their range with every touch of the month before.

An order's last touch is the customer's latest touchpoint at or before the order and less
than ``TOUCH_LOOKBACK_DAYS`` before it (ties: the greater ``touchpoint_id``), exactly as
``kpis.orders_sql`` picks it; the rollup holds (order_id, ordered_at, channel, campaign,
device) for every order that has one, sorted by ``ordered_at`` so a range reads only its
own part. Whether an order has a last touch, and which, depends on that order and its
customer's touchpoints only, so any range reads the same touch from the rollup as from the
tables.

The rollup is used only while it matches both tables: it stores the warehouse's count of
writes to ``orders`` and ``touchpoints`` and their row counts (``warehouse/writes.py``);
a report reads the tables whenever one has moved on. Imports and the event drain rebuild it
when they finish (:func:`warm`). DuckDB only.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

from tradewinds.analytics import dimensions as dims
from tradewinds.analytics import rollup_state
from tradewinds.warehouse.errors import WarehouseError

if TYPE_CHECKING:
    from tradewinds.warehouse.backend import Warehouse

log = logging.getLogger("tradewinds.analytics")

TABLE = "_touch_rollup"
STATE = rollup_state.STATE

#: the tie-break among touches at the same instant, here and in ``kpis.orders_sql``
ORDER_TOUCHES = "t.occurred_at DESC, t.touchpoint_id DESC"


def last_touch_sql() -> str:
    """Every order's last touch (order_id, ordered_at, channel, campaign, device), for the
    orders that have one, from the tables (also what ``order_rollup`` keeps per order)."""
    platform = dims.platform_sql(
        source="t.source",
        medium="t.medium",
        gclid="t.gclid",
        fbclid="t.fbclid",
        ttclid="t.ttclid",
    )
    return f"""
SELECT order_id, ordered_at, channel, campaign, device FROM (
  SELECT o.order_id, o.ordered_at, {platform} AS channel, t.campaign, t.device,
         ROW_NUMBER() OVER (PARTITION BY o.order_id ORDER BY {ORDER_TOUCHES}) AS rn
  FROM orders AS o JOIN touchpoints AS t ON t.customer_id = o.customer_id
   AND t.occurred_at <= o.ordered_at
   AND t.occurred_at > o.ordered_at - INTERVAL '{dims.TOUCH_LOOKBACK_DAYS} days'
) AS ranked WHERE rn = 1"""


def _build_sql() -> str:
    return f"CREATE OR REPLACE TABLE {TABLE} AS {last_touch_sql()}\nORDER BY ordered_at"


def supported(warehouse: Warehouse) -> bool:
    return warehouse.rollup_tables and warehouse.write_counts


def _version(warehouse: Warehouse) -> str:
    return rollup_state.tables_version(warehouse, ("orders", "touchpoints"))


def _stored(warehouse: Warehouse) -> str | None:
    return rollup_state.stored(warehouse, TABLE)


def refresh(warehouse: Warehouse, *, current: str | None = None) -> float:
    """Rebuild the rollup from the orders and touchpoints; returns the seconds it took."""
    started = time.perf_counter()
    current = current or _version(warehouse)
    warehouse.execute(_build_sql())
    rollup_state.record(warehouse, TABLE, current)
    return time.perf_counter() - started


def fresh(warehouse: Warehouse) -> bool:
    """True when the rollup exists and matches the orders and touchpoints (never rebuilds:
    a report that finds it out of date joins the tables)."""
    if not supported(warehouse):
        return False
    try:
        return _stored(warehouse) == _version(warehouse)
    except WarehouseError:
        return False


def ensure(warehouse: Warehouse) -> bool:
    """Bring the rollup up to date if it is not; False when it cannot be."""
    if not supported(warehouse):
        return False
    return rollup_state.ensure(
        warehouse,
        name=TABLE,
        version=lambda: _version(warehouse),
        rebuild=lambda current: refresh(warehouse, current=current),
    )


def lt_sql() -> str:
    """The ``lt`` relation of ``kpis.orders_sql`` (order_id, channel, campaign, device) for
    the orders of ``$start_ts`` … ``$end_ts``, from the rollup."""
    return (
        f"SELECT order_id, channel, campaign, device FROM {TABLE} "
        "WHERE ordered_at >= $start_ts AND ordered_at < $end_ts"
    )


def warm(workspace_key: str) -> None:
    """Rebuild the rollup after a write if the orders or touchpoints changed. Never fails
    the caller: a problem is logged and reports join the tables meanwhile."""
    from tradewinds.warehouse import open_warehouse

    try:
        with open_warehouse(workspace_key) as warehouse:
            ensure(warehouse)
    except Exception:
        log.exception("could not bring the touch rollup of %s up to date", workspace_key)
