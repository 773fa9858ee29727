"""Exposures and conversions from the collector's events and the warehouse's orders.

An exposure is Segment's ``Experiment Viewed`` track event with the properties
``experiment_id`` and ``variation_id`` (what GrowthBook's and most SDKs' tracking callbacks
send). The unit is the event's ``userId``, else its ``anonymousId``; a unit's first exposure
in the period counts, and a unit seen in more than one variation of the same experiment is
left out (and counted, ``multiple``). Conversions and revenue are the unit's orders — the
one definition of an order and of revenue (``analytics.metrics``: positive total, not
cancelled; totals converted to the reporting currency at each order day's rate) — placed
at or after its first exposure and before the end of the period, matched on the order's
``customer_id`` (the storefront's ``userId``): anonymous units are exposed but cannot
convert until they identify.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from tradewinds.analytics import metrics as metric_defs
from tradewinds.analytics.conversion import fx_cte, fx_factor, fx_joins
from tradewinds.experiments.summaries import ExperimentData, MetricData

if TYPE_CHECKING:
    from tradewinds.analytics.filters import ReportScope
    from tradewinds.experiments.definitions import DefinitionsPublic
    from tradewinds.warehouse.backend import Warehouse

EXPOSURE_EVENT = "Experiment Viewed"
CONVERSION_METRIC = "purchase rate"
ORDERS_METRIC = "orders per unit"
REVENUE_METRIC = "revenue per unit"


@dataclass(frozen=True)
class ExposureRow:
    experiment: str
    variation: str
    units: int
    converted: int
    orders: int
    orders_squares: float
    revenue: float
    revenue_squares: float
    multiple: int


def exposures_sql(scope: ReportScope, *, currency: str) -> tuple[str, dict[str, object]]:
    params: dict[str, object] = {"start_ts": scope.utc_start(), "end_ts": scope.utc_end()}
    f = fx_factor("d", currency="currency", target=currency)
    sql = f"""
WITH {fx_cte(scope.start - timedelta(days=1), scope.end + timedelta(days=1))},
x AS (
  SELECT e.properties->>'experiment_id' AS experiment,
         e.properties->>'variation_id' AS variation,
         COALESCE(e.user_id, e.anonymous_id) AS unit, e.user_id, e."timestamp" AS seen_at
  FROM events AS e
  WHERE e.type = 'track' AND e.event = '{EXPOSURE_EVENT}'
    AND e."timestamp" >= $start_ts AND e."timestamp" < $end_ts
),
firsts AS (
  SELECT experiment, unit, MAX(user_id) AS user_id, MIN(seen_at) AS first_seen,
         MIN(variation) AS variation, COUNT(DISTINCT variation) AS seen
  FROM x
  WHERE experiment IS NOT NULL AND variation IS NOT NULL AND unit IS NOT NULL
  GROUP BY experiment, unit
),
d AS (
  SELECT o.order_id, o.customer_id, o.ordered_at, o.total, o.currency,
         CAST(o.ordered_at AS DATE) AS day
  FROM orders AS o
  WHERE {metric_defs.order_sql("o")} AND o.ordered_at >= $start_ts AND o.ordered_at < $end_ts
    AND o.customer_id IS NOT NULL
),
m AS (
  SELECT d.order_id, d.customer_id, d.ordered_at, CAST(d.total AS DOUBLE) * {f} AS amount
  FROM d {fx_joins("d", currency="currency", day="day", target=currency)}
),
per_unit AS (
  SELECT f.experiment, f.variation, f.unit, COUNT(m.order_id) AS orders,
         COALESCE(SUM(m.amount), 0) AS revenue
  FROM firsts AS f
  LEFT JOIN m ON m.customer_id = f.user_id AND m.ordered_at >= f.first_seen
  WHERE f.seen = 1
  GROUP BY f.experiment, f.variation, f.unit
),
multi AS (
  SELECT experiment, COUNT(*) AS multiple FROM firsts WHERE seen > 1 GROUP BY experiment
)
SELECT p.experiment, p.variation, COUNT(*) AS units,
       SUM(CASE WHEN p.orders > 0 THEN 1 ELSE 0 END) AS converted,
       SUM(p.orders) AS orders, SUM(p.orders * p.orders) AS orders_squares,
       SUM(p.revenue) AS revenue, SUM(p.revenue * p.revenue) AS revenue_squares,
       MAX(COALESCE(multi.multiple, 0)) AS multiple
FROM per_unit AS p LEFT JOIN multi ON multi.experiment = p.experiment
GROUP BY p.experiment, p.variation
ORDER BY p.experiment, p.variation"""
    return sql, params


def exposure_rows(warehouse: Warehouse, scope: ReportScope, *, currency: str) -> list[ExposureRow]:
    sql, params = exposures_sql(scope, currency=currency)
    result = warehouse.query(sql, params)
    return [
        ExposureRow(
            experiment=str(r[0]),
            variation=str(r[1]),
            units=int(r[2]),
            converted=int(r[3] or 0),
            orders=int(r[4] or 0),
            orders_squares=float(r[5] or 0),
            revenue=float(r[6] or 0),
            revenue_squares=float(r[7] or 0),
            multiple=int(r[8] or 0),
        )
        for r in result.rows
    ]


def _order(variations: list[str]) -> list[str]:
    """The control first: a variation named control (or 0, the SDKs' first index), then
    the rest in numeric order when they are numbers, else by name."""

    def key(v: str) -> tuple[int, float, str]:
        control = v.lower() in ("control", "0", "a", "baseline")
        try:
            return (0 if control else 1, float(v), v)
        except ValueError:
            return (0 if control else 1, float("inf"), v)

    return sorted(variations, key=key)


def experiments_of(
    rows: list[ExposureRow],
    *,
    revenue: bool = True,
    definitions: DefinitionsPublic | None = None,
) -> list[ExperimentData]:
    """The exposures as the tests read them: a purchase rate (binomial), orders per unit
    and (when ``revenue``) revenue per unit (means). A defined experiment is read in its
    variations' order with their weights (a defined variation nobody saw counts 0 units, so
    the sample-ratio check flags it); others get even weights."""
    by_experiment: dict[str, dict[str, ExposureRow]] = {}
    for row in rows:
        by_experiment.setdefault(row.experiment, {})[row.variation] = row
    out = []
    for key, variations in by_experiment.items():
        defined = definitions.get(key) if definitions else None
        if defined is not None:
            names = [v.key for v in defined.variations]
            names += _order([v for v in variations if v not in names])
            given = {v.key: v.weight for v in defined.variations}
            weights = tuple(given.get(v, 0.0) for v in names)
        else:
            if len(variations) < 2:
                continue
            names = _order(list(variations))
            weights = tuple(1.0 for _ in names)
        empty = ExposureRow(key, "", 0, 0, 0, 0.0, 0.0, 0.0, 0)
        picked = [variations.get(v, empty) for v in names]
        metrics = [
            MetricData(
                CONVERSION_METRIC,
                "binomial",
                tuple(float(r.converted) for r in picked),
                tuple(float(r.converted) for r in picked),
            ),
            MetricData(
                ORDERS_METRIC,
                "mean",
                tuple(float(r.orders) for r in picked),
                tuple(r.orders_squares for r in picked),
            ),
        ]
        if revenue:
            metrics.append(
                MetricData(
                    REVENUE_METRIC,
                    "mean",
                    tuple(r.revenue for r in picked),
                    tuple(r.revenue_squares for r in picked),
                )
            )
        out.append(
            ExperimentData(
                key=key,
                variations=tuple(names),
                units=tuple(r.units for r in picked),
                weights=weights,
                metrics=tuple(metrics),
            )
        )
    return out
