"""Experiments: A/B test results and bandit weights of a results CSV, and a unit's
deterministic assignment (the same reports as ``tradewinds experiments``)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from tradewinds.api.deps import IsoDate, ReportRoute, WarehouseDep, reader
from tradewinds.errors import InvalidInput
from tradewinds.experiments.access import BANDITS, EXPOSURES, RESULTS
from tradewinds.experiments.definitions import DefinitionsPublic
from tradewinds.experiments.schemas import AssignmentPublic, BanditsPublic, ExperimentsReportPublic

router = APIRouter(prefix="/experiments", tags=["experiments"], route_class=ReportRoute)
ResultsReader = reader(RESULTS)
BanditsReader = reader(BANDITS)
ExposuresReader = reader(EXPOSURES)

MAX_BYTES = 10 * 1024 * 1024
CSV_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "the results file: experiment,variation,units,metric,metric_type,"
        "sum,sum_squares[,weight]; the first variation of an experiment is its control",
        "content": {"text/csv": {"schema": {"type": "string"}}},
    }
}
ERRORS: dict[int | str, dict[str, Any]] = {
    422: {"description": "the file is refused: details name its row, column and why"},
}


async def _experiments(request: Request, name: str) -> list[Any]:
    from tradewinds.experiments.csv_file import ExperimentFileError, read_bytes

    data = await request.body()
    if len(data) > MAX_BYTES:
        raise InvalidInput("the file is larger than 10 MB")
    try:
        return read_bytes(data, name=name)
    except ExperimentFileError as exc:
        raise InvalidInput(
            str(exc),
            details={
                "file": exc.file,
                "row": exc.row,
                "column": exc.column,
                "value": exc.value,
                "reason": str(exc.reason),
            },
        ) from None


FileName = Annotated[str, Query(max_length=200, description="the file's name, for errors")]


@router.post(
    "/analyze",
    response_model=ExperimentsReportPublic,
    openapi_extra=CSV_BODY,
    responses=ERRORS,
)
async def analyze(
    request: Request, _caller: ResultsReader, name: FileName = "experiments.csv"
) -> ExperimentsReportPublic:
    """Each experiment's sample-ratio check, and per metric and variation against control:
    relative uplift with the Welch t-test's CI and p-value, the sequential (always-valid)
    CI, the Bayesian chance to beat control and the risks; and a verdict."""
    from tradewinds.experiments.service import report

    return report(await _experiments(request, name), source=name)


@router.post("/bandit", response_model=BanditsPublic, openapi_extra=CSV_BODY, responses=ERRORS)
async def bandit(
    request: Request,
    _caller: BanditsReader,
    on: Annotated[date | None, Query(alias="date", description="default: today")] = None,
    floor: Annotated[float, Query(ge=0, lt=1, description="least share per variation")] = 0.05,
    name: FileName = "experiments.csv",
) -> BanditsPublic:
    """The day's traffic weights per variation by Thompson sampling on each experiment's
    first metric (seeded by experiment, metric and day)."""
    from tradewinds.experiments.service import bandits

    experiments = await _experiments(request, name)
    return bandits(experiments, day=on or date.today(), floor=floor, source=name)


@router.get("/assign", response_model=AssignmentPublic)
def assign(
    _caller: ResultsReader,
    experiment: Annotated[str, Query(min_length=1, max_length=200)],
    unit_id: Annotated[str, Query(min_length=1, max_length=500)],
    variations: Annotated[
        list[str] | None, Query(description="in order, the first is the control")
    ] = None,
    weights: Annotated[list[float] | None, Query(description="one per variation")] = None,
    salt: Annotated[str | None, Query(max_length=200, description="default: experiment")] = None,
) -> AssignmentPublic:
    """The variation ``unit_id`` gets: GrowthBook's hash v2 of salt + unit id, the same as
    ``tradewinds experiments assign`` and ``/static/tw-experiments.js``. Without
    ``variations``, a defined experiment (``/experiments/definitions``) uses its own salt,
    variations and weights; an undefined one ``control`` and ``treatment``."""
    from tradewinds.experiments.definitions import DefinitionError
    from tradewinds.experiments.service import assign as assign_unit
    from tradewinds.experiments.service import assign_in

    if variations is None:
        try:
            return assign_in(_caller.workspace.key, experiment, unit_id)
        except LookupError:
            pass
        except DefinitionError as exc:
            raise InvalidInput(str(exc)) from None
    try:
        names = variations or ["control", "treatment"]
        return assign_unit(experiment, unit_id, names, weights, salt)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None


@router.get("/events", response_model=ExperimentsReportPublic)
def from_events(
    principal: ExposuresReader,
    warehouse: WarehouseDep,
    date_from: Annotated[IsoDate | None, Query(alias="from", description="YYYY-MM-DD")] = None,
    date_to: Annotated[
        IsoDate | None, Query(alias="to", description="YYYY-MM-DD, inclusive")
    ] = None,
) -> ExperimentsReportPublic:
    """Results of the experiments the collector saw (``Experiment Viewed`` track events with
    ``experiment_id`` and ``variation_id``): purchase rate, orders per unit and revenue per
    unit (workspace currency; left out without finance.read) of the exposed units, with the
    same tests as ``/analyze``. Default period: the 30 days to the last day with orders."""
    from datetime import timedelta

    from tradewinds.analytics.filters import ReportScope
    from tradewinds.analytics.service import default_end
    from tradewinds.experiments.service import events_report

    workspace = principal.workspace
    end = date_to or default_end(warehouse=warehouse, timezone=workspace.timezone)
    start = date_from or end - timedelta(days=29)
    if start > end:
        raise InvalidInput("from must not be after to")
    scope = ReportScope(start=start, end=end, timezone=workspace.timezone)
    finance = principal.grant.finance if principal.grant is not None else False
    return events_report(warehouse, scope, currency=workspace.currency, revenue=finance)


@router.get("/definitions", response_model=DefinitionsPublic)
def definitions(_caller: ResultsReader) -> DefinitionsPublic:
    """The workspace's experiment definitions: key, name, salt, variations with weights
    (the first is the control) and metrics (``tradewinds experiments define``)."""
    from tradewinds.experiments.definitions import DefinitionError, load

    try:
        return load(_caller.workspace.key)
    except DefinitionError as exc:
        raise InvalidInput(str(exc)) from None
