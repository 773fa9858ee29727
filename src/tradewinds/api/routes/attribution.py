"""Multi-touch attribution of the caller's workspace."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query

from tradewinds.analytics.service import default_end
from tradewinds.api.deps import IsoDate, ReportRoute, WarehouseDep, reader
from tradewinds.attribution.access import ATTRIBUTION
from tradewinds.attribution.models.catalog import MODEL_NAMES, ModelSettings
from tradewinds.attribution.models.names import EVERY_MODEL
from tradewinds.attribution.schemas import (
    AttributionComparisonPublic,
    AttributionReportPublic,
    Level,
    ModelChoice,
    attribution_public,
)
from tradewinds.attribution.service import (
    MAX_LOOKBACK_DAYS,
    MAX_WINDOW_DAYS,
    attribute_workspace,
    check_window,
)
from tradewinds.errors import InvalidInput

router = APIRouter(prefix="/attribution", tags=["attribution"], route_class=ReportRoute)
AttributionReader = reader(ATTRIBUTION)


@router.get(
    "",
    response_model=AttributionReportPublic | AttributionComparisonPublic,
    response_model_exclude_unset=True,
)
def read_attribution(
    principal: AttributionReader,
    warehouse: WarehouseDep,
    model: ModelChoice = "markov",  # type: ignore[valid-type]
    date_from: Annotated[
        IsoDate | None,
        Query(alias="from", description=f"YYYY-MM-DD; at most {MAX_WINDOW_DAYS} days before to"),
    ] = None,
    date_to: Annotated[
        IsoDate | None, Query(alias="to", description="YYYY-MM-DD, inclusive")
    ] = None,
    level: Level = "channel",
    order: Annotated[int, Query(ge=1, le=4)] = 1,
    lookback: Annotated[
        int,
        Query(
            ge=1,
            le=MAX_LOOKBACK_DAYS,
            description="days of touches before an order that can be credited with it",
        ),
    ] = 30,
    collapse_repeats: bool = False,
) -> AttributionReportPublic | AttributionComparisonPublic:
    """Attributed orders, revenue and ROAS per channel (or campaign) for one model, or for
    every model with ``model=all``. Revenue and spend are in the workspace currency.

    Only orders with a tracked journey are credited: ``orders_in_period`` and
    ``revenue_in_period`` are the figures every other screen shows, ``orders_credited`` /
    ``revenue_credited`` the part credited here and ``orders_not_credited`` /
    ``revenue_not_credited`` the rest, by reason. A channel with spend but no tracked touch
    has ``roas`` null and says why in ``roas_note``. Default period: the 30 days ending on
    the last day with orders, as on the Overview. A period covers at most
    3,660 days and the lookback at most 365 days: longer ones are
    refused with 422 and the field named."""
    models = list(MODEL_NAMES) if model == EVERY_MODEL else [model]
    workspace = principal.workspace
    try:
        # the same default period as the Overview: 30 days to the last day with orders
        end = date_to or default_end(warehouse=warehouse, timezone=workspace.timezone)
        start = date_from or end - timedelta(days=29)
        check_window(date_from=start, date_to=end, lookback_days=lookback)
        reports, _ = attribute_workspace(
            warehouse=warehouse,
            currency=workspace.currency,
            date_from=start,
            date_to=end,
            models=models,
            settings=ModelSettings(order=order),
            level=level,
            lookback_days=lookback,
            collapse_repeats=collapse_repeats,
            timezone=workspace.timezone,
        )
    except ValueError as exc:
        raise InvalidInput(str(exc)) from exc
    return attribution_public(reports, model)
