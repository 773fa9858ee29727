"""Budget: the workspace's media-mix response curves and plans on them (the same reports
as ``tradewinds budget``). Every answer is money in the workspace's reporting currency and
needs finance.read. The model is fitted from the workspace's ad spend and revenue the first
time it is asked for and refitted only when those figures change."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query

from tradewinds.api.deps import IsoDate, Principal, ReportRoute, WarehouseDep, reader
from tradewinds.budget.access import BUDGET
from tradewinds.budget.schemas import (
    BudgetFitPublic,
    BudgetModel,
    CurvesPublic,
    ForwardPlanPublic,
    PlanPublic,
    ScenariosPublic,
)

router = APIRouter(prefix="/budget", tags=["budget"], route_class=ReportRoute)
BudgetReader = reader(BUDGET)

Total = Annotated[
    float | None,
    Query(gt=0, le=1e9, description="budget per day (default: the current spend per day)"),
]
Objective = Annotated[Literal["revenue", "profit"], Query(description="what to maximise")]
Margin = Annotated[float, Query(gt=0, le=10, description="profit margin on revenue")]
Limits = Annotated[
    list[str] | None,
    Query(description="CHANNEL=AMOUNT per day, repeatable", examples=[["google=500"]]),
]
MaxChange = Annotated[
    float | None, Query(ge=0, le=10, description="largest change from the current spend")
]


def _model(principal: Principal, warehouse: WarehouseDep) -> BudgetModel:
    from tradewinds.budget import service

    ws = principal.workspace
    return service.workspace_model(
        warehouse, workspace_key=ws.key, currency=ws.currency, timezone=ws.timezone
    )


def _limits(
    minimum: list[str] | None, maximum: list[str] | None, fixed: list[str] | None
) -> dict[str, dict[str, float]]:
    from tradewinds.budget.service import parse_limits

    return {
        "minimum": parse_limits(minimum, field="min"),
        "maximum": parse_limits(maximum, field="max"),
        "fixed": parse_limits(fixed, field="fixed"),
    }


@router.get("/fit", response_model=BudgetFitPublic)
def fit(principal: BudgetReader, warehouse: WarehouseDep) -> BudgetFitPublic:
    """Each channel's response curve (adstock decay, half-saturation, Hill shape), its
    contribution to revenue over the fitted days with its 90% band, and the fit's quality
    (R², error on the held-out last 8 weeks)."""
    model = _model(principal, warehouse)
    return BudgetFitPublic.model_validate(
        model.model_dump(include=set(BudgetFitPublic.model_fields))
    )


@router.get("/optimize", response_model=PlanPublic)
def optimize(
    principal: BudgetReader,
    warehouse: WarehouseDep,
    total_per_day: Total = None,
    objective: Objective = "revenue",
    margin: Margin = 1.0,
    min: Limits = None,  # noqa: A002 - the query parameter's name
    max: Limits = None,  # noqa: A002
    fixed: Limits = None,
    max_change: MaxChange = None,
) -> PlanPublic:
    """The split of ``total_per_day`` across channels that brings the most revenue (or
    profit, with ``margin``) within the limits, its expected media revenue per day with
    a 90% band, and the current allocation's beside it."""
    from tradewinds.budget import service

    model = _model(principal, warehouse)
    return service.plan(
        model,
        total_per_day=total_per_day,
        objective=objective,
        margin=margin,
        max_change=max_change,
        **_limits(min, max, fixed),
    )


@router.get("/scenarios", response_model=ScenariosPublic)
def scenarios(
    principal: BudgetReader,
    warehouse: WarehouseDep,
    total: Annotated[
        list[float] | None,
        Query(description="daily totals to compare (default: current −20%, +0, +20%, +50%)"),
    ] = None,
    objective: Objective = "revenue",
    margin: Margin = 1.0,
) -> ScenariosPublic:
    """Plans for several daily totals side by side."""
    from tradewinds.budget import service

    model = _model(principal, warehouse)
    return service.scenarios(model, totals=total, objective=objective, margin=margin)


@router.get("/curves", response_model=CurvesPublic)
def curves(principal: BudgetReader, warehouse: WarehouseDep) -> CurvesPublic:
    """Each channel's media revenue per day against its spend per day, with a 90% band."""
    from tradewinds.budget import service

    return service.curves(_model(principal, warehouse))


@router.get("/forward", response_model=ForwardPlanPublic)
def forward(
    principal: BudgetReader,
    warehouse: WarehouseDep,
    start: Annotated[IsoDate | None, Query(description="default: the day after the data")] = None,
    weeks: Annotated[int, Query(ge=1, le=104)] = 12,
    total_per_day: Total = None,
    market: Annotated[str | None, Query(min_length=2, max_length=2)] = None,
    uplift: Annotated[float, Query(ge=0, le=5, description="extra in festival weeks")] = 0.0,
) -> ForwardPlanPublic:
    """A week-by-week plan ahead: each week's budget and allocation, its expected revenue
    (baseline plus ads) with a band, and the public holidays and shopping festivals of
    ``market`` (default: the country with most revenue) that fall in it."""
    from tradewinds.budget import service

    first: date | None = start
    return service.forward(
        _model(principal, warehouse),
        start=first,
        weeks=weeks,
        total_per_day=total_per_day,
        market=market.upper() if market else None,
        uplift=uplift,
    )
