"""Every order that counts, with what its reports need, in one table sorted by time.

An order report (``kpis.orders_sql``) needs, per order of its range: the order's columns,
whether it was cancelled, its last ad touch (by channel, campaign or device), its product
revenue (the total less its postage, fee, discount
… lines in ``order_lines``) and when its customer first bought (``customers.first_order_at``
as the importers record it, else the customer's earliest order of any kind). Read from the
tables, that is a scan of every order (they arrive in any order, so the range cannot skip
any), a lookup of the range's customers and a grouping of all their orders — for each
figure of the Overview, five times a view.

The rollup holds exactly those per-order values for every order that is not cancelled
(``metrics.not_cancelled_sql``), sorted by ``ordered_at`` so a range reads only its own
part. Each value depends on that order, its lines, its customer's orders and touches only,
so every range reads from the rollup what it would compute from the tables.

It is used only while it matches the tables it is built from (``orders``, ``order_lines``,
``customers``, ``touchpoints``: the warehouse's count of writes to each and its rows,
``warehouse/writes.py``); a report reads the tables whenever one has moved on. Imports and
the event drain rebuild it when they finish (:func:`warm`). DuckDB only.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from tradewinds.analytics import metrics as metric_defs
from tradewinds.analytics import rollup_state
from tradewinds.analytics.touch_rollup import last_touch_sql

if TYPE_CHECKING:
    from tradewinds.warehouse.backend import Warehouse

log = logging.getLogger("tradewinds.analytics")

TABLE = "_order_rollup"
TABLES = ("orders", "order_lines", "customers", "touchpoints")

#: the columns of the rollup, which ``kpis.orders_sql`` reads as its ``o`` relation;
#: ``customer_no`` numbers the customers (NULL for orders without one) so that counting
#: distinct customers counts integers, not strings; ``t_channel``, ``t_campaign`` and
#: ``t_device`` are the order's last touch (``touch_rollup.last_touch_sql``; NULL: none)
COLUMNS = (
    "order_id",
    "customer_id",
    "ordered_at",
    "currency",
    "total",
    "refunded",
    "country",
    "storefront",
    "source",
    "product_total",
    "first_at",
    "customer_no",
    "t_channel",
    "t_campaign",
    "t_device",
)


def _build_sql() -> str:
    return f"""
CREATE OR REPLACE TABLE {TABLE} AS
WITH firsts AS (
  SELECT customer_id, MIN(ordered_at) AS first_at FROM orders
  WHERE customer_id IS NOT NULL GROUP BY customer_id
),
known AS (
  SELECT customer_id, first_order_at AS first_at FROM customers
  WHERE first_order_at IS NOT NULL
),
nl AS (
  SELECT order_id, SUM(quantity * unit_price) AS amount FROM order_lines
  WHERE line_kind IS NOT NULL AND line_kind <> 'product'
  GROUP BY order_id
),
lt AS ({last_touch_sql()})
SELECT o.order_id, o.customer_id, o.ordered_at, o.currency, o.total,
       COALESCE(o.refunded, 0) AS refunded, o.country, o.storefront, o.source,
       o.total - COALESCE(nl.amount, 0) AS product_total,
       COALESCE(kn.first_at, fi.first_at) AS first_at,
       CASE WHEN o.customer_id IS NOT NULL
            THEN CAST(DENSE_RANK() OVER (ORDER BY o.customer_id) AS INTEGER) END
         AS customer_no,
       lt.channel AS t_channel, lt.campaign AS t_campaign, lt.device AS t_device
FROM orders AS o
LEFT JOIN known AS kn ON kn.customer_id = o.customer_id
LEFT JOIN firsts AS fi ON fi.customer_id = o.customer_id
LEFT JOIN nl ON nl.order_id = o.order_id
LEFT JOIN lt ON lt.order_id = o.order_id
WHERE {metric_defs.not_cancelled_sql("o")}
ORDER BY o.ordered_at"""


def _version(warehouse: Warehouse) -> str:
    return rollup_state.tables_version(warehouse, TABLES)


def _build(warehouse: Warehouse) -> None:
    warehouse.execute(_build_sql())


ROLLUP = rollup_state.Rollup(name=TABLE, label="order rollup", version=_version, build=_build)
supported = ROLLUP.supported
refresh = ROLLUP.refresh
fresh = ROLLUP.fresh
ensure = ROLLUP.ensure
warm = ROLLUP.warm
