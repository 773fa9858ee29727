"""Drill-down pages: what a figure of the Overview is made of, one level at a time.

Channel → its campaigns → a campaign's ad groups, ads and orders → one order; country →
its orders; a KPI tile → the rows behind it; a cohort cell → its customers; a segment → its
members. Each page keeps the period and the filters in its address and shows breadcrumbs
back; the figures come from ``analytics/drill.py`` (the Overview's own queries).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request

from tradewinds.analytics import access as analytics_access
from tradewinds.analytics import drill, service
from tradewinds.analytics.calculations import LABELS, MONEY
from tradewinds.analytics.filters import ReportScope, scope_from_query
from tradewinds.audiences import access as audiences_access
from tradewinds.errors import InvalidInput
from tradewinds.warehouse import Warehouse, open_warehouse
from tradewinds.web import drill_links as links
from tradewinds.web import drill_views as views
from tradewinds.web import numbers
from tradewinds.web.deps import WebContext, reading
from tradewinds.web.frame import render, templates
from tradewinds.web.i18n import N_
from tradewinds.web.i18n import gettext as _

router = APIRouter(prefix="/drill", include_in_schema=False)
#: what an order line is (``order_lines.line_kind``), as the order page names it
LINE_KINDS = {
    "product": N_("product"),
    "fee": N_("fee"),
    "postage": N_("postage"),
    "discount": N_("discount"),
    "adjustment": N_("adjustment"),
    "voucher": N_("voucher"),
}
OverviewPage = reading(analytics_access.OVERVIEW)
CohortPage = reading(analytics_access.COHORTS)
SegmentPage = reading(audiences_access.CUSTOMERS_PAGE)

# the Overview's template asks where a bar or a row leads
templates.env.globals.setdefault("drill_href", links.from_overview)
templates.env.globals.setdefault("drill_tile", links.tile_from_overview)


def _query(request: Request) -> dict[str, str]:
    return {k: request.query_params.get(k, "") for k in request.query_params}


def _scope(request: Request, warehouse: Warehouse, timezone: str) -> ReportScope:
    query = {k: request.query_params.getlist(k) for k in request.query_params}
    return scope_from_query(
        query,
        default_end=service.default_end(warehouse=warehouse, timezone=timezone),
        group_by="",
        timezone=timezone,
    )


def _required(request: Request, name: str) -> str:
    value = request.query_params.get(name, "").strip()
    if not value:
        raise InvalidInput(f"{name}: say which one to open (?{name}=…)", details={"field": name})
    return value


def _page_number(request: Request) -> int:
    raw = request.query_params.get("page", "1").strip() or "1"
    if not raw.isdigit():
        raise InvalidInput(f"page: {raw!r} is not a page number", details={"field": "page"})
    return int(raw)


def _pages(request: Request) -> Callable[[int], str]:
    def page_href(n: int) -> str:
        url = request.url.include_query_params(page=n)
        return f"{url.path}?{url.query}"

    return page_href


def _show(
    request: Request,
    ctx: WebContext,
    *,
    scope: ReportScope,
    level: str,
    title: str,
    label: str = "",
    template: str = "drill/level.html",
    **context: Any,
) -> Any:
    ctx.nav = "overview" if level != "segment" else "customers"
    query = _query(request)
    if level == "segment":
        crumbs = [(_("Customers"), "/customers"), (title, str(request.url))]
    else:
        crumbs = links.trail(scope, level, query, label=label)
    return render(
        request,
        template,
        ctx.page(
            title=title,
            crumbs=crumbs,
            scope=scope,
            level=level,
            currency=ctx.workspace.currency,
            **context,
        ),
    )


@router.get("/channel")
def channel_page(request: Request, ctx: OverviewPage):
    channel = _required(request, "channel")
    ws = ctx.workspace
    finance = ctx.can("finance.read")
    metrics = tuple(m for m in drill.CAMPAIGN_METRICS if finance or m not in MONEY)
    with open_warehouse(ws.key) as warehouse:
        scope = _scope(request, warehouse, ws.timezone)
        report = drill.campaigns(
            warehouse=warehouse, scope=scope, currency=ws.currency, metrics=metrics
        )
        whole = service.metrics_report(
            warehouse=warehouse, currency=ws.currency, scope=scope, metrics=metrics
        ).total
    return _show(
        request,
        ctx,
        scope=scope,
        level="channel",
        title=_("Channel %(channel)s: campaigns", channel=channel),
        sums=views.sums({m: whole.get(m) for m in metrics}, ws.currency, finance),
        tables=[views.campaigns_table(report, scope, channel, ws.currency, finance)],
    )


@router.get("/campaign")
def campaign_page(request: Request, ctx: OverviewPage):
    channel = _required(request, "channel")
    campaign = _required(request, "campaign")
    ws = ctx.workspace
    finance = ctx.can("finance.read")
    metrics = tuple(m for m in drill.CAMPAIGN_METRICS if finance or m not in MONEY)
    with open_warehouse(ws.key) as warehouse:
        scope = _scope(request, warehouse, ws.timezone)
        whole = service.metrics_report(
            warehouse=warehouse, currency=ws.currency, scope=scope, metrics=metrics
        ).total
        ads = drill.ad_breakdown(
            warehouse=warehouse,
            scope=scope,
            currency=ws.currency,
            channel=channel,
            campaign=campaign,
        )
        found = drill.orders(
            warehouse=warehouse, scope=scope, currency=ws.currency, page=_page_number(request)
        )
    return _show(
        request,
        ctx,
        scope=scope,
        level="campaign",
        title=_("Campaign %(campaign)s", campaign=campaign),
        sums=views.sums({m: whole.get(m) for m in metrics}, ws.currency, finance),
        tables=[
            views.ads_table(ads, ws.currency, finance),
            views.orders_table(
                found, scope, ws.currency, finance, via="campaign", page_href=_pages(request)
            ),
        ],
        orders_note=_(
            "Orders are counted by their customer's last ad touch in the 30 days before "
            "the order, as on the Overview."
        ),
    )


@router.get("/country")
def country_page(request: Request, ctx: OverviewPage):
    country = _required(request, "country")
    ws = ctx.workspace
    finance = ctx.can("finance.read")
    with open_warehouse(ws.key) as warehouse:
        scope = _scope(request, warehouse, ws.timezone)
        found = drill.orders(
            warehouse=warehouse, scope=scope, currency=ws.currency, page=_page_number(request)
        )
    return _show(
        request,
        ctx,
        scope=scope,
        level="country",
        title=_("Orders from %(country)s", country=views.local_country(country)),
        sums=views.sums(found.sums, ws.currency, finance),
        tables=[
            views.orders_table(
                found, scope, ws.currency, finance, via="country", page_href=_pages(request)
            )
        ],
    )


@router.get("/tile")
def tile_page(request: Request, ctx: OverviewPage):
    metric = _required(request, "metric")
    kind = drill.TILE_LISTS.get(metric)
    if kind is None:
        raise InvalidInput(
            f"metric: {metric!r} has no rows to show; use one of {', '.join(drill.TILE_LISTS)}",
            details={"field": "metric"},
        )
    ws = ctx.workspace
    finance = ctx.can("finance.read")
    if metric in MONEY:
        ctx.require("finance.read")
    page = _page_number(request)
    with open_warehouse(ws.key) as warehouse:
        scope = _scope(request, warehouse, ws.timezone)
        whole = service.metrics_report(
            warehouse=warehouse, currency=ws.currency, scope=scope, metrics=(metric,)
        ).total
        if kind == "orders":
            found = drill.orders(warehouse=warehouse, scope=scope, currency=ws.currency, page=page)
            table = views.orders_table(
                found,
                scope,
                ws.currency,
                finance,
                via="tile",
                page_href=_pages(request),
                extra={"metric": metric},
            )
        elif kind == "spend":
            found = drill.spend_rows(
                warehouse=warehouse, scope=scope, currency=ws.currency, page=page
            )
            table = views.spend_table(found, ws.currency, finance, _pages(request))
        else:
            which = metric if metric in ("customers", "returning_customers") else "new_customers"
            found = drill.customers(
                warehouse=warehouse, scope=scope, currency=ws.currency, page=page, which=which
            )
            table = views.customers_table(found, ws.currency, finance, _pages(request))
    label = _(LABELS[metric])
    return _show(
        request,
        ctx,
        scope=scope,
        level="tile",
        label=label,
        title=_("The rows behind %(figure)s", figure=label),
        sums=views.sums({metric: whole.get(metric), **found.sums}, ws.currency, finance),
        tables=[table],
    )


@router.get("/cohort")
def cohort_page(request: Request, ctx: CohortPage):
    month = drill.parse_month(_required(request, "month"))
    raw_k = request.query_params.get("k", "0").strip() or "0"
    if not raw_k.isdigit():
        raise InvalidInput(f"k: {raw_k!r} is not a number of months", details={"field": "k"})
    months_since = int(raw_k)
    ws = ctx.workspace
    with open_warehouse(ws.key) as warehouse:
        scope = _scope(request, warehouse, ws.timezone)
        found = drill.cohort_customers(
            warehouse=warehouse,
            scope=scope,
            currency=ws.currency,
            month=month,
            months_since=months_since,
            page=_page_number(request),
        )
    label = _("Cohort %(month)s, month %(k)s", month=numbers.month(month), k=str(months_since))
    return _show(
        request,
        ctx,
        scope=scope,
        level="cohort",
        label=label,
        title=label,
        intro=_(
            "Customers whose first order was in %(month)s and who ordered %(k)s months later "
            "(month 0: the whole cohort).",
            month=numbers.month(month),
            k=str(months_since),
        ),
        sums=views.sums(found.sums, ws.currency, True),
        tables=[views.cohort_table(found, ws.currency, True, _pages(request))],
    )


@router.get("/order")
def order_page(request: Request, ctx: OverviewPage):
    order_id = _required(request, "order_id")
    ws = ctx.workspace
    finance = ctx.can("finance.read")
    with open_warehouse(ws.key) as warehouse:
        scope = _scope(request, warehouse, ws.timezone)
        detail = drill.order_detail(warehouse=warehouse, order_id=order_id)
    query = _query(request)
    label = ""
    if query.get("via") == "tile" and query.get("metric") in LABELS:
        label = _(LABELS[query["metric"]])
    lines = [
        {
            **line,
            "unit_text": numbers.money(line["unit_price"], detail.currency),
            "amount_text": numbers.money(line["amount"], detail.currency),
            "kind_text": _(LINE_KINDS[line["kind"]])
            if line["kind"] in LINE_KINDS
            else line["kind"],
        }
        for line in detail.lines
    ]
    return _show(
        request,
        ctx,
        scope=scope,
        level="order",
        label=label,
        title=_("Order %(order)s", order=detail.order_id),
        template="drill/order.html",
        order=detail,
        finance=finance,
        lines=lines,
        total_text=numbers.money(detail.total, detail.currency),
        refunded_text=numbers.money(detail.refunded, detail.currency),
        profile_href=links.profile(detail.customer_id) if detail.customer_id else "",
    )


@router.get("/segment")
def segment_page(request: Request, ctx: SegmentPage):
    from tradewinds.audiences import service as audiences

    name = _required(request, "segment")
    per_market = request.query_params.get("per_market") in ("1", "true")
    ws = ctx.workspace
    finance = ctx.can("finance.read")
    with open_warehouse(ws.key) as warehouse:
        scope = _scope(request, warehouse, ws.timezone)
        scores = audiences.workspace_scores(
            warehouse=warehouse, currency=ws.currency, per_market=per_market
        )
    table = scores.table
    members = table[table["segment"] == name].sort_values(
        ["revenue", "customer_id"], ascending=[False, True]
    )
    rows = [
        {
            "customer": str(r.customer_id),
            "orders": int(r.orders),
            "revenue": float(r.revenue),
            "recency": int(r.last_order_days),
        }
        for r in members.itertuples(index=False)
    ]
    found = drill.paged(rows, _page_number(request), drill.sum_of(rows, ("orders",)))
    cols = [
        views.Col(_("Customer"), "customer", "user"),
        views.Col(_("Orders"), "orders", "count"),
        views.Col(
            _("Revenue (%(currency)s)", currency=ws.currency), "revenue", "metric", money=True
        ),
        views.Col(_("Days since last order"), "recency", "count"),
    ]
    return _show(
        request,
        ctx,
        scope=scope,
        level="segment",
        title=_("Segment %(segment)s", segment=_(name)),
        sums=[{"metric": "customers", "label": _("Customers"), "value": numbers.number(len(rows))}],
        tables=[
            views.table(
                testid="drill-members",
                heading=_("Members"),
                cols=cols,
                rows=found.rows,
                currency=ws.currency,
                finance=finance,
                link=lambda r: links.profile(r["customer"]),
                found=found,
                page_href=_pages(request),
                empty=_("No customer is in this segment."),
            )
        ],
    )
