"""The rows behind a figure: what a seller sees one level down from a channel, a campaign,
a country, a KPI tile or a cohort cell.

Every list is read with the Overview's own queries (``kpis.py`` through
``service.metrics_report``), grouped by one more key (the order, the customer, the
campaign, the day), so the rows of a list add up to the figure the seller clicked: a
channel's orders are its last-touch orders, a campaign's spend is its spend rows, the
orders behind the Revenue tile sum to that tile. Only the ad-group breakdown, the one order
and the cohort's customers read tables directly (``ad_spend_daily`` rows, an order's lines
and touches, a cohort's first orders), each as its page says.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from tradewinds.analytics import dimensions as dims
from tradewinds.analytics import service
from tradewinds.analytics.cohorts import filter_clauses as cohort_filters
from tradewinds.analytics.conversion import fx_cte, fx_factor, fx_joins
from tradewinds.analytics.filters import ReportScope, country_name
from tradewinds.analytics.touch_rollup import ORDER_TOUCHES
from tradewinds.errors import InvalidInput, NotFound

if TYPE_CHECKING:
    from tradewinds.warehouse.backend import Warehouse

PAGE_SIZE = 50

#: the figures a channel's campaigns are shown with (as the Overview's channel table)
CAMPAIGN_METRICS = (
    "spend",
    "impressions",
    "clicks",
    "orders",
    "revenue",
    "roas",
    "cpa",
    "new_customers",
    "cac",
)
#: the figures of each order of a list
ORDER_METRICS = ("orders", "revenue", "product_revenue", "product_orders", "refunds")
#: the figures of each spend row of a list (one row per day, channel and campaign)
SPEND_METRICS = ("spend", "impressions", "clicks")
#: each tile and the list behind it
TILE_LISTS = {
    "orders": "orders",
    "revenue": "orders",
    "net_revenue": "orders",
    "product_revenue": "orders",
    "aov": "orders",
    "spend": "spend",
    "impressions": "spend",
    "clicks": "spend",
    "ctr": "spend",
    "cpc": "spend",
    "cpm": "spend",
    "roas": "spend",
    "platform_roas": "spend",
    "new_customers": "customers",
    "returning_customers": "customers",
    "customers": "customers",
    "cac": "customers",
}


@dataclass
class RowsPage:
    """One page of a list, the list's size and the sums of all its rows."""

    rows: list[dict[str, Any]]
    total_rows: int
    page: int
    pages: int
    sums: dict[str, Any] = field(default_factory=dict)


def paged(rows: list[dict[str, Any]], page: int, sums: dict[str, Any]) -> RowsPage:
    pages = max(1, -(-len(rows) // PAGE_SIZE))
    if page < 1 or page > pages:
        raise InvalidInput(
            f"page must be between 1 and {pages}", details={"field": "page", "value": page}
        )
    start = (page - 1) * PAGE_SIZE
    return RowsPage(rows[start : start + PAGE_SIZE], len(rows), page, pages, sums)


def sum_of(rows: list[dict[str, Any]], names: tuple[str, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in names:
        values = [r[name] for r in rows if r.get(name) is not None]
        out[name] = sum(values) if values else None
    return out


def campaigns(
    *, warehouse: Warehouse, scope: ReportScope, currency: str, metrics: tuple[str, ...]
) -> service.MetricsReport:
    """A channel's campaigns (``scope`` filtered by the channel): spend by the spend rows'
    campaign, orders by each order's last ad touch, as the Overview's channel row counts."""
    return service.metrics_report(
        warehouse=warehouse,
        currency=currency,
        scope=replace(scope, group_by=("campaign",)),
        metrics=metrics,
    )


def orders(*, warehouse: Warehouse, scope: ReportScope, currency: str, page: int = 1) -> RowsPage:
    """The orders ``scope`` counts (its filters: channel and campaign by last touch,
    country), newest first, with each one's figures; ``sums`` equal the Overview's."""
    report = service.metrics_report(
        warehouse=warehouse,
        currency=currency,
        scope=replace(scope, group_by=("order", "ordered_at", "customer")),
        metrics=ORDER_METRICS,
    )
    rows = [r for r in report.rows if r.get("orders")]
    rows.sort(key=lambda r: (r["ordered_at"], r["order"]), reverse=True)
    found = paged(rows, page, sum_of(rows, ORDER_METRICS))
    _describe(warehouse, found.rows)
    return found


def _describe(warehouse: Warehouse, rows: list[dict[str, Any]]) -> None:
    """Add each order's country, storefront and own currency and total to ``rows``."""
    if not rows:
        return
    marks = ", ".join(f"$o{i}" for i in range(len(rows)))
    params = {f"o{i}": r["order"] for i, r in enumerate(rows)}
    found = warehouse.query(
        "SELECT order_id, country, storefront, currency, total FROM orders "
        f"WHERE order_id IN ({marks})",
        params,
    ).rows
    by_id = {r[0]: r for r in found}
    for row in rows:
        _, country, storefront, own, total = by_id.get(row["order"], (None,) * 5)
        if row["customer"] == "(unknown)":
            row["customer"] = None
        row.update(
            country=country_name(country) if country else "",
            storefront=storefront or "",
            order_currency=own or "",
            order_total=float(total) if total is not None else None,
            day=str(row["ordered_at"])[:10],
        )


def spend_rows(
    *, warehouse: Warehouse, scope: ReportScope, currency: str, page: int = 1
) -> RowsPage:
    """The spend rows ``scope`` counts, per day, channel and campaign (newest first); the
    period reports' even daily shares among them, as the Spend tile counts them."""
    report = service.metrics_report(
        warehouse=warehouse,
        currency=currency,
        scope=replace(scope, group_by=("day", "channel", "campaign")),
        metrics=SPEND_METRICS,
    )
    rows = [r for r in report.rows if any(r.get(m) for m in SPEND_METRICS)]
    rows.sort(key=lambda r: (r["day"], r["channel"], r["campaign"]), reverse=True)
    return paged(rows, page, sum_of(rows, SPEND_METRICS))


def customers(
    *,
    warehouse: Warehouse,
    scope: ReportScope,
    currency: str,
    page: int = 1,
    which: str = "new_customers",
) -> RowsPage:
    """The customers who ordered in ``scope`` (``which``: ``customers`` all of them,
    ``new_customers`` those whose first order is in it, ``returning_customers`` the rest),
    most orders first; their number is the tile's."""
    if which not in ("customers", "new_customers", "returning_customers"):
        raise InvalidInput(f"unknown customer list {which!r}", details={"field": "metric"})
    report = service.metrics_report(
        warehouse=warehouse,
        currency=currency,
        scope=replace(scope, group_by=("customer",)),
        metrics=("orders", "revenue", "customers", "new_customers"),
    )
    rows = [r for r in report.rows if r.get("customers")]
    if which == "new_customers":
        rows = [r for r in rows if r.get("new_customers")]
    elif which == "returning_customers":
        rows = [r for r in rows if not r.get("new_customers")]
    rows.sort(key=lambda r: (-(r.get("orders") or 0), r["customer"]))
    for row in rows:
        row["new"] = bool(row.get("new_customers"))
    return paged(rows, page, sum_of(rows, ("orders", "revenue")))


@dataclass
class AdRow:
    ad_group: str
    ad: str
    spend: float | None
    impressions: int
    clicks: int


def ad_breakdown(
    *, warehouse: Warehouse, scope: ReportScope, currency: str, channel: str, campaign: str
) -> list[AdRow]:
    """A campaign's daily spend rows by ad group and ad (empty when its reports break
    nothing down further); period reports carry no ad group and are not among them."""
    params: dict[str, Any] = {
        "start_day": scope.start,
        "end_day": scope.end,
        "channel": channel,
        "campaign": campaign,
    }
    f = fx_factor("s", currency="currency", target=currency)
    label = dims.SPEND["campaign"].replace("a.", "r.")
    sql = f"""
WITH {fx_cte(scope.start - timedelta(days=1), scope.end + timedelta(days=1))},
s AS (
  SELECT r."date" AS day, r.currency, r.spend, r.impressions, r.clicks,
         COALESCE(NULLIF(r.ad_group_name, ''), r.ad_group_id, '') AS ad_group,
         COALESCE(NULLIF(r.ad_name, ''), r.ad_id, '') AS ad
  FROM ad_spend_daily AS r
  WHERE r."date" >= $start_day AND r."date" <= $end_day AND r.platform = $channel
    AND {label} = $campaign
)
SELECT ad_group, ad, SUM(spend * {f}) AS spend, SUM(impressions) AS impressions,
       SUM(clicks) AS clicks
FROM s {fx_joins("s", currency="currency", day="day", target=currency)}
GROUP BY 1, 2 ORDER BY 3 DESC NULLS LAST, 1, 2"""
    rows = warehouse.query(sql, params).rows
    if all(not g and not a for g, a, *_ in rows):
        return []
    return [
        AdRow(
            ad_group=g or "",
            ad=a or "",
            spend=None if s is None else round(float(s), 2),
            impressions=int(i or 0),
            clicks=int(c or 0),
        )
        for g, a, s, i, c in rows
    ]


@dataclass
class OrderDetail:
    order_id: str
    customer_id: str | None
    ordered_at: datetime
    storefront: str
    country: str
    currency: str
    total: float
    refunded: float
    status: str
    lines: list[dict[str, Any]]
    touches: list[dict[str, Any]]


def order_detail(*, warehouse: Warehouse, order_id: str) -> OrderDetail:
    """One order: its lines, and the ad and storefront touches of its customer's journey
    in the 30 days before it (the last one is the touch the Overview credits)."""
    found = warehouse.query(
        "SELECT order_id, customer_id, ordered_at, storefront, country, currency, total, "
        "refunded, status FROM orders WHERE order_id = $id",
        {"id": order_id},
    ).rows
    if not found:
        raise NotFound(f"no order {order_id!r} in this workspace")
    oid, customer, at, storefront, country, own, total, refunded, status = found[0]
    lines = [
        {
            "line_no": int(n),
            "sku": sku or "",
            "title": title or "",
            "quantity": int(q),
            "unit_price": float(p),
            "amount": float(q) * float(p),
            "kind": kind or "product",
        }
        for n, sku, title, q, p, kind in warehouse.query(
            "SELECT line_no, sku, title, quantity, unit_price, line_kind FROM order_lines "
            "WHERE order_id = $id ORDER BY line_no",
            {"id": order_id},
        ).rows
    ]
    touches: list[dict[str, Any]] = []
    if customer is not None:
        platform = dims.platform_sql(
            source="t.source",
            medium="t.medium",
            gclid="t.gclid",
            fbclid="t.fbclid",
            ttclid="t.ttclid",
        )
        rows = warehouse.query(
            f"SELECT t.occurred_at, {platform} AS channel, t.source, t.medium, t.campaign, "
            f"t.device, t.landing_url, ROW_NUMBER() OVER (ORDER BY {ORDER_TOUCHES}) AS rn "
            "FROM touchpoints AS t WHERE t.customer_id = $customer AND t.occurred_at <= $at "
            f"AND t.occurred_at > $at - INTERVAL '{dims.TOUCH_LOOKBACK_DAYS} days' "
            "ORDER BY t.occurred_at",
            {"customer": customer, "at": at},
        ).rows
        touches = [
            {
                "at": when,
                "channel": channel,
                "source": source or "",
                "medium": medium or "",
                "campaign": campaign or "",
                "device": device or "",
                "landing_url": url or "",
                "last": rn == 1,
            }
            for when, channel, source, medium, campaign, device, url, rn in rows
        ]
    return OrderDetail(
        order_id=oid,
        customer_id=customer,
        ordered_at=at,
        storefront=storefront or "",
        country=country_name(country) if country else "",
        currency=own,
        total=float(total),
        refunded=float(refunded or 0),
        status=status or "",
        lines=lines,
        touches=touches,
    )


def parse_month(value: str) -> date:
    """``YYYY-MM`` as the first day of that month; InvalidInput naming the field if not."""
    try:
        return date.fromisoformat(f"{value.strip()}-01")
    except ValueError:
        raise InvalidInput(
            f"month: {value!r} is not a month; write it as YYYY-MM", details={"field": "month"}
        ) from None


def _month_after(first: date, months: int) -> date:
    n = first.year * 12 + first.month - 1 + months
    return date(n // 12, n % 12 + 1, 1)


def cohort_customers(
    *,
    warehouse: Warehouse,
    scope: ReportScope,
    currency: str,
    month: date,
    months_since: int,
    page: int = 1,
) -> RowsPage:
    """The customers of the cohort first ordering in ``month`` who ordered
    ``months_since`` months later (0: the whole cohort), with that month's orders and
    revenue, as ``cohorts.py`` counts the cell (orders with a positive total, months in the
    workspace's time zone, nothing after the end of ``scope``)."""
    if months_since < 0 or months_since > 120:
        raise InvalidInput("months since must be between 0 and 120", details={"field": "k"})
    first = scope.utc_start(month)
    after_first = scope.utc_start(_month_after(month, 1))
    lo = scope.utc_start(_month_after(month, months_since))
    hi = min(scope.utc_start(_month_after(month, months_since + 1)), scope.utc_end())
    local = dims.local_day("o.ordered_at", scope.timezone)
    f = fx_factor("m", currency="currency", target=currency)
    start_day = _month_after(month, months_since)
    params: dict[str, Any] = {"first": first, "after_first": after_first, "lo": lo, "hi": hi}
    # the Overview's country filter narrows the cohorts to that country's orders
    narrowed = "".join(f" AND {c}" for c in cohort_filters(scope, params))
    sql = f"""
WITH {fx_cte(start_day - timedelta(days=1), _month_after(month, months_since + 1))},
f AS (
  SELECT o.customer_id, MIN(o.ordered_at) AS first_at FROM orders AS o
  WHERE o.customer_id IS NOT NULL AND o.total > 0{narrowed} GROUP BY o.customer_id
),
m AS (
  SELECT o.customer_id, o.currency, o.total, {local} AS day
  FROM orders AS o JOIN f ON f.customer_id = o.customer_id
  WHERE f.first_at >= $first AND f.first_at < $after_first AND o.total > 0
    AND o.ordered_at >= $lo AND o.ordered_at < $hi{narrowed}
)
SELECT m.customer_id, COUNT(*) AS orders, SUM(m.total * {f}) AS revenue
FROM m {fx_joins("m", currency="currency", day="day", target=currency)}
GROUP BY 1 ORDER BY 2 DESC, 1"""
    rows = [
        {
            "customer": c,
            "orders": int(n),
            "revenue": None if r is None else round(float(r), 2),
        }
        for c, n, r in warehouse.query(sql, params).rows
    ]
    return paged(rows, page, sum_of(rows, ("orders", "revenue")))
