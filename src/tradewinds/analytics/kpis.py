"""KPI queries: one aggregate query per side (ad spend, orders, events), merged by group.

Money is converted to the reporting currency row by row at the rate of the row's own day
(``conversion.py``); rows without a rate are left out of the sums and reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import pandas as pd

from tradewinds.analytics import campaigns as campaign_dim
from tradewinds.analytics import dimensions as dims
from tradewinds.analytics import metrics as metric_defs
from tradewinds.analytics.calculations import (
    EVENT_METRICS,
    ORDER_METRICS,
    SPEND_METRICS,
    base_needed,
)
from tradewinds.analytics.conversion import fx_cte, fx_factor, fx_joins
from tradewinds.analytics.filters import ReportScope, country_name, country_values
from tradewinds.analytics.order_rollup import TABLE as rolled_orders
from tradewinds.analytics.period_spend import spend_rows_sql
from tradewinds.analytics.touch_rollup import ORDER_TOUCHES
from tradewinds.analytics.touch_rollup import lt_sql as rolled_touches
from tradewinds.i18n_markers import N_

if TYPE_CHECKING:
    from tradewinds.warehouse.backend import Warehouse

COUNTRY_DIMS = ("country", "customer_country", "ad_country")


@dataclass
class SideResult:
    frame: pd.DataFrame
    unconverted: int = 0
    missing: list[tuple[str, date]] = field(default_factory=list)


def _bounds(scope: ReportScope) -> dict[str, Any]:
    return {
        "start_day": scope.start,
        "end_day": scope.end,
        "start_ts": scope.utc_start(),
        "end_ts": scope.utc_end(),
        # the earliest touch an order of the range can have (30 days before its first
        # instant, not 30 local days: across a change of clocks they differ by an hour)
        "touch_start_ts": scope.utc_start() - timedelta(days=dims.TOUCH_LOOKBACK_DAYS),
    }


def _filters(scope: ReportScope, side: dict[str, str], params: dict[str, Any]) -> list[str]:
    clauses = []
    for name, values in scope.filters.items():
        if name not in side:
            continue  # not a dimension of this side: the side is not filtered by it
        if name in COUNTRY_DIMS:
            values = country_values(values)
        marks = []
        for i, value in enumerate(values):
            key = f"f_{name}_{i}"
            params[key] = value
            marks.append(f"${key}")
        clauses.append(f"({side[name]}) IN ({', '.join(marks)})")
    return clauses


def _select_groups(scope: ReportScope, side: dict[str, str], time_column: str) -> list[str]:
    return [f'{dims.expr(side, g, time_column=time_column)} AS "g_{g}"' for g in scope.group_by]


def _group_clause(scope: ReportScope) -> str:
    if scope.grouping_sets:
        sets = ", ".join("(" + ", ".join(f'"g_{g}"' for g in s) + ")" for s in scope.grouping_sets)
        return f"GROUP BY GROUPING SETS ({sets})"
    if not scope.group_by:
        return ""
    return "GROUP BY " + ", ".join(f'"g_{g}"' for g in scope.group_by)


def _out_groups(scope: ReportScope) -> str:
    """The group columns a side's final SELECT starts with; with grouping sets also
    ``_set``, the index in ``scope.grouping_sets`` of the grouping each row belongs to."""
    cols = "".join(f'"g_{g}", ' for g in scope.group_by)
    if not scope.grouping_sets:
        return cols
    names = ", ".join(f'"g_{g}"' for g in scope.group_by)
    width = len(scope.group_by)
    cases = " ".join(
        # GROUPING() has a 1 bit for each column the row is not grouped by
        f"WHEN {sum(1 << (width - 1 - i) for i, g in enumerate(scope.group_by) if g not in s)}"
        f" THEN {n}"
        for n, s in enumerate(scope.grouping_sets)
    )
    return f"{cols}CASE GROUPING({names}) {cases} END AS _set, "


def spend_sql(scope: ReportScope, *, currency: str) -> tuple[str, dict[str, Any]]:
    """Ad spend per group: ``ad_spend_daily`` rows plus each day's even share of period
    reports' account totals (``period_spend.py``); ``estimated_spend`` is that share."""
    params = _bounds(scope)
    where = ['a."date" >= $start_day', 'a."date" <= $end_day']
    where += _filters(scope, dims.SPEND, params)
    groups = _select_groups(scope, dims.SPEND, 'a."date"')
    cols = ", ".join(
        [
            *groups,
            'a."date" AS day',
            "a.currency",
            "a.spend",
            "a.impressions",
            "a.clicks",
            "a.conversions",
            "a.conversion_value",
            "a.estimated",
        ]
    )
    f = fx_factor("s", currency="currency", target=currency)
    out_groups = _out_groups(scope)
    sql = f"""
WITH {fx_cte(scope.start - timedelta(days=1), scope.end + timedelta(days=1))},
s AS (SELECT {cols} FROM {spend_rows_sql(scope.start, scope.end)} AS a
      WHERE {" AND ".join(where)}),
x AS (SELECT s.*, {f} AS f FROM s {fx_joins("s", currency="currency", day="day", target=currency)})
SELECT {out_groups}
  SUM(spend * f) AS spend, SUM(impressions) AS impressions, SUM(clicks) AS clicks,
  SUM(conversions) AS platform_conversions,
  SUM(conversion_value * f) AS platform_conversion_value,
  SUM(CASE WHEN estimated = 1 THEN spend * f END) AS estimated_spend,
  SUM(CASE WHEN f IS NULL THEN 1 ELSE 0 END) AS unconverted
FROM x {_group_clause(scope)}"""
    return sql, params


def _needs_touches(scope: ReportScope) -> bool:
    return any(g in dims.TOUCH_DIMENSIONS for g in (*scope.group_by, *scope.filters))


def orders_sql(
    scope: ReportScope,
    *,
    currency: str,
    customers: bool = True,
    campaigns: str | None = None,
    products: bool = True,
    touch_rollup: bool = False,
    order_rollup: bool = False,
) -> tuple[str, dict[str, Any]]:
    """Orders, revenue, refunds, adjustments and (when ``customers``) customers and new
    customers; (when ``products``) product revenue and orders with products.

    Product revenue is each sales document's total less its order lines that are not
    products (``order_lines.line_kind`` postage, fee, discount, adjustment, voucher; NULL
    counts as a product); an order with no product revenue is not an order with products.
    Adjustments are negative documents that are not refunds (a bad debt written off).

    ``campaigns`` (the ``cm`` table of ``analytics.campaigns``) names each order's campaign
    as the spend rows do.

    A customer is new when their first order ever (of any kind, as the importers record it
    in ``customers.first_order_at``; from their orders for customers without it, such as
    orders from the event collector) falls in the range and they bought in it.

    ``touch_rollup`` reads each order's last touch from ``touch_rollup.py`` (the caller
    checks that it is up to date); ``campaigns`` always joins the touchpoints.
    ``order_rollup`` reads the orders, their product revenue and their customers' first
    orders from ``order_rollup.py`` (the caller checks that it is up to date).
    """
    params = _bounds(scope)
    where = ["o.ordered_at >= $start_ts", "o.ordered_at < $end_ts"]
    if not order_rollup:  # the rollup holds the orders that are not cancelled only
        where.append(metric_defs.not_cancelled_sql("o"))
    side = dict(dims.ORDERS)
    if campaigns:
        side["campaign"] = campaign_dim.LABEL_SQL
    plain = {k: v for k, v in side.items() if k not in dims.TOUCH_DIMENSIONS}
    touched = {k: v for k, v in side.items() if k in dims.TOUCH_DIMENSIONS}
    where += _filters(scope, plain, params)
    touch_where = _filters(scope, touched, params)
    touches = ""
    touch_join = ""
    if order_rollup and not campaigns:  # each order's last touch is in the rollup's row
        side = {k: v.replace("lt.", "o.t_") for k, v in side.items()}
        touched = {k: v for k, v in side.items() if k in dims.TOUCH_DIMENSIONS}
        touch_where = _filters(scope, touched, params)
    elif _needs_touches(scope):
        platform = dims.platform_sql(
            source="t.source",
            medium="t.medium",
            gclid="t.gclid",
            fbclid="t.fbclid",
            ttclid="t.ttclid",
        )
        fields = f", {campaign_dim.touch_fields_sql()}" if campaigns else ""
        picked = ", touch_campaign_id, touch_day" if campaigns else ""
        touches = f""",
lt AS (
  SELECT order_id, channel, campaign, device{picked} FROM (
    SELECT o.order_id, {platform} AS channel, t.campaign, t.device{fields},
           ROW_NUMBER() OVER (PARTITION BY o.order_id ORDER BY {ORDER_TOUCHES}) AS rn
    FROM o JOIN (
      SELECT * FROM touchpoints WHERE occurred_at < $end_ts
      AND occurred_at >= $touch_start_ts) AS t ON t.customer_id = o.customer_id
     AND t.occurred_at <= o.ordered_at
     AND t.occurred_at > o.ordered_at - INTERVAL '{dims.TOUCH_LOOKBACK_DAYS} days'
  ) AS ranked WHERE rn = 1
)"""
        if touch_rollup and not campaigns:
            touches = f",\nlt AS ({rolled_touches()})"
        touch_join = "LEFT JOIN lt ON lt.order_id = o.order_id"
        if campaigns:
            touches += f",\n{campaigns}"
            touch_join += f"\n  {campaign_dim.JOIN_SQL}"
    groups = _select_groups(
        scope, side, dims.local_time("o.ordered_at", scope.timezone, scope.window)
    )
    f = fx_factor("o", currency="currency", target=currency)
    out_groups = _out_groups(scope)
    firsts = new_col = first_joins = ""
    customer_cols = ""
    if customers and order_rollup:
        new_col = (
            ",\n         CASE WHEN o.total > 0 AND o.first_at >= $start_ts "
            "THEN o.customer_no END AS new_id"
        )
    elif customers:
        firsts = """,
known AS (
  SELECT c.customer_id, c.first_order_at AS first_at FROM customers AS c
  WHERE c.first_order_at IS NOT NULL
    AND c.customer_id IN (SELECT customer_id FROM o)
),
firsts AS (
  SELECT customer_id, MIN(ordered_at) AS first_at FROM orders
  WHERE customer_id IN (
    SELECT customer_id FROM o WHERE customer_id IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM known AS k WHERE k.customer_id = o.customer_id))
  GROUP BY customer_id
)"""
        new_col = (
            ",\n         CASE WHEN o.total > 0 AND COALESCE(kn.first_at, fi.first_at) "
            ">= $start_ts THEN o.customer_id END AS new_id"
        )
        first_joins = (
            "LEFT JOIN known AS kn ON kn.customer_id = o.customer_id\n"
            "  LEFT JOIN firsts AS fi ON fi.customer_id = o.customer_id"
        )
    if customers:
        customer_cols = """
  COUNT(DISTINCT CASE WHEN total > 0 THEN who END) AS customers,
  COUNT(DISTINCT new_id) AS new_customers,"""
    lines, line_col, line_join, product_cols = _product_parts() if products else ("",) * 4
    rolled_cols = ""
    if order_rollup:
        lines, line_join = "", ""
        line_col = ", o.product_total" if products else ""
        rolled_cols = ", o.product_total, o.first_at, o.customer_no"
        if not campaigns and _needs_touches(scope):
            rolled_cols += ", o.t_channel, o.t_campaign, o.t_device"
    sql = f"""
WITH {fx_cte(scope.start - timedelta(days=1), scope.end + timedelta(days=1))},
o AS (
  SELECT o.order_id, o.customer_id, o.ordered_at,
         {dims.local_day("o.ordered_at", scope.timezone, scope.window)} AS day,
         o.currency, o.total, COALESCE(o.refunded, 0) AS refunded, o.country, o.storefront,
         o.source{rolled_cols}
  FROM {rolled_orders if order_rollup else "orders"} AS o WHERE {" AND ".join(where)}
){touches}{firsts}{lines},
x AS (
  SELECT {"".join(g + ", " for g in groups)}o.total, o.refunded, o.source,
         {"o.customer_no" if order_rollup else "o.customer_id"} AS who,
         {f} AS f{new_col}{line_col}
  FROM o {touch_join}
  {first_joins}{line_join}
  {fx_joins("o", currency="currency", day="day", target=currency)}
  {"WHERE " + " AND ".join(touch_where) if touch_where else ""}
)
SELECT {out_groups}
  SUM(CASE WHEN total > 0 THEN 1 ELSE 0 END) AS orders,
  SUM(CASE WHEN total > 0 AND source = '{metric_defs.STOREFRONT_SOURCE}' THEN 1 ELSE 0 END)
    AS storefront_orders,
  SUM(CASE WHEN total > 0 THEN total * f END) AS revenue,
  SUM(refunded * f) AS refunds,
  SUM(CASE WHEN total < 0 AND refunded = 0 THEN total * f END)
    AS adjustments,{product_cols + customer_cols}
  SUM(CASE WHEN f IS NULL THEN 1 ELSE 0 END) AS unconverted
FROM x {_group_clause(scope)}"""
    return sql, params


def _product_parts() -> tuple[str, str, str, str]:
    """SQL pieces for product revenue: lines CTE, column, join, aggregates."""
    lines = """,
nl AS (
  SELECT l.order_id, SUM(l.quantity * l.unit_price) AS amount FROM order_lines AS l
  WHERE l.line_kind IS NOT NULL AND l.line_kind <> 'product'
    AND l.order_id IN (SELECT order_id FROM o)
  GROUP BY l.order_id
)"""
    column = ", o.total - COALESCE(nl.amount, 0) AS product_total"
    join = "\n  LEFT JOIN nl ON nl.order_id = o.order_id"
    aggregates = """
  SUM(CASE WHEN total > 0 THEN product_total * f END) AS product_revenue,
  SUM(CASE WHEN total > 0 AND product_total > 0 THEN 1 ELSE 0 END) AS product_orders,"""
    return lines, column, join, aggregates


def events_sql(scope: ReportScope, *, sessions: bool = False) -> tuple[str, dict[str, Any]]:
    """Storefront visitors per group; with ``sessions`` also storefront sessions
    (``metrics.py`` defines both).

    A session is a run of one visitor's events (``context.sessionId`` when the storefront
    sends it, else the anonymous id, else the user id) without a gap longer than
    ``SESSION_GAP_MINUTES``; it counts in the period (and the group) of its first event.
    Events up to the gap before the period are read only to tell whether the period's
    first events continue a session begun before it. Of events at the same instant, the
    one with the lowest ``message_id`` starts the session (its fields are the session's).
    """
    params = _bounds(scope)
    where = _filters(scope, dims.EVENTS, params)
    groups = _select_groups(
        scope, dims.EVENTS, dims.local_time('e."timestamp"', scope.timezone, scope.window)
    )
    out_groups = _out_groups(scope)
    if not sessions:
        inner = ['r."timestamp" >= $start_ts', 'r."timestamp" < $end_ts']
        sql = f"""
WITH x AS (
  SELECT {"".join(g + ", " for g in groups)}e.who
  FROM {dims.events_source(inner)} {"WHERE " + " AND ".join(where) if where else ""}
)
SELECT {out_groups}COUNT(DISTINCT who) AS visitors FROM x {_group_clause(scope)}"""
        return sql, params
    gap = metric_defs.SESSION_GAP_MINUTES
    params["session_start_ts"] = scope.utc_start() - timedelta(minutes=gap)
    inner = ['r."timestamp" >= $session_start_ts', 'r."timestamp" < $end_ts']
    extra = (
        ("sid", "COALESCE(r.context->>'sessionId', r.anonymous_id, r.user_id)"),
        ("mid", "r.message_id"),
    )
    if not groups and not where:
        # the tiles: no dimension of the events is read, so none is parsed
        source = (
            '(SELECT r."timestamp", COALESCE(r.anonymous_id, r.user_id) AS who, '
            f"{extra[0][1]} AS sid, r.message_id AS mid FROM events AS r "
            f"WHERE {' AND '.join(inner)}) AS e"
        )
    else:
        source = dims.events_source(inner, extra=extra)
    sql = f"""
WITH ev AS (
  SELECT {"".join(g + ", " for g in groups)}e.*, e."timestamp" AS ts,
         LAG(e."timestamp") OVER (PARTITION BY e.sid ORDER BY e."timestamp", e.mid)
           AS prev_ts
  FROM {source}
),
x AS (
  SELECT * FROM ev AS e
  WHERE e.ts >= $start_ts{" AND " + " AND ".join(where) if where else ""}
)
SELECT {out_groups}COUNT(DISTINCT who) AS visitors,
  SUM(CASE WHEN sid IS NOT NULL AND (prev_ts IS NULL
      OR ts > prev_ts + INTERVAL '{gap} minutes') THEN 1 ELSE 0 END) AS sessions
FROM x {_group_clause(scope)}"""
    return sql, params


def visits_sql(scope: ReportScope, *, sessions: bool = False) -> tuple[str, dict[str, Any]]:
    """Visitors (and with ``sessions`` storefront sessions) per group as :func:`events_sql`
    counts them, from the visit and session-start rollups (``visit_rollup.py``; the caller
    checks that they answer exactly for the range)."""
    from tradewinds.analytics import visit_rollup

    params = _bounds(scope)
    where = _filters(scope, dims.EVENTS, params)
    groups = "".join(
        g + ", "
        for g in _select_groups(
            scope, dims.EVENTS, dims.local_time("e.bucket", scope.timezone, scope.window)
        )
    )
    within = ["r.bucket >= $start_ts", "r.bucket < $end_ts"]
    filtered = "WHERE " + " AND ".join(where) if where else ""
    out_groups = _out_groups(scope)
    if not sessions:
        sql = f"""
WITH x AS (
  SELECT {groups}e.who FROM {visit_rollup.source(within)} {filtered}
)
SELECT {out_groups}COUNT(DISTINCT who) AS visitors FROM x {_group_clause(scope)}"""
        return sql, params
    # a group has sessions only where it has visits; like events_sql, the sessions of a
    # group with visits are a number (0 when none starts in it), of no visits at all NULL
    sql = f"""
WITH x AS (
  SELECT {groups}e.who, 1 AS visit, NULL AS sessions
  FROM {visit_rollup.source(within)} {filtered}
  UNION ALL
  SELECT {groups}NULL AS who, NULL AS visit, e.sessions
  FROM {visit_rollup.session_source(within)} {filtered}
)
SELECT {out_groups}COUNT(DISTINCT who) AS visitors,
  CASE WHEN COUNT(visit) > 0 THEN COALESCE(SUM(sessions), 0) END AS sessions
FROM x {_group_clause(scope)}"""
    return sql, params


def _missing(warehouse: Warehouse, table: str, scope: ReportScope, currency: str) -> list:
    from tradewinds.markets.fx_sql import missing_rates

    if table == "ad_spend_daily":
        src = (
            f'SELECT currency, "date" AS day FROM ad_spend_daily WHERE "date" >= '
            f"DATE '{scope.start.isoformat()}' AND \"date\" <= DATE '{scope.end.isoformat()}'"
        )
    else:
        first, after = (t.isoformat(sep=" ") for t in scope.window)
        day = dims.local_day("ordered_at", scope.timezone, scope.window)
        src = (
            f"SELECT currency, {day} AS day "
            f"FROM orders WHERE ordered_at >= TIMESTAMP '{first}' "
            f"AND ordered_at < TIMESTAMP '{after}'"
        )
    return missing_rates(warehouse, src, currency="currency", on="day", to=currency)


def _frame(warehouse: Warehouse, sql: str, params: dict[str, Any]) -> pd.DataFrame:
    used = {k: v for k, v in params.items() if re.search(rf"\${k}\b", sql)}
    frame = warehouse.query_df(sql, used)
    return frame.rename(columns={c: c[2:] for c in frame.columns if c.startswith("g_")})


def run_sides(
    warehouse: Warehouse, scope: ReportScope, *, metrics: tuple[str, ...], currency: str
) -> tuple[pd.DataFrame, list[Any], int]:
    """Summed figures per group (one row per group) + missing FX rates + unconverted rows."""
    frames: list[pd.DataFrame] = []
    missing: list[Any] = []
    unconverted = 0
    sides = _sides(warehouse, scope, metrics=metrics, currency=currency)
    if scope.grouping_sets:
        raise ValueError("run_sides answers one grouping; use run_grouping_sets")
    for table, sql, params in sides:
        frame = _frame(warehouse, sql, params)
        if "unconverted" in frame:
            lost = int(pd.to_numeric(frame["unconverted"]).fillna(0).sum())
            frame = frame.drop(columns="unconverted")
            if lost:
                unconverted += lost
                missing += _missing(warehouse, table, scope, currency)
        frames.append(frame)
    merged = _merge(frames, scope.group_by)
    return merged, missing, unconverted


#: each side of a report: its table and the base figures it gives
SIDES = (("ad_spend_daily", SPEND_METRICS), ("orders", ORDER_METRICS), ("events", EVENT_METRICS))


def _side(
    warehouse: Warehouse,
    table: str,
    scope: ReportScope,
    base: set[str] | frozenset[str],
    currency: str,
) -> tuple[str, dict[str, Any]]:
    """The SQL and parameters of one side (spend, orders or events) for ``scope``."""
    if table == "ad_spend_daily":
        return spend_sql(scope, currency=currency)
    if table == "orders":
        campaigns = None
        if "campaign" in (*scope.group_by, *scope.filters):
            campaigns = campaign_dim.campaign_cte(warehouse, _bounds(scope))
        from tradewinds.analytics import order_rollup, touch_rollup

        rolled = campaigns is None and _needs_touches(scope) and touch_rollup.fresh(warehouse)
        return orders_sql(
            scope,
            currency=currency,
            customers=bool(base & {"customers", "new_customers"}),
            campaigns=campaigns,
            products=bool(base & {"product_revenue", "product_orders"}),
            touch_rollup=rolled,
            order_rollup=order_rollup.fresh(warehouse),
        )
    from tradewinds.analytics import visit_rollup

    rolled = visit_rollup.usable(warehouse, scope.window, scope.timezone)
    read = visits_sql if rolled else events_sql
    return read(scope, sessions="sessions" in base)


def _sides(
    warehouse: Warehouse, scope: ReportScope, *, metrics: tuple[str, ...], currency: str
) -> list[tuple[str, str, dict[str, Any]]]:
    """(table, SQL, parameters) of each side the metrics need (spend, orders, events)."""
    base = base_needed(metrics)
    return [
        (table, *_side(warehouse, table, scope, base, currency))
        for table, gives in SIDES
        if base & gives
    ]


def run_grouping_sets(
    warehouse: Warehouse,
    scope: ReportScope,
    *,
    wanted: dict[tuple[str, ...], tuple[str, ...]],
    currency: str,
) -> dict[tuple[str, ...], tuple[pd.DataFrame, list[Any], int]]:
    """What :func:`run_sides` gives for each grouping of ``wanted`` (grouping -> metrics),
    from one query per side (``GROUP BY GROUPING SETS``) over the groupings that need it:
    a page's tiles and its tables by channel, country and day read the orders, the spend
    and the events once each."""
    frames: dict[tuple[str, ...], list[pd.DataFrame]] = {keys: [] for keys in wanted}
    lost = dict.fromkeys(wanted, 0)
    missing: dict[tuple[str, ...], list[Any]] = {keys: [] for keys in wanted}
    for table, gives in SIDES:
        looked_up: list[Any] | None = None
        for sets in _query_sets(wanted, gives):
            base = base_needed(tuple(m for keys in sets for m in wanted[keys]))
            group_by = tuple(dict.fromkeys(g for keys in sets for g in keys))
            # one grouping in a query: a plain GROUP BY (GROUPING() needs groups)
            side_scope = replace(
                scope, group_by=group_by, grouping_sets=sets if len(sets) > 1 else ()
            )
            frame = _frame(warehouse, *_side(warehouse, table, side_scope, base, currency))
            if len(sets) == 1:
                frame["_set"] = 0
            for n, keys in enumerate(sets):
                part = frame[frame["_set"] == n].drop(columns="_set")
                part = part.drop(columns=[g for g in group_by if g not in keys])
                if "unconverted" in part:
                    rows = int(pd.to_numeric(part["unconverted"]).fillna(0).sum())
                    part = part.drop(columns="unconverted")
                    if rows:
                        lost[keys] += rows
                        if looked_up is None:  # the same rows in every grouping: looked up once
                            looked_up = _missing(warehouse, table, scope, currency)
                        missing[keys] += looked_up
                frames[keys].append(part.reset_index(drop=True))
    return {keys: (_merge(frames[keys], keys), missing[keys], lost[keys]) for keys in wanted}


#: figures counted with ``COUNT(DISTINCT …)``: in ``GROUPING SETS`` each is counted for every
#: set of the query, at the cost of one hash of (group, customer) pairs per set
DISTINCT_BASES = frozenset({"customers", "new_customers", "visitors"})


def _query_sets(
    wanted: dict[tuple[str, ...], tuple[str, ...]], gives: frozenset[str] | set[str]
) -> list[tuple[tuple[str, ...], ...]]:
    """The groupings of ``wanted`` that need a side (``gives``), in queries: the groupings
    that count distinct customers or visitors in one ``GROUPING SETS`` query, the others in
    a second, so a table by day that shows no customer count does not pay for counting
    customers per day."""
    queries: dict[bool, list[tuple[str, ...]]] = {}
    for keys, ms in wanted.items():
        needed = base_needed(ms) & set(gives)
        if needed:
            queries.setdefault(bool(needed & DISTINCT_BASES), []).append(keys)
    return [tuple(sets) for sets in queries.values()]


def _label(name: str, value: Any) -> Any:
    if name in COUNTRY_DIMS:
        return country_name(value)
    if name in dims.TIME:
        if value is None or (isinstance(value, float) and pd.isna(value)):
            return None
        return pd.Timestamp(value).date().isoformat()
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return N_("(unknown)")
    text = str(value)
    return text if text else N_("(not split)")


def _merge(frames: list[pd.DataFrame], group_by: tuple[str, ...]) -> pd.DataFrame:
    keys = list(group_by)
    cleaned = []
    for frame in frames:
        frame = frame.copy()
        for col in frame.columns:
            if col in keys:
                frame[col] = [_label(col, v) for v in frame[col]]
            else:
                frame[col] = pd.to_numeric(frame[col].astype(object), errors="coerce")
        if keys and not frame.empty:
            frame = frame.groupby(keys, as_index=False, dropna=False).sum(min_count=1)
        cleaned.append(frame)
    if not cleaned:
        return pd.DataFrame(columns=keys)
    out = cleaned[0]
    for frame in cleaned[1:]:
        out = out.merge(frame, on=keys, how="outer") if keys else pd.concat([out, frame], axis=1)
    return out
