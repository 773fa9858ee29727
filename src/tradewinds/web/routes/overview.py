"""The Overview page ("/"): KPI tiles, charts, sortable tables and their downloads."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextvars import copy_context
from datetime import timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request

from tradewinds.analytics import service
from tradewinds.analytics.access import OVERVIEW
from tradewinds.analytics.calculations import LABELS, MONEY, PERCENT, RATIO_X
from tradewinds.analytics.filters import ReportScope, scope_from_query
from tradewinds.analytics.schemas import CohortReportPublic, FunnelReportPublic
from tradewinds.errors import NotFound
from tradewinds.warehouse import open_warehouse
from tradewinds.warehouse.writes import one_look
from tradewinds.web import charts, numbers, overview_coverage, periods, texts
from tradewinds.web.deps import reading
from tradewinds.web.exports import table_response
from tradewinds.web.frame import render
from tradewinds.web.i18n import gettext as _

if TYPE_CHECKING:
    from tradewinds.warehouse.backend import Warehouse

router = APIRouter(include_in_schema=False)
OverviewPage = reading(OVERVIEW)

TILE_METRICS = (
    "revenue",
    "net_revenue",
    "product_revenue",
    "spend",
    "roas",
    "platform_roas",
    "cac",
    "orders",
    "aov",
    "new_customers",
    "returning_customers",
    "conversion_rate",
    "ctr",
    "cpc",
    "cpm",
)
CHANNEL_METRICS = (
    "spend",
    "impressions",
    "clicks",
    "ctr",
    "cpc",
    "revenue",
    "platform_conversion_value",
    "roas",
    "platform_roas",
    "orders",
    "new_customers",
    "cac",
)
COUNTRY_METRICS = ("revenue", "net_revenue", "orders", "aov", "spend", "roas")
# a lower figure is the better one
LOWER_IS_BETTER = frozenset({"spend", "cac", "cpc", "cpm"})
TABLES = ("channels", "countries", "cohorts", "funnel")


def fmt(metric: str, value: Any, currency: str) -> str:
    """A tile's figure in the viewer's locale."""
    if value is None:
        return "—"
    if metric in RATIO_X:
        return f"{numbers.number(value, 2)}×"
    if metric in MONEY:
        # pence add nothing to a large total; keep tiles narrow
        return numbers.money(value, currency, whole=abs(value) >= 10_000)
    if metric in PERCENT:
        return numbers.percent(value)
    return numbers.number(value)


def short_fmt(metric: str, value: Any, currency: str) -> str:
    """A tile's figure in short form for a narrow screen (``£1.7m``, ``170.4万``); empty
    when the figure is short already."""
    if value is None or metric in RATIO_X or metric in PERCENT or abs(value) < 100_000:
        return ""
    if metric in MONEY:
        return numbers.compact_money(value, currency)
    return numbers.compact(value)


def _change(metric: str, value: float | None) -> dict[str, str] | None:
    return periods.change(value, lower_is_better=metric in LOWER_IS_BETTER)


def _visible(metrics: tuple[str, ...], ctx: Any) -> tuple[str, ...]:
    return metrics if ctx.can("finance.read") else tuple(m for m in metrics if m not in MONEY)


def _options(warehouse: Warehouse) -> dict[str, list[str]]:
    from tradewinds.analytics.filters import country_name

    channels = [
        r[0]
        for r in warehouse.query(
            "SELECT platform FROM ad_spend_daily UNION SELECT platform FROM ad_spend_period "
            "ORDER BY 1"
        ).rows
        if r[0]
    ]
    countries = sorted(
        {
            country_name(r[0])
            for r in warehouse.query(
                "SELECT country, COUNT(*) AS n FROM orders GROUP BY country "
                "ORDER BY n DESC LIMIT 60"
            ).rows
            if r[0]
        }
    )
    return {"channel": channels, "country": countries}


def _scope(
    request: Request, warehouse: Warehouse, timezone: str, *, default_compare: str = "previous"
) -> tuple[ReportScope, periods.Period]:
    """The page's period (``web/periods.py``; compared with the previous one unless the URL
    says otherwise) and its report scope with the URL's filters."""
    period = periods.from_request(request, warehouse, timezone, default_compare=default_compare)
    query: dict[str, Any] = {k: request.query_params.getlist(k) for k in request.query_params}
    query.update({"from": period.start.isoformat(), "to": period.end.isoformat()})
    scope = scope_from_query(query, default_end=period.end, group_by="", timezone=timezone)
    return scope, period


def _with(scope: ReportScope, group_by: str) -> ReportScope:
    from dataclasses import replace

    return replace(scope, group_by=tuple(g for g in group_by.split(",") if g))


def _grain(scope: ReportScope) -> str:
    return "day" if scope.days <= 62 else "week" if scope.days <= 366 else "month"


def _kept(
    warehouse: Warehouse, tables: tuple[str, ...], key: Any, compute: Callable[[], Any]
) -> Any:
    """What the page reads before its reports (the data's range, the filter options), kept
    in memory while ``tables`` are unchanged (``analytics/versioned.py``); the reports
    themselves are computed on every view."""
    from tradewinds.analytics.versioned import cached

    return cached(warehouse, tables, key, compute)


# reports the page runs side by side (DuckDB answers them on per-thread cursors). Since the
# order and visit rollups made each query small (one that no longer keeps both cores busy),
# two side by side give the page p50 355 ms server time against 495 ms one after another
# (2 cores, bench/dashboard_overview.py --workers 1|2).
PAGE_WORKERS = 2


def build(
    *,
    warehouse: Warehouse,
    scope: ReportScope,
    currency: str,
    finance: bool,
    workers: int | None = None,
    compare: str = "previous",
) -> dict[str, Any]:
    """Everything the page shows, computed by the same services as the API.

    The reports are independent: on a warehouse that takes reads from several threads
    (``concurrent_reads``) they run side by side on ``workers`` threads, otherwise one after
    another. The figures are the same either way.
    """
    vis = (lambda ms: ms) if finance else (lambda ms: tuple(m for m in ms if m not in MONEY))
    grain = _grain(scope)
    trend_metrics = ("revenue", "spend", "orders") if finance else ("orders",)
    cohort_scope = ReportScope(
        start=(scope.end.replace(day=1) - timedelta(days=330)).replace(day=1),
        end=scope.end,
        filters=scope.filters,
        timezone=scope.timezone,
    )
    jobs: dict[str, Callable[[], Any]] = {
        # slowest first, so the pool starts on them at once; the tiles and the tables by
        # channel, day and country come from one query per side
        "figures": partial(
            service.metrics_reports,
            warehouse=warehouse,
            currency=currency,
            scope=scope,
            wanted={
                "channels": (("channel",), vis(CHANNEL_METRICS)),
                "totals": ((), vis(TILE_METRICS)),
                "trend": ((grain,), trend_metrics),
                "countries": (("country",), vis(COUNTRY_METRICS)),
            },
        ),
        "cohorts": (
            partial(
                service.cohort_report, warehouse=warehouse, scope=cohort_scope, currency=currency
            )
            if finance
            else (lambda: {"cohorts": []})
        ),
        "funnel": partial(
            service.funnel_report, warehouse=warehouse, scope=_with(scope, "channel")
        ),
    }
    if finance and not scope.filters:  # tax by destination: the whole shop's orders only
        jobs["tax"] = partial(_tax_total, warehouse, scope, currency)
    kind = service.comparison(compare)
    if kind:  # the tiles' comparison period, beside the rest
        before = scope.year_before() if kind == "year" else scope.previous()
        jobs["previous"] = partial(
            service.metrics_report,
            warehouse=warehouse,
            currency=currency,
            scope=before,
            metrics=vis(TILE_METRICS),
        )
    workers = PAGE_WORKERS if workers is None else workers
    with one_look():  # every report sees the rollups' and tables' state of the start
        if workers > 1 and getattr(warehouse, "concurrent_reads", False) is True:
            out = _run_side_by_side(warehouse, jobs, workers)
        else:
            out = {name: job() for name, job in jobs.items()}
    figures = out.pop("figures")
    previous = out.pop("previous", None)
    if previous is not None:
        figures["totals"] = service.with_previous(figures["totals"], previous, kind)
    return {"grain": grain, **out, **figures}


def _tax_total(warehouse: Warehouse, scope: ReportScope, currency: str) -> float | None:
    """Tax in the period's orders, in ``currency`` (recorded, else estimated at the
    destination's VAT rate: ``analytics/tax_due.py``); None when no order has any."""
    from tradewinds.analytics.tax_due import market_taxes
    from tradewinds.markets.fx import load_fx_table

    fx = load_fx_table(warehouse, start=scope.start, end=scope.end)
    taxes, _unconverted = market_taxes(warehouse, scope, currency=currency, fx=fx)
    if not taxes:
        return None
    return float(sum((m.tax for m in taxes.values()), start=0))


def _after_tax_tile(total: dict[str, Any], tax: float | None, currency: str) -> dict[str, Any]:
    net = total.get("net_revenue")
    value = None if net is None or tax is None else net - tax
    return {
        "metric": "net_after_tax",
        "label": _("Net revenue after tax (%(currency)s)", currency=currency),
        "note": _("tax as the exports record it, else at each destination's VAT rate"),
        "value": fmt("net_revenue", value, currency),
        "short": short_fmt("net_revenue", value, currency),
        "change": None,
        "no_data": "",
        "href": "/markets/tax",
    }


def typed(data: dict[str, Any]) -> dict[str, Any]:
    """``build``'s reports as the API answers them: the cohorts as ``CohortPublic`` rows (none
    without finance.read) and the funnel as a ``FunnelReportPublic``."""
    cohorts = data["cohorts"]
    return {
        **data,
        "cohorts": CohortReportPublic.of(cohorts).cohorts if "currency" in cohorts else [],
        "funnel": FunnelReportPublic.of(data["funnel"]),
    }


def _run_side_by_side(
    warehouse: Warehouse, jobs: dict[str, Callable[[], Any]], workers: int
) -> dict[str, Any]:
    def run(job: Callable[[], Any]) -> Any:
        try:
            return job()
        finally:
            warehouse.release_thread()

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="overview") as pool:
        # each report runs in a copy of this context: the same one look at the tables
        futures = {name: pool.submit(copy_context().run, run, job) for name, job in jobs.items()}
        return {name: future.result() for name, future in futures.items()}


def _table(name: str, data: dict[str, Any], currency: str) -> tuple[list[str], list[list]]:
    """Column headings and raw rows of one table (what the page and downloads show)."""
    if name in ("channels", "countries"):
        report = data[name]
        key = "channel" if name == "channels" else "country"
        cols = [key.title()] + [
            f"{LABELS[m]} ({currency})" if m in MONEY and m not in RATIO_X else LABELS[m]
            for m in report.metrics
        ]
        return cols, [[r[key], *[r.get(m) for m in report.metrics]] for r in report.rows]
    if name == "cohorts":
        cohorts = data["cohorts"]
        span = max((len(c.retention) for c in cohorts), default=0)
        cols = [
            "Cohort",
            "Customers",
            f"CAC ({currency})",
            "Payback month",
            *[f"Month {k} retained" for k in range(span)],
            *[f"Month {k} LTV ({currency})" for k in range(span)],
        ]
        rows = [
            [
                c.month,
                c.customers,
                c.cac,
                c.payback_month,
                *(c.retention + [None] * (span - len(c.retention))),
                *((c.ltv or []) + [None] * (span - len(c.ltv or []))),
            ]
            for c in cohorts
        ]
        return cols, rows
    funnel = data["funnel"]
    steps = funnel.steps
    cols = ["Channel", *steps, *[f"Drop-off to {s}" for s in steps[1:]], "Conversion"]
    rows = [
        [getattr(r, "channel", None), *[s.visitors for s in r.steps], *r.drop_off, r.conversion]
        for r in funnel.rows
    ]
    return cols, rows


def _figures(data: dict[str, Any], currency: str, finance: bool) -> dict[str, Any]:
    figs: dict[str, Any] = {}
    trend = data["trend"]
    x = [r[data["grain"]] for r in trend.rows]
    spend_name = (
        _("Ad spend (estimated from a period report)") if trend.estimates else _("Ad spend")
    )
    grain = _(charts.GRAINS[data["grain"]])
    if finance:
        figs["trend"] = charts.line(
            x=x,
            series={
                _("Revenue"): [r.get("revenue") for r in trend.rows],
                spend_name: [r.get("spend") for r in trend.rows],
            },
            title=charts.money_title(
                _("Revenue and ad spend per %(grain)s", grain=grain), currency
            ),
            y_title=_("revenue (%(currency)s)", currency=currency),
            secondary=spend_name,
            grain=data["grain"],
            period=(trend.start, trend.end),
        )
    else:
        figs["trend"] = charts.line(
            x=x,
            series={_("Orders"): [r.get("orders") for r in trend.rows]},
            title=_("Orders per %(grain)s", grain=grain),
            grain=data["grain"],
            period=(trend.start, trend.end),
        )
    ch = [r for r in data["channels"].rows if r["channel"] not in ("(no ad touch)",)]
    if finance:
        figs["channels"] = charts.bars(
            categories=[texts.translate(r["channel"]) for r in ch],
            series={
                _("Ad spend"): [r.get("spend") for r in ch],
                _("Revenue (store, last ad touch)"): [r.get("revenue") for r in ch],
                _("Conversion value (platform-reported)"): [
                    r.get("platform_conversion_value") for r in ch
                ],
            },
            title=charts.money_title(_("Spend and return by channel"), currency),
            y_title=currency,
        )
    metric = "revenue" if finance else "orders"
    rows = data["countries"].rows
    figs["countries"] = charts.ranked_bars(
        labels=[texts.country(r["country"]) for r in rows],
        keys=[r["country"] for r in rows],
        values=[r.get(metric) for r in rows],
        name=_(LABELS[metric]),
        other=_("Other countries"),
        title=(
            charts.money_title(_("Revenue by customer country"), currency)
            if finance
            else _("Orders by customer country")
        ),
        value_title=currency if finance else _("orders"),
        currency=currency if finance else None,
    )
    cohorts = data["cohorts"]
    if cohorts:
        span = max(len(c.retention) for c in cohorts)
        figs["cohorts"] = charts.heatmap(
            x=list(range(span)),
            y=[numbers.month_of(c.month) for c in cohorts],
            z=[c.retention + [None] * (span - len(c.retention)) for c in cohorts],
            title=_("Customers ordering again, by first-order month (share of cohort)"),
            zmax=max((v for c in cohorts for v in c.retention[1:]), default=1.0),
            x_title=_("months since first order"),
            y_title=_("first order"),
        )
    total = data["funnel"].total
    if total:
        figs["funnel"] = charts.funnel(
            steps=[_(step) for step in data["funnel"].steps],
            values=[s.visitors for s in total.steps],
            title=_("Storefront funnel: visitors reaching each step"),
        )
    out = {}
    for name, fig in figs.items():
        fig, views = charts.views_of(fig)
        title, fig = charts.html_title(fig)
        out[name] = {"title": title, "figure": fig, "views": views}
    return out


def _cell(col: str, value: Any, currency: str) -> str:
    if value is None:
        return "—"
    if col == "Cohort":
        return numbers.month_of(value)
    if isinstance(value, str):
        return value
    if col.startswith(("ROAS",)):
        return fmt("roas", value, currency)
    if f"({currency})" in col:
        return numbers.number(value, 2)
    if col in ("CTR", "Conversion rate", "Conversion") or "retained" in col or "Drop-off" in col:
        return numbers.percent(value)
    return numbers.number(value, pattern="#,##0.##")


def _coverage(
    warehouse: Warehouse, scope: ReportScope, compare: str, totals: Any = None
) -> overview_coverage.CoverageView:
    """What the page says when the period has no orders or no ad spend (see
    ``web/overview_coverage.py``): the empty state, or a note beside the tiles."""
    return overview_coverage.build(warehouse=warehouse, scope=scope, compare=compare, totals=totals)


def _name(table: str, value: Any) -> str:
    """A table's first cell as the page shows it: a country in the page's language, the
    channel and cohort as they are ("(no ad touch)" translated)."""
    if table == "countries":
        return texts.country(value)
    if table == "cohorts" and value is not None:
        return numbers.month_of(value)  # "Dec 2011", "2011年12月"
    if isinstance(value, str):
        return texts.translate(value)
    return _cell("", value, "")


def _tile_label(metric: str, currency: str) -> str:
    return LABELS[metric] + (f" ({currency})" if metric in MONEY and metric not in RATIO_X else "")


def _tile_note(metric: str, report: Any) -> str:
    """What a tile's figure leaves out, under it: the conversion rate says what it divides
    (``analytics.metrics``)."""
    cover = next((c for c in report.coverage if c.metric == "orders"), None)
    return cover.note if metric == "conversion_rate" and cover is not None else ""


@router.get("/")
def overview(request: Request, ctx: OverviewPage):
    ctx.nav = "overview"
    ws = ctx.workspace
    finance = ctx.can("finance.read")
    with open_warehouse(ws.key) as warehouse, one_look():
        scope, period = _scope(request, warehouse, ws.timezone)
        options = _kept(
            warehouse,
            ("orders", "ad_spend_daily", "ad_spend_period"),
            "options",
            lambda: _options(warehouse),
        )
        compare = period.compare
        data = typed(
            build(
                warehouse=warehouse,
                scope=scope,
                currency=ws.currency,
                finance=finance,
                compare=compare,
            )
        )
        coverage = _coverage(warehouse, scope, compare or "none", data["totals"].rows[0])
    total = data["totals"].rows[0]
    no_data = periods.no_data_text(period) if period.compare_empty else ""
    tiles = [
        {
            "metric": m,
            "label": _tile_label(m, ws.currency),
            "note": _tile_note(m, data["totals"]),
            "value": fmt(m, total.get(m), ws.currency),
            "short": short_fmt(m, total.get(m), ws.currency),
            "change": None if no_data else _change(m, total.get(f"{m}_change")),
            "no_data": no_data,
        }
        for m in data["totals"].metrics
    ]
    if "tax" in data and "net_revenue" in data["totals"].metrics:
        at = next(i for i, t in enumerate(tiles) if t["metric"] == "net_revenue") + 1
        tiles.insert(at, _after_tax_tile(total, data["tax"], ws.currency))
    tables = {}
    for name in TABLES:
        if name == "cohorts" and not finance:
            continue
        cols, rows = _table(name, data, ws.currency)
        tables[name] = {
            "columns": cols,
            "rows": [
                [
                    {
                        "text": _name(name, v) if k == 0 else _cell(c, v, ws.currency),
                        "raw": v,
                        "num": not isinstance(v, str),
                    }
                    for k, (c, v) in enumerate(zip(cols, row, strict=True))
                ]
                for row in rows
            ],
        }
    query = request.url.query
    return render(
        request,
        "overview/index.html",
        ctx.page(
            empty=coverage.fresh,
            coverage=coverage,
            scope=scope,
            tiles=tiles,
            tables=tables,
            figures=(
                _figures(data, ws.currency, finance)
                if coverage.state != "empty" and not coverage.fresh
                else {}
            ),
            chart_config=charts.CONFIG,
            options=options,
            currency=ws.currency,
            finance=finance,
            query=query,
            compare=compare,
            period=period,
            data_first=period.days.first,
            data_last=period.days.last,
            totals=data["totals"],
            selected={k: list(scope.filter_values(k)) for k in ("channel", "country")},
        ),
    )


@router.get("/overview/{table}.{fmt}")
def export(request: Request, ctx: OverviewPage, table: str, fmt: str):
    if table not in TABLES or fmt not in ("csv", "xlsx"):
        raise NotFound(f"no table {table!r} to download as {fmt!r}")
    ws = ctx.workspace
    finance = ctx.can("finance.read")
    if table == "cohorts":
        ctx.require("finance.read")
    with open_warehouse(ws.key) as warehouse:
        scope, _period = _scope(request, warehouse, ws.timezone, default_compare="")
        data = typed(
            build(
                warehouse=warehouse, scope=scope, currency=ws.currency, finance=finance, compare=""
            )
        )
    cols, rows = _table(table, data, ws.currency)
    stamp = f"{scope.start.isoformat()}_{scope.end.isoformat()}"
    return table_response(f"{table}_{stamp}", cols, rows, fmt=fmt)
