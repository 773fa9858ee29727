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
from typing import TYPE_CHECKING

from tradewinds.analytics import dimensions as dims
from tradewinds.analytics import rollup_state

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


def _version(warehouse: Warehouse) -> str:
    return rollup_state.tables_version(warehouse, ("orders", "touchpoints"))


def _build(warehouse: Warehouse) -> None:
    warehouse.execute(_build_sql())


ROLLUP = rollup_state.Rollup(name=TABLE, label="touch rollup", version=_version, build=_build)
supported = ROLLUP.supported
refresh = ROLLUP.refresh
fresh = ROLLUP.fresh
ensure = ROLLUP.ensure
warm = ROLLUP.warm


def lt_sql() -> str:
    """The ``lt`` relation of ``kpis.orders_sql`` (order_id, channel, campaign, device) for
    the orders of ``$start_ts`` … ``$end_ts``, from the rollup."""
    return (
        f"SELECT order_id, channel, campaign, device FROM {TABLE} "
        "WHERE ordered_at >= $start_ts AND ordered_at < $end_ts"
    )
