"""Customers: segments (sizes, RFM grid, clusters, rule tester), a customer profile, exports."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from tradewinds.api.deps import SessionDep
from tradewinds.audiences import access, saved_segments, service
from tradewinds.audiences.rfm import load_segment_map, rf_grid, segment_sizes
from tradewinds.audiences.rules import FIELDS
from tradewinds.audiences.schemas import (
    CustomerProfilePublic,
    ExportPreviewPublic,
    RfmGridPublic,
    RfmSegmentPublic,
    SegmentPublic,
)
from tradewinds.errors import InvalidInput, NotFound, TradewindsError
from tradewinds.web import numbers, periods
from tradewinds.web.deps import AudienceExporter, DataReader, FormDep, WebContext, reading
from tradewinds.web.frame import render
from tradewinds.web.i18n import gettext as _
from tradewinds.web.texts import translate

if TYPE_CHECKING:
    from tradewinds.warehouse.backend import Warehouse

router = APIRouter(prefix="/customers", include_in_schema=False)
CustomersPage = reading(access.CUSTOMERS_PAGE)
ProfilePage = reading(access.CUSTOMER)
ExportPage = reading(access.EXPORTS)
Exporter = AudienceExporter
Reader = DataReader

EXAMPLE_RULE = "country in [Germany, France] and orders >= 2 and last_order_days < 90"
#: the period's headline figures (``analytics/metrics.py``), money ones with finance.read
PERIOD_METRICS = ("customers", "new_customers", "returning_customers", "orders", "revenue", "aov")


def _period_figures(
    request: Request, ctx: WebContext, warehouse: Warehouse
) -> tuple[periods.Period, list[dict[str, Any]], Any]:
    """The page's period (``web/periods.py``), its customer figures — each with its change
    against the comparison period when one is asked for — and their report."""
    from tradewinds.analytics import service as metrics
    from tradewinds.analytics.calculations import LABELS, MONEY
    from tradewinds.analytics.filters import ReportScope

    ws = ctx.workspace
    period = periods.from_request(request, warehouse, ws.timezone)
    names = tuple(m for m in PERIOD_METRICS if ctx.can("finance.read") or m not in MONEY)
    report = metrics.metrics_report(
        warehouse=warehouse,
        currency=ws.currency,
        scope=ReportScope(start=period.start, end=period.end, timezone=ws.timezone),
        metrics=names,
        compare=period.compare,
    )
    row = report.total
    tiles = []
    for m in names:
        value, before = row.get(m), row.get(f"{m}_previous")
        shown = (lambda v: numbers.money(v, ws.currency)) if m in MONEY else numbers.number
        # "Customers" on this page is the RFM tiles' count of every scored customer; the
        # period's figure is the customers who ordered in it, and says so
        name = _("Customers who ordered") if m == "customers" else _(LABELS[m])
        label = name + (f" ({ws.currency})" if m in MONEY else "")
        tiles.append(
            {
                "metric": m,
                "label": label,
                "value": "—" if value is None else shown(value),
                "before": "—" if before is None else shown(before),
                "change": None if period.compare_empty else periods.change(row.get(f"{m}_change")),
            }
        )
    return period, tiles, report


def _page(request: Request, ctx: WebContext, template: str, status_code: int = 200, **context):
    ctx.nav = "customers"
    return render(request, template, ctx.page(**context), status_code=status_code)


def _warehouse(ctx: WebContext) -> Any:
    from tradewinds.warehouse import open_warehouse

    return open_warehouse(ctx.workspace.key)


def _saved(session: Any, ctx: WebContext, warehouse: Warehouse) -> list[dict[str, Any]]:
    saved_segments.refresh_counts(session=session, workspace=ctx.workspace, warehouse=warehouse)
    out = []
    for seg in saved_segments.list_segments(session=session, workspace=ctx.workspace):
        item = SegmentPublic.of(seg.as_dict()).public()
        item["members_text"] = "–" if seg.members is None else numbers.number(seg.members)
        change = None if seg.previous is None or seg.members is None else seg.members - seg.previous
        item["change_text"] = "" if not change else f"{change:+,}"
        item["change_class"] = "" if not change else ("better" if change > 0 else "worse")
        out.append(item)
    return out


@router.get("")
def segments_page(
    request: Request,
    session: SessionDep,
    ctx: CustomersPage,
    rule: str = "",
    per_market: bool = False,
    save_error: str = "",
):
    ctx.grant.refuse_money(access.rule_fields(rule), "the rule", access.MONEY_RULE_FIELDS)
    currency = ctx.workspace.currency
    period = None
    try:
        with _warehouse(ctx) as wh:
            period, period_tiles, period_report = _period_figures(request, ctx, wh)
            scores = service.workspace_scores(
                warehouse=wh, currency=ctx.workspace.currency, per_market=per_market
            )
            clusters = service.clusters_report(warehouse=wh, currency=ctx.workspace.currency)
            saved = _saved(session, ctx, wh)
            customers_total, refunded_only = service.customer_counts(
                warehouse=wh, currency=ctx.workspace.currency
            )
    except NotFound:
        return _page(
            request,
            ctx,
            "customers/segments.html",
            empty=True,
            period=period,
            rule=rule,
            example_rule=EXAMPLE_RULE,
            fields=FIELDS,
            rule_result=None,
            rule_error=None,
        )
    table = scores.table
    smap = load_segment_map()
    # the segments and the R x F grid as GET /audiences/rfm answers them
    sizes = [RfmSegmentPublic.of(r) for r in segment_sizes(table).to_dict(orient="records")]
    described = {s.name: s for s in smap.segments}
    segments = [
        {
            "name": row.segment,
            "customers": row.customers,
            "customers_text": numbers.number(row.customers),
            "share_text": numbers.percent(row.share, None),
            "revenue_text": numbers.money(row.revenue, currency),
            "description": described[row.segment].description,
            "action": described[row.segment].action,
        }
        for row in sizes
    ]
    frame = rf_grid(table)
    grid = RfmGridPublic(
        r_scores=[int(r) for r in frame.index],
        f_scores=[int(f) for f in frame.columns],
        counts=frame.to_numpy().tolist(),
    )
    grid_max = max((c for row in grid.counts for c in row), default=0) or 1
    grid_rows = [
        {
            "r": r,
            "cells": [{"count": c, "shade": round(c / grid_max, 3)} for c in counts],
        }
        for r, counts in zip(grid.r_scores, grid.counts, strict=True)
    ]
    n = len(table)
    cover = service.segment_coverage(
        warehouse=None,
        scores=scores,
        currency=currency,
        total=customers_total,
        refunded_only=refunded_only,
    )
    share = {row.segment: row.share for row in sizes}
    tiles = [
        (_("Customers"), numbers.number(n)),
        (_("Champions"), numbers.percent(share.get("Champions", 0), None)),
        (
            _("At risk or can't lose"),
            numbers.percent(share.get("At risk", 0) + share.get("Can't lose", 0), None),
        ),
        (
            _("Predicted 12-month value"),
            numbers.money(float(table["clv"].fillna(0).sum()), currency),
        ),
    ]
    top = max(segments, key=lambda s: s["customers"])
    action = _(top["action"])
    verdict = _(
        "%(count)s of your %(total)s customers are %(segment)s: %(action)s",
        count=top["customers_text"],
        total=numbers.number(n),
        segment=_(top["name"]),
        action=action[:1].lower() + action[1:],
    )
    rule_result: dict[str, Any] | None = None
    rule_error: str | None = None
    if rule.strip():
        try:
            rule_result = service.evaluate_rule_on(scores.table, rule)
        except InvalidInput as exc:
            rule_error = exc.details.get("pointer", "") if exc.details else ""
            rule_error = f"{translate(exc.message)}\n{rule_error}".rstrip()
    chart = {
        "x": [_(s["name"]) for s in segments],
        "y": [s["customers"] for s in segments],
    }
    profiles = [
        {
            "name": translate(p.name),
            "customers": numbers.number(p.customers),
            "count": int(p.customers),
            "share": numbers.percent(p.share, None),
            "description": translate(p.description),
        }
        for p in clusters.profiles
    ]
    return _page(
        request,
        ctx,
        "customers/segments.html",
        status_code=422 if rule_error else 200,
        empty=False,
        tiles=tiles,
        period=period,
        period_tiles=period_tiles,
        period_report=period_report,
        no_comparison=periods.no_data_text(period) if period.compare_empty else "",
        verdict=verdict,
        segments=segments,
        grid_rows=grid_rows,
        f_scores=grid.f_scores,
        profiles=profiles,
        chart=chart,
        as_of=scores.as_of.date().isoformat(),
        coverage=cover,
        unconverted=scores.unconverted_orders,
        per_market=per_market,
        rule=rule,
        example_rule=EXAMPLE_RULE,
        rule_result=rule_result,
        rule_error=rule_error,
        fields=FIELDS,
        currency=currency,
        saved=saved,
        saved_history=[
            {"name": x["name"], "history": x["history"]} for x in saved if len(x["history"]) > 1
        ],
        save_error=save_error,
    )


@router.post("/segments")
def save_segment(session: SessionDep, ctx: Exporter, form: FormDep):
    name = str(form.get("name", ""))
    rule = str(form.get("rule", ""))
    try:
        saved_segments.save_segment(
            session=session, workspace=ctx.workspace, name=name, rule=rule, actor=ctx.user.email
        )
    except TradewindsError as exc:
        session.rollback()
        return RedirectResponse(
            f"/customers?{urlencode({'rule': rule, 'save_error': translate(exc.message)})}",
            status_code=303,
        )
    return RedirectResponse("/customers#saved-segments", status_code=303)


@router.post("/segments/{segment_id}/delete")
def delete_segment(segment_id: int, session: SessionDep, ctx: Exporter, form: FormDep):
    saved_segments.delete_segment(
        session=session, workspace=ctx.workspace, segment_id=segment_id, actor=ctx.user.email
    )
    return RedirectResponse("/customers#saved-segments", status_code=303)


@router.get("/segments.csv")
def segments_csv(ctx: CustomersPage, per_market: bool = False):
    with _warehouse(ctx) as wh:
        scores = service.workspace_scores(
            warehouse=wh, currency=ctx.workspace.currency, per_market=per_market
        )
    buffer = io.StringIO()
    segment_sizes(scores.table).to_csv(buffer, index=False)
    return Response(
        ctx.strip_csv(buffer.getvalue()),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="customer-segments.csv"'},
    )


@router.get("/profile")
def profile_page(request: Request, ctx: ProfilePage, customer_id: str = ""):
    currency = ctx.workspace.currency
    profile = None
    error = None
    if customer_id.strip():
        try:
            with _warehouse(ctx) as wh:
                profile = CustomerProfilePublic.of(
                    service.customer_profile(
                        warehouse=wh,
                        currency=ctx.workspace.currency,
                        customer_id=customer_id.strip(),
                    )
                ).public()
        except NotFound as exc:
            error = translate(exc.message)
    if profile:
        profile["revenue_text"] = numbers.money(profile["revenue"], currency)
        profile["aov_text"] = numbers.money(profile["aov"], currency)
        clv = profile.get("clv")
        known = clv == clv and clv is not None  # NaN: no estimate
        profile["clv_text"] = numbers.money(clv, currency) if known else "–"
        alive = profile.get("p_alive")
        profile["p_alive_text"] = (
            numbers.percent(alive, None) if alive == alive and alive is not None else "–"
        )
        for order in profile["recent_orders"]:
            order["total_text"] = numbers.money(
                float(order["total"]), order["currency"] or currency
            )
            order["date_text"] = str(order["ordered_at"])[:10]
    return _page(
        request,
        ctx,
        "customers/profile.html",
        status_code=404 if error else 200,
        customer_id=customer_id,
        profile=profile,
        error=error,
    )


def _consent(ctx: WebContext) -> dict[str, Any] | None:
    """Who an export of all customers would hold, counted as the Segments page counts
    customers, with what it leaves out (no consent, no e-mail or phone)."""
    try:
        with _warehouse(ctx) as wh:
            preview = ExportPreviewPublic.of(
                service.export_preview(warehouse=wh, currency=ctx.workspace.currency)
            )
    except NotFound:
        return None
    return {
        "total": numbers.number(preview.customers),
        "agreed": numbers.number(preview.exported),
        "no_consent": numbers.number(preview.skipped_no_consent),
        "no_identifier": numbers.number(preview.skipped_no_identifier),
        "raw": preview,
    }


@router.get("/exports")
def exports_page(request: Request, ctx: Reader):
    return _page(
        request,
        ctx,
        "customers/exports.html",
        errors={},
        platform="google",
        rule="",
        consent=_consent(ctx),
    )


@router.post("/exports")
def create_export(request: Request, session: SessionDep, ctx: ExportPage, form: FormDep):
    platform = str(form.get("platform", ""))
    rule = str(form.get("rule", "")).strip() or None
    errors: dict[str, str] = {}
    if platform not in ("google", "meta"):
        errors["platform"] = _("Choose Google Ads Customer Match or Meta Custom Audiences.")
    else:
        try:
            result = service.export_and_record(
                session=session,
                workspace=ctx.workspace,
                actor=ctx.user.email,
                platform=platform,  # type: ignore[arg-type]
                rule=rule,
            )
        except InvalidInput as exc:
            pointer = exc.details.get("pointer", "") if isinstance(exc.details, dict) else ""
            errors["rule"] = f"{translate(exc.message)}\n{pointer}".rstrip()
        except NotFound as exc:
            errors["platform"] = translate(exc.message)
        else:
            name = f"{ctx.workspace.key}-{platform}-audience.csv"
            return Response(
                result.csv_text,
                media_type="text/csv; charset=utf-8",
                headers={
                    "Content-Disposition": f'attachment; filename="{name}"',
                    "X-Rows": str(result.rows),
                },
            )
    return _page(
        request,
        ctx,
        "customers/exports.html",
        status_code=422,
        errors=errors,
        platform=platform,
        rule=rule or "",
        consent=_consent(ctx),
    )
