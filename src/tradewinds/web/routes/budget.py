"""Budget pages: the planner (tiles, curves with bands, the allocation, what-ifs and the
week-by-week plan ahead) and the fit behind it.

Every form is a GET, so the URL keeps the plan asked for. The pages read the same reports
as ``tradewinds budget`` and ``/api/v1/budget`` (budget/service.py); the workspace's model
is fitted once per state of its figures and saved, so a page answers in well under a second
after the first.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from tradewinds.budget.access import BUDGET
from tradewinds.budget.schemas import BudgetModel, CurvesPublic, ForwardPlanPublic, PlanPublic
from tradewinds.errors import InvalidInput
from tradewinds.web.deps import WebContext, reading
from tradewinds.web.frame import render
from tradewinds.web.i18n import gettext as _

router = APIRouter(prefix="/budget", include_in_schema=False)
BudgetPage = reading(BUDGET)

#: the total-budget slider runs from 0 to this many times today's total
SLIDER_TOP = 3.0


def _number(value: str | None, *, low: float, high: float) -> float | None:
    try:
        number = float(value) if value not in (None, "") else None
    except ValueError:
        return None
    if number is None or not low <= number <= high:
        return None
    return number


def _model(ctx: WebContext) -> BudgetModel:
    from tradewinds.budget import service
    from tradewinds.warehouse import open_warehouse

    ws = ctx.workspace
    with open_warehouse(ws.key) as warehouse:
        return service.workspace_model(
            warehouse, workspace_key=ws.key, currency=ws.currency, timezone=ws.timezone
        )


def _page(request: Request, ctx: WebContext, template: str, status_code: int = 200, **kw: Any):
    ctx.nav = "budget"
    return render(request, template, ctx.page(**kw), status_code=status_code)


def curves_chart(curves: CurvesPublic, plan: PlanPublic, *, title: str) -> dict[str, Any]:
    """Each channel's revenue per day against spend per day, its 90% band shaded, and
    markers at today's spend and at the plan's."""
    from tradewinds.web import charts

    data: list[dict[str, Any]] = []
    for i, c in enumerate(curves.curves):
        color = charts.PALETTE[i % len(charts.PALETTE)]
        xs = [p.spend for p in c.points]
        if c.points and c.points[0].low is not None:
            data.append(
                {
                    "type": "scatter",
                    "x": xs + xs[::-1],
                    "y": [p.high for p in c.points] + [p.low for p in c.points][::-1],
                    "fill": "toself",
                    "fillcolor": _tint(color),
                    "line": {"width": 0},
                    "hoverinfo": "skip",
                    "showlegend": False,
                    "legendgroup": c.channel,
                }
            )
        data.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": c.channel,
                "x": xs,
                "y": [p.revenue for p in c.points],
                "line": {"color": color, "width": 2},
                "legendgroup": c.channel,
            }
        )
        row = next((r for r in plan.rows if r.channel == c.channel), None)
        if row is not None:
            data.append(
                {
                    "type": "scatter",
                    "mode": "markers",
                    "name": _("Plan"),
                    "x": [row.current, row.planned],
                    "y": [row.revenue_current, row.revenue_planned],
                    "marker": {
                        "color": color,
                        "size": [8, 11],
                        "symbol": ["circle-open", "circle"],
                    },
                    "customdata": [_("Current allocation"), _("Plan")],
                    "hovertemplate": "%{customdata}: %{x:,.0f} → %{y:,.0f}<extra></extra>",
                    "showlegend": False,
                    "legendgroup": c.channel,
                }
            )
    return {
        "data": data,
        "layout": charts.layout(
            title=title,
            height=360,
            hovermode="closest",
            xaxis={"title": {"text": charts.money_title(_("Spend per day"), curves.currency)}},
            yaxis={"title": {"text": charts.money_title(_("Revenue per day"), curves.currency)}},
        ),
    }


def _tint(hex_color: str) -> str:
    r, g, b = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},0.15)"


def forward_chart(plan: ForwardPlanPublic, *, title: str) -> dict[str, Any]:
    """Expected revenue of each week ahead (baseline and ads) with its band; the weeks of
    holidays and festivals are named on the chart."""
    from tradewinds.web import charts

    weeks = [str(w.start) for w in plan.weeks]
    data = [
        {
            "type": "bar",
            "name": _("Without ads"),
            "x": weeks,
            "y": [w.baseline for w in plan.weeks],
            "marker": {"color": "#c9dcf0"},
        },
        {
            "type": "bar",
            "name": _("From ads"),
            "x": weeks,
            "y": [w.media for w in plan.weeks],
            "marker": {"color": charts.ACCENT},
            "error_y": {
                "type": "data",
                "symmetric": False,
                "array": [(w.expected_high or w.expected) - w.expected for w in plan.weeks],
                "arrayminus": [w.expected - (w.expected_low or w.expected) for w in plan.weeks],
                "color": charts.TEXT,
            },
        },
    ]
    notes = [
        {
            "x": str(w.start),
            "y": max(w.expected_high or w.expected, w.expected),
            "text": ", ".join(e.name for e in w.events if e.kind == "festival")[:40],
            "showarrow": False,
            "yanchor": "bottom",
            "font": {"size": 10},
        }
        for w in plan.weeks
        if any(e.kind == "festival" for e in w.events)
    ]
    return {
        "data": data,
        "layout": charts.layout(
            title=title,
            height=340,
            barmode="stack",
            annotations=notes,
            xaxis={"type": "date"},
            yaxis={"title": {"text": plan.currency}},
        ),
    }


def _limits(request: Request, model: BudgetModel) -> tuple[dict[str, float], dict[str, float]]:
    """Per-channel minimum and maximum per day from ``lo.N`` / ``hi.N`` (N: the channel's
    place in the model)."""
    q = request.query_params
    top = 1e9
    minimum: dict[str, float] = {}
    maximum: dict[str, float] = {}
    for i, c in enumerate(model.channels):
        lo = _number(q.get(f"lo.{i}"), low=0, high=top)
        hi = _number(q.get(f"hi.{i}"), low=0, high=top)
        if lo:
            minimum[c.channel] = lo
        if hi is not None and q.get(f"hi.{i}") not in (None, ""):
            maximum[c.channel] = hi
    return minimum, maximum


@router.get("")
def budget_page(request: Request, ctx: BudgetPage):
    from tradewinds.budget import service
    from tradewinds.web import charts

    q = request.query_params
    try:
        model = _model(ctx)
    except InvalidInput as exc:
        return _page(request, ctx, "budget/index.html", model=None, empty=exc.message)
    current_total = sum(c.current_per_day for c in model.channels)
    top = max(SLIDER_TOP * current_total, 1.0)
    total = _number(q.get("total"), low=1.0, high=1e9) or current_total
    objective = "profit" if q.get("objective") == "profit" else "revenue"
    margin = _number(q.get("margin"), low=0.01, high=10.0) or 1.0
    change = _number(q.get("max_change"), low=0.0, high=1000.0)
    weeks = int(_number(q.get("weeks"), low=1, high=52) or 12)
    uplift = (_number(q.get("uplift"), low=0, high=500) or 0.0) / 100
    minimum, maximum = _limits(request, model)
    errors: dict[str, str] = {}
    settings = {
        "objective": objective,
        "margin": margin,
        "minimum": minimum,
        "maximum": maximum,
        "max_change": None if change is None else change / 100,
    }
    try:
        plan = service.plan(model, total_per_day=total, **settings)
    except InvalidInput as exc:
        errors["limits"] = exc.message
        plan = service.plan(model, total_per_day=total, objective=objective, margin=margin)
    safe = settings if not errors else {"objective": objective, "margin": margin}
    whatif = service.scenarios(model, totals=[total * f for f in (0.8, 1.0, 1.2, 1.5)], **safe)
    from tradewinds.web import i18n

    forward = service.forward(
        model,
        weeks=weeks,
        total_per_day=total,
        uplift=uplift,
        language=i18n.current().code,
        **safe,
    )
    currency = model.currency
    figures = {
        "curves": curves_chart(
            service.curves(model),
            plan,
            title=charts.money_title(_("Response curves with 90% bands"), currency),
        ),
        "forward": forward_chart(
            forward, title=charts.money_title(_("Expected revenue by week"), currency)
        ),
    }
    return _page(
        request,
        ctx,
        "budget/index.html",
        model=model,
        plan=plan,
        whatif=whatif,
        forward=forward,
        figures=figures,
        total=total,
        top=top,
        current_total=current_total,
        objective=objective,
        margin=margin,
        change=change,
        weeks=weeks,
        uplift=round(uplift * 100),
        minimum=minimum,
        maximum=maximum,
        errors=errors,
        query=str(request.url.query),
        currency=currency,
    )


@router.get("/allocation.csv")
def allocation_csv(request: Request, ctx: BudgetPage):
    """The planner's allocation table as CSV (the same query as the page)."""
    from tradewinds.budget import service

    try:
        model = _model(ctx)
    except InvalidInput as exc:
        return _page(
            request, ctx, "budget/index.html", status_code=404, model=None, empty=exc.message
        )
    q = request.query_params
    total = _number(q.get("total"), low=1.0, high=1e9)
    minimum, maximum = _limits(request, model)
    try:
        plan = service.plan(model, total_per_day=total, minimum=minimum, maximum=maximum)
    except InvalidInput:
        plan = service.plan(model, total_per_day=total)
    out = io.StringIO()
    writer = csv.writer(out)
    cur = plan.currency
    writer.writerow(
        [
            "channel",
            f"current_spend_per_day_{cur}",
            f"planned_spend_per_day_{cur}",
            "change",
            f"revenue_per_day_current_{cur}",
            f"revenue_per_day_planned_{cur}",
            "marginal_roi",
        ]
    )
    for r in plan.rows:
        writer.writerow(
            [
                r.channel,
                f"{r.current:.2f}",
                f"{r.planned:.2f}",
                "" if r.change is None else f"{r.change:.4f}",
                f"{r.revenue_current:.2f}",
                f"{r.revenue_planned:.2f}",
                f"{r.marginal_roi:.4f}",
            ]
        )
    return Response(
        ctx.strip_csv(out.getvalue()),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="budget-allocation.csv"'},
    )


@router.get("/fit")
def fit_page(request: Request, ctx: BudgetPage):
    """How well the model fits: actual and fitted revenue by day, each channel's curve."""
    from tradewinds.web import charts

    try:
        model = _model(ctx)
    except InvalidInput as exc:
        return _page(request, ctx, "budget/fit.html", model=None, empty=exc.message)
    days = [str(d.day) for d in model.days]
    figure = {
        "data": [
            {
                "type": "scatter",
                "mode": "lines",
                "name": _("Actual"),
                "x": days,
                "y": [d.actual for d in model.days],
                "line": {"color": "#5b6470", "width": 1},
            },
            {
                "type": "scatter",
                "mode": "lines",
                "name": _("Fitted"),
                "x": days,
                "y": [d.fitted for d in model.days],
                "line": {"color": charts.ACCENT, "width": 2},
            },
        ],
        "layout": charts.layout(
            title=charts.money_title(_("Revenue by day: actual and fitted"), model.currency),
            height=320,
            xaxis={"type": "date"},
            shapes=[
                {
                    "type": "rect",
                    "xref": "x",
                    "yref": "paper",
                    "x0": days[-model.fit.holdout_days] if model.fit.holdout_days else days[-1],
                    "x1": days[-1],
                    "y0": 0,
                    "y1": 1,
                    "fillcolor": "rgba(224,138,0,0.08)",
                    "line": {"width": 0},
                }
            ],
        ),
    }
    return _page(
        request, ctx, "budget/fit.html", model=model, figure=figure, currency=model.currency
    )
