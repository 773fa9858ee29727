"""Customers → Recommendations and Lookalikes: which recommender the shop uses and why, and
lookalike audiences for any seed with their measured lift.

Both read the same reports as ``tradewinds audiences recommend|lookalike`` and
``/api/v1/audiences`` (``audiences/service.py``).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from tradewinds.api.deps import SessionDep
from tradewinds.audiences import access, saved_segments, service
from tradewinds.audiences.lookalike import feature_text
from tradewinds.audiences.rfm import load_segment_map
from tradewinds.audiences.schemas import LookalikeReportPublic, RecommenderPublic
from tradewinds.errors import NotFound, TradewindsError
from tradewinds.web import charts, numbers
from tradewinds.web.deps import WebContext, reading
from tradewinds.web.frame import render
from tradewinds.web.i18n import gettext as _
from tradewinds.web.texts import translate

router = APIRouter(prefix="/customers", include_in_schema=False)
RecommendationsPage = reading(access.RECOMMENDATIONS)
LookalikesPage = reading(access.LOOKALIKES)
#: customers listed on the lookalikes page
LOOKALIKE_ROWS = 50


def _page(request: Request, ctx: WebContext, template: str, status_code: int = 200, **kw: Any):
    ctx.nav = "customers"
    return render(request, template, ctx.page(**kw), status_code=status_code)


def _warehouse(ctx: WebContext) -> Any:
    from tradewinds.warehouse import open_warehouse

    return open_warehouse(ctx.workspace.key)


def candidates_figure(choice: RecommenderPublic) -> dict[str, Any]:
    labels = [_(c.label) for c in choice.candidates]
    return charts.bars(
        categories=labels,
        series={_("NDCG@10"): [round(c.ndcg_at_10, 4) for c in choice.candidates]},
        title=_("How well each model predicted the held-back orders (NDCG@10, higher is better)"),
        horizontal=True,
    )


@router.get("/recommendations")
def recommendations_page(request: Request, ctx: RecommendationsPage):
    choice = None
    error = None
    try:
        with _warehouse(ctx) as wh:
            choice = service.recommendations(warehouse=wh, n=10)["recommender"]
    except NotFound:
        error = None  # no orders with products: the empty state says what to do
    except TradewindsError as exc:
        error = translate(exc.message)
    rows = []
    if choice:
        for c in choice.candidates:
            rows.append(
                {
                    "label": _(c.label),
                    "winner": c.model == choice.model,
                    "precision": numbers.number(c.precision_at_10, digits=4),
                    "recall": numbers.number(c.recall_at_10, digits=4),
                    "ndcg": numbers.number(c.ndcg_at_10, digits=4),
                }
            )
    return _page(
        request,
        ctx,
        "customers/recommendations.html",
        choice=choice,
        margin=(
            numbers.percent(choice.gain_over_runner_up, 1)
            if choice and choice.gain_over_runner_up is not None
            else None
        ),
        validation_customers=numbers.number(choice.validation_customers) if choice else "",
        margin_als=_margin(choice.gain_over_als) if choice else None,
        rows=rows,
        figure=candidates_figure(choice) if choice and choice.candidates else None,
        error=error,
    )


def _margin(value: float | None) -> str | None:
    if value is None:
        return None
    return ("+" if value > 0 else "") + numbers.percent(value, 1)


@router.get("/lookalikes")
def lookalikes_page(
    request: Request,
    session: SessionDep,
    ctx: LookalikesPage,
    seed: str = "Champions",
    one_time_only: bool = False,
):
    saved = saved_segments.saved_rules(session=session, workspace=ctx.workspace)
    seeds = [s.name for s in load_segment_map().segments]
    report = None
    error = None
    seed = seed.strip() or "Champions"
    try:
        rule = service.resolve_seed(seed, saved)
        if ctx.grant is not None:
            ctx.grant.refuse_money(access.rule_fields(rule), "the seed", access.MONEY_RULE_FIELDS)
        with _warehouse(ctx) as wh:
            found = service.lookalike_report(
                warehouse=wh,
                currency=ctx.workspace.currency,
                seed_rule=rule,
                seed_label=seed,
                one_time_only=one_time_only,
            )
        report = LookalikeReportPublic.of(
            service.lookalike_public(found, top=LOOKALIKE_ROWS)
        ).model_dump(by_alias=True)
    except NotFound:
        error = None
    except TradewindsError as exc:
        error = translate(exc.message)
    evaluation = report.get("evaluation") if report else None
    if report:
        report["seed_size_text"] = numbers.number(report["seed_size"])
        report["candidates_text"] = numbers.number(report["candidates"])
        for row in report["top"]:
            row["score_text"] = numbers.percent(row["score"], 1)
            row["reasons"] = [translate(feature_text(f)) for f in row["top_features"]]
    asked = "seed" in request.query_params
    return _page(
        request,
        ctx,
        "customers/lookalikes.html",
        # a seed the reader typed that cannot be used is their error; the default seed (the
        # Champions) too small in a young shop is not
        status_code=422 if error and asked else 200,
        seed=seed,
        seeds=seeds,
        saved=sorted(saved),
        one_time_only=one_time_only,
        report=report,
        evaluation=evaluation,
        lift=_times(evaluation["lift@10%"]) if evaluation else None,
        champions=_times(evaluation["champions"]) if evaluation else None,
        error=error,
    )


def _times(value: float | None) -> str:
    return "–" if value is None else f"{numbers.number(value, digits=2)}×"
