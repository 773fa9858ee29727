"""Experiments: each A/B test's verdict, the uplifts with their intervals, the results
table, today's bandit weights and the upload of a results file.

The page reads the same reports as ``tradewinds experiments`` and ``/api/v1/experiments``
(experiments/service.py); the workspace's latest uploaded file is kept under HOME, and
``?example=1`` shows the bundled example.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from tradewinds.experiments.access import EXPOSURES, RESULTS
from tradewinds.experiments.schemas import ExperimentResultPublic, ExperimentsReportPublic
from tradewinds.web import numbers
from tradewinds.web.deps import DataImporter, FormDep, WebContext, reading
from tradewinds.web.frame import render
from tradewinds.web.i18n import gettext as _

router = APIRouter(prefix="/experiments", include_in_schema=False)
ResultsPage = reading(RESULTS)
EventsPage = reading(EXPOSURES)
Importer = DataImporter

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


def _pct(value: float | None, *, sign: bool = False) -> str:
    if value is None:
        return "—"
    text = numbers.percent(value, 1)
    return ("+" + text) if sign and value > 0 else text


def _chance(value: float | None) -> str:
    """A probability as a percentage; past 99.9% (or below 0.1%) it says so rather than
    rounding to a certain 100% (or 0%)."""
    if value is not None and value > 0.999:
        return "> " + numbers.percent(0.999, 1)
    if value is not None and value < 0.001:
        return "< " + numbers.percent(0.001, 1)
    return _pct(value)


def _level() -> str:
    return numbers.percent(0.95, 0)


def verdict_sentence(exp: ExperimentResultPublic) -> str:
    """The answer first, in words: what the best variation does and whether to ship it."""
    v = exp.verdict
    if v.kind == "srm":
        return _(
            "The traffic split does not match the weights (SRM p-value %(p)s): the assignment "
            "or the tracking is broken. Do not trust these results until it is fixed.",
            p=numbers.number(exp.srm_p_value, pattern="0.######"),
        )
    if v.kind == "no_answer" or v.relative_uplift is None:
        return _("No answer yet: the control has no conversions or a variation has no variance.")
    values = {
        "variation": v.variation,
        "metric": v.metric,
        "uplift": _pct(abs(v.relative_uplift)),
        "low": _pct(v.ci_low),
        "high": _pct(v.ci_high),
        "chance": _chance(v.chance_to_win),
    }
    if v.kind == "ship":
        return _(
            "%(variation)s raises %(metric)s by %(uplift)s (95%% CI %(low)s to %(high)s); "
            "it has a %(chance)s chance to beat control. Safe to ship.",
            **values,
        )
    if v.kind == "keep_control":
        return _(
            "%(variation)s lowers %(metric)s by %(uplift)s (95%% CI %(low)s to %(high)s); "
            "it has a %(chance)s chance to beat control. Keep control.",
            **values,
        )
    values["uplift"] = _pct(v.relative_uplift, sign=True)
    return _(
        "No variation is clearly better yet: %(variation)s changes %(metric)s by %(uplift)s "
        "(95%% CI %(low)s to %(high)s), a %(chance)s chance to beat control. Keep the test "
        "running.",
        **values,
    )


def uplift_chart(report: ExperimentsReportPublic) -> dict[str, Any] | None:
    """Relative uplift of every variation on every metric, with the Welch 95 % CI and the
    wider sequential interval."""
    from tradewinds.web import charts

    rows = [(e, r) for e in report.experiments for r in e.results if r.relative_uplift is not None]
    if not rows:
        return None
    labels = [f"{e.experiment} · {r.variation} · {r.metric}" for e, r in rows]

    def trace(name: str, low: str, high: str, color: str, size: int) -> dict[str, Any]:
        ups = [r.relative_uplift or 0.0 for _e, r in rows]
        return {
            "type": "scatter",
            "mode": "markers",
            "name": name,
            "y": labels,
            "x": ups,
            "marker": {"color": color, "size": size},
            "error_x": {
                "type": "data",
                "symmetric": False,
                "array": [
                    (getattr(r, high) or 0) - u for (_e, r), u in zip(rows, ups, strict=True)
                ],
                "arrayminus": [
                    u - (getattr(r, low) or 0) for (_e, r), u in zip(rows, ups, strict=True)
                ],
                "color": color,
                "thickness": 2,
                "width": 4,
            },
            "hovertemplate": "%{y}: %{x:+.1%}<extra></extra>",
        }

    return {
        "data": [
            trace(
                _("Sequential %(level)s CI", level=_level()),
                "sequential_ci_low",
                "sequential_ci_high",
                "#9aa4b1",
                6,
            ),
            trace(_("%(level)s CI", level=_level()), "ci_low", "ci_high", charts.ACCENT, 9),
        ],
        "layout": charts.layout(
            title=_("Relative uplift against control, with %(level)s intervals", level=_level()),
            height=max(240, 44 * len(rows) + 110),
            xaxis={
                "tickformat": "+.0%",
                "zeroline": True,
                "zerolinecolor": "#1b1f24",
                "showgrid": True,
                "gridcolor": charts.GRID,
            },
            yaxis={"autorange": "reversed", "automargin": True, "rangemode": "normal"},
            hovermode="closest",
            margin={"l": 10},
        ),
    }


def _load(ctx: WebContext, example: bool) -> tuple[list[Any], str] | None:
    from tradewinds.experiments.csv_file import ExperimentFileError
    from tradewinds.experiments.service import example_experiments, saved

    if example:
        return example_experiments(), "example.csv"
    try:
        return saved(ctx.workspace.key)
    except ExperimentFileError:
        return None


def _page(request: Request, ctx: WebContext, *, example: bool, status_code: int = 200, **kw: Any):
    from tradewinds.experiments.service import bandits, report

    ctx.nav = "experiments"
    loaded = _load(ctx, example)
    result = bandit = None
    if loaded is not None:
        experiments, name = loaded
        result = report(experiments, source=name)
        bandit = bandits(experiments, day=date.today(), source=name)
    kw.setdefault("error", None)
    return render(
        request,
        "experiments/index.html",
        ctx.page(
            report=result,
            bandits=bandit,
            example=example,
            verdicts={e.experiment: verdict_sentence(e) for e in result.experiments}
            if result
            else {},
            figure=uplift_chart(result) if result else None,
            pct=_pct,
            chance=_chance,
            level=_level(),
            max_mb=MAX_UPLOAD_BYTES // 2**20,
            **kw,
        ),
        status_code=status_code,
    )


@router.get("")
def experiments_page(request: Request, ctx: ResultsPage, example: str | None = None):
    return _page(request, ctx, example=bool(example))


@router.post("")
def upload_results(request: Request, ctx: Importer, form: FormDep):
    from tradewinds.experiments.csv_file import ExperimentFileError
    from tradewinds.experiments.service import save_upload

    item = form.get("file")
    if not isinstance(item, UploadFile) or not item.filename:
        error = {"reason": _("Choose a results file to upload.")}
        return _page(request, ctx, example=False, status_code=422, error=error)
    data = item.file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        reason = _("the file is larger than %(mb)s MB", mb=MAX_UPLOAD_BYTES // 2**20)
        return _page(
            request, ctx, example=False, status_code=422,
            error={"file": item.filename, "reason": reason},
        )  # fmt: skip
    try:
        save_upload(ctx.workspace.key, data, name=item.filename)
    except ExperimentFileError as exc:
        from tradewinds.web import texts

        error = {
            "file": exc.file,
            "row": exc.row,
            "column": exc.column,
            "value": exc.value,
            "reason": texts.translate(exc.reason),
        }
        return _page(request, ctx, example=False, status_code=422, error=error)
    return _page(request, ctx, example=False, uploaded=item.filename)


COLUMNS = [
    "experiment", "metric", "metric_type", "variation", "units", "control_mean",
    "variation_mean", "relative_uplift", "ci_low", "ci_high", "p_value",
    "sequential_ci_low", "sequential_ci_high", "sequential_p_value", "chance_to_win",
    "risk_control", "risk_treatment", "srm_p_value",
]  # fmt: skip


def _csv(result: ExperimentsReportPublic | None, name: str) -> Response:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for exp in result.experiments if result else []:
        for r in exp.results:
            row = {**r.model_dump(), "experiment": exp.experiment, "srm_p_value": exp.srm_p_value}
            writer.writerow(["" if row[c] is None else row[c] for c in COLUMNS])
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get(".csv")
def experiments_csv(ctx: ResultsPage, example: str | None = None) -> Response:
    """The results table as CSV (the columns of ``tradewinds experiments analyze --json``)."""
    from tradewinds.experiments.service import report

    loaded = _load(ctx, bool(example))
    result = report(loaded[0], source=loaded[1]) if loaded else None
    return _csv(result, "experiments.csv")


def _events(request: Request, ctx: WebContext):
    from tradewinds.analytics.filters import ReportScope
    from tradewinds.experiments.service import bandits, events_experiments, events_result
    from tradewinds.warehouse import open_warehouse
    from tradewinds.web import periods

    ws = ctx.workspace
    with open_warehouse(ws.key) as warehouse:
        period = periods.from_request(request, warehouse, ws.timezone)
        scope = ReportScope(start=period.start, end=period.end, timezone=ws.timezone)
        finance = ctx.grant.finance if ctx.grant is not None else False
        experiments, multiple = events_experiments(
            warehouse, scope, currency=ws.currency, revenue=finance
        )
    result = events_result(
        experiments, multiple, scope=scope, currency=ws.currency if finance else None
    )
    bandit = bandits(experiments, day=date.today(), source="events") if experiments else None
    return result, bandit, period


@router.get("/events")
def events_page(request: Request, ctx: EventsPage):
    """The experiments of the collector's ``Experiment Viewed`` events in the period."""
    ctx.nav = "experiments"
    result, bandit, period = _events(request, ctx)
    return render(
        request,
        "experiments/index.html",
        ctx.page(
            report=result,
            bandits=bandit,
            example=False,
            verdicts={e.experiment: verdict_sentence(e) for e in result.experiments},
            figure=uplift_chart(result),
            pct=_pct,
            chance=_chance,
            level=_level(),
            period=period,
            period_compare=False,
            error=None,
        ),
    )


@router.get("/events.csv")
def events_csv(request: Request, ctx: EventsPage) -> Response:
    result, _bandit, period = _events(request, ctx)
    return _csv(result, f"experiments_{period.start}_{period.end}.csv")
