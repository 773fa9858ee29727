"""The one entry point for KPI, cohort and funnel reports (API, web pages and CLI use it).

Services open the workspace's warehouse once, run the queries and return plain dataclasses
that serialise to the API's JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from tradewinds.analytics import calculations as calc
from tradewinds.analytics import period_spend
from tradewinds.analytics.filters import ReportScope
from tradewinds.analytics.kpis import run_grouping_sets, run_sides
from tradewinds.analytics.metrics import DEFINITIONS, Coverage
from tradewinds.analytics.period_spend import PeriodEstimate
from tradewinds.errors import InvalidInput
from tradewinds.i18n_markers import Text
from tradewinds.markets.currencies import minor_units

if TYPE_CHECKING:
    from tradewinds.analytics.periods import DataDays
    from tradewinds.analytics.schemas import KpiSummary
    from tradewinds.warehouse.backend import Warehouse

#: figures that are whole numbers
COUNTS = frozenset(n for n, d in DEFINITIONS.items() if d.unit == "count")
#: what a report can be compared with ("" = nothing)
COMPARISONS = {"previous": "previous", "year": "year", "none": "", "": ""}
FX_NOTE = (
    "Amounts in other currencies are converted at each day's exchange rate "
    "(the latest published rate within 7 days)."
)
ESTIMATE_NOTE = (
    "Part of the ad spend is estimated from a period report: a report without "
    "a day column gives the spend of its whole date range, counted here as an "
    "even share per day; `estimated_spend` is that part of each row's spend."
)


@dataclass
class MetricsReport:
    currency: str
    start: date
    end: date
    group_by: tuple[str, ...]
    metrics: tuple[str, ...]
    rows: list[dict[str, Any]]
    previous: tuple[date, date, str] | None = None
    missing_rates: list[dict[str, str]] = field(default_factory=list)
    unconverted_rows: int = 0
    #: period reports (no day column) whose spend is spread over the days of this report
    estimates: list[PeriodEstimate] = field(default_factory=list)
    #: figures that count only part of another (conversion rate: storefront orders only)
    coverage: list[Coverage] = field(default_factory=list)

    @property
    def notes(self) -> list[str]:
        """What a reader must know beside the figures (estimated spend)."""
        return [e.note for e in self.estimates]

    @property
    def total(self) -> dict[str, Any]:
        return self.rows[0] if self.rows and not self.group_by else {}

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "currency": self.currency,
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "group_by": list(self.group_by),
            "metrics": list(self.metrics),
            "rows": self.rows,
            "fx": {
                "method": "daily",
                "note": FX_NOTE,
                "missing_rates": self.missing_rates,
                "unconverted_rows": self.unconverted_rows,
            },
        }
        if self.estimates:
            out["estimated"] = {
                "note": ESTIMATE_NOTE,
                "notes": self.notes,
                "period_reports": [e.to_dict() for e in self.estimates],
            }
        if self.previous:
            out["compare"] = {
                "with": self.previous[2],
                "from": self.previous[0].isoformat(),
                "to": self.previous[1].isoformat(),
            }
        if self.coverage:
            out["coverage"] = [c.model_dump() for c in self.coverage]
        return out


def parse_metrics(value: str | None, *, default: tuple[str, ...]) -> tuple[str, ...]:
    from tradewinds.analytics.filters import split_list

    names = split_list(value) or default
    unknown = [n for n in names if n not in calc.METRICS]
    if unknown:
        raise InvalidInput(
            f"unknown metric {unknown[0]!r}; use {', '.join(calc.METRICS)}",
            details={"field": "metrics"},
        )
    return names


def data_bounds(*, warehouse: Warehouse, timezone: str = "UTC") -> tuple[date | None, date | None]:
    """First and last day holding orders or ad spend (a report's default range ends there);
    order days are those of ``timezone``."""
    from tradewinds.analytics.dimensions import local_day

    row = warehouse.query(
        f"SELECT (SELECT {local_day('MIN(ordered_at)', timezone)} FROM orders) AS o1, "
        f"(SELECT {local_day('MAX(ordered_at)', timezone)} FROM orders) AS o2, "
        '(SELECT MIN("date") FROM ad_spend_daily) AS s1, '
        '(SELECT MAX("date") FROM ad_spend_daily) AS s2'
    ).rows[0]
    firsts = [d for d in (row[0], row[2]) if d is not None]
    lasts = [d for d in (row[1], row[3]) if d is not None]
    return (min(firsts) if firsts else None, max(lasts) if lasts else None)


def _clean(value: Any, metric: str, currency_digits: int) -> Any:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return value
    if number != number:  # NaN
        return None
    if metric in calc.MONEY and metric not in calc.RATIO_X:
        return round(number, currency_digits)
    if metric in COUNTS:
        return int(round(number))
    return round(number, 6)


def _rows(
    frame: Any, scope: ReportScope, metrics: tuple[str, ...], digits: int, estimated: bool = False
) -> dict:
    out = {}
    for record in frame.to_dict("records"):
        summed = {k: (None if v != v else v) for k, v in record.items() if k not in scope.group_by}
        full = calc.derive(summed)
        key = tuple(record[g] for g in scope.group_by)
        row = {g: record[g] for g in scope.group_by}
        row.update({m: _clean(full.get(m), m, digits) for m in metrics})
        if estimated and "spend" in metrics:
            row["estimated_spend"] = _clean(full.get("estimated_spend") or 0.0, "spend", digits)
        out[key] = row
    return out


def comparison(compare: bool | str) -> str:
    """The kind of comparison ``compare`` asks for ("" for none); InvalidInput if unknown."""
    return _comparison(compare)


def _comparison(compare: bool | str) -> str:
    kind = COMPARISONS.get(
        compare if isinstance(compare, str) else ("previous" if compare else "none")
    )
    if kind is None:
        raise InvalidInput(
            f"compare must be one of {', '.join(COMPARISONS)}", details={"field": "compare"}
        )
    return kind


def _build_report(
    *,
    frame: Any,
    missing: list[Any],
    lost: int,
    scope: ReportScope,
    metrics: tuple[str, ...],
    currency: str,
    found: list[PeriodEstimate],
    previous: tuple[ReportScope, str, Any, list[Any], int] | None = None,
) -> MetricsReport:
    """The report of ``metrics`` for ``scope`` from the summed figures of its queries
    (``kpis``); ``previous``: the comparison's scope, kind and summed figures."""
    digits = minor_units(currency)
    covered = "conversion_rate" in metrics and not scope.group_by
    coverage = _conversion_coverage(frame) if covered else []
    rows = _rows(frame, scope, metrics, digits, estimated=bool(found))
    compared = None
    missing = list(missing)
    if previous is not None:
        prev_scope, kind, prev_frame, prev_missing, prev_lost = previous
        compared = (prev_scope.start, prev_scope.end, kind)
        prev_rows = _rows(prev_frame, scope, metrics, digits)
        missing += prev_missing
        lost += prev_lost
        for key, row in rows.items():
            before = prev_rows.get(key, {})
            for m in metrics:
                row[f"{m}_previous"] = before.get(m)
                row[f"{m}_change"] = _round(calc.change(row.get(m), before.get(m)))
    ordered = list(rows.values())
    time_keys = [g for g in scope.group_by if g in ("day", "week", "month")]
    if time_keys:
        ordered.sort(key=lambda r: tuple(str(r[g]) for g in scope.group_by))
    elif scope.group_by and metrics:
        ordered.sort(key=lambda r: -(r.get(metrics[0]) or 0))
    if not scope.group_by and not ordered:
        ordered = [{m: None for m in metrics}]
    seen = sorted({(m.currency, m.date.isoformat()) for m in missing}, key=lambda p: p[1])
    return MetricsReport(
        currency=currency,
        start=scope.start,
        end=scope.end,
        group_by=scope.group_by,
        metrics=metrics,
        rows=ordered,
        previous=compared,
        missing_rates=[{"currency": c, "day": d} for c, d in seen[:50]],
        unconverted_rows=lost,
        estimates=found,
        coverage=coverage,
    )


def _queried(metrics: tuple[str, ...], scope: ReportScope) -> tuple[str, ...]:
    """The metrics to query: the conversion rate's coverage needs the period's orders."""
    covered = "conversion_rate" in metrics and not scope.group_by
    return (*metrics, "orders") if covered and "orders" not in metrics else metrics


def _estimates(warehouse: Warehouse, scope: ReportScope, metrics: tuple[str, ...]) -> list:
    if calc.base_needed(metrics) & calc.SPEND_METRICS:
        return period_spend.estimates(warehouse, scope)
    return []


def metrics_report(
    *,
    warehouse: Warehouse,
    currency: str,
    scope: ReportScope,
    metrics: tuple[str, ...],
    compare: bool | str = False,
) -> MetricsReport:
    """KPIs for ``scope``: one row per group, money in ``currency`` at each day's rate.

    ``compare``: ``"previous"`` (or True) adds each figure for the period of the same length
    just before and its change; ``"year"`` does the same for the same days a year before.
    """
    kind = _comparison(compare)
    frame, missing, lost = run_sides(
        warehouse, scope, metrics=_queried(metrics, scope), currency=currency
    )
    previous = None
    if kind:
        prev_scope = scope.year_before() if kind == "year" else scope.previous()
        previous = (
            prev_scope,
            kind,
            *run_sides(warehouse, prev_scope, metrics=metrics, currency=currency),
        )
    return _build_report(
        frame=frame,
        missing=missing,
        lost=lost,
        scope=scope,
        metrics=metrics,
        currency=currency,
        found=_estimates(warehouse, scope, metrics),
        previous=previous,
    )


def metrics_reports(
    *,
    warehouse: Warehouse,
    currency: str,
    scope: ReportScope,
    wanted: dict[str, tuple[tuple[str, ...], tuple[str, ...]]],
    compared: tuple[MetricsReport, str] | None = None,
) -> dict[str, MetricsReport]:
    """Several reports of one period (name -> (grouping, metrics)), each exactly what
    :func:`metrics_report` gives for it, from one query per side for all of them
    (``kpis.run_grouping_sets``): what a page of tiles and tables needs.

    ``compared``: the comparison period's report (``metrics_report`` of its scope, no
    grouping) and the comparison's kind: the ungrouped report gains its figures and
    changes as ``compare`` gives them.
    """
    per_grouping: dict[tuple[str, ...], tuple[str, ...]] = {}
    for groups, ms in wanted.values():
        queried = _queried(ms, replace(scope, group_by=groups))
        per_grouping[groups] = tuple(dict.fromkeys((*per_grouping.get(groups, ()), *queried)))
    answers = run_grouping_sets(warehouse, scope, wanted=per_grouping, currency=currency)
    found = _estimates(warehouse, scope, tuple(m for ms in per_grouping.values() for m in ms))
    out = {}
    for name, (groups, ms) in wanted.items():
        frame, missing, lost = answers[groups]
        part = replace(scope, group_by=groups)
        out[name] = _build_report(
            frame=frame,
            missing=missing,
            lost=lost,
            scope=part,
            metrics=ms,
            currency=currency,
            found=found if calc.base_needed(ms) & calc.SPEND_METRICS else [],
        )
        if compared is not None and not groups:
            out[name] = with_previous(out[name], *compared)
    return out


def with_previous(report: MetricsReport, previous: MetricsReport, kind: str) -> MetricsReport:
    """``report`` (no grouping) with each figure of ``previous`` (the comparison period's
    report of the same metrics, no grouping) and its change, as ``compare`` adds them."""
    row = dict(report.rows[0]) if report.rows else {m: None for m in report.metrics}
    before = previous.rows[0] if previous.rows else {}
    for m in report.metrics:
        row[f"{m}_previous"] = before.get(m)
        row[f"{m}_change"] = _round(calc.change(row.get(m), before.get(m)))
    missing = {(r["currency"], r["day"]) for r in (*report.missing_rates, *previous.missing_rates)}
    return replace(
        report,
        rows=[row],
        unconverted_rows=report.unconverted_rows + previous.unconverted_rows,
        previous=(previous.start, previous.end, kind),
        missing_rates=[
            {"currency": c, "day": d} for c, d in sorted(missing, key=lambda p: p[1])[:50]
        ],
    )


def _conversion_coverage(frame: Any) -> list[Coverage]:
    """Conversion rate counts storefront orders only: the period's orders split into those
    and the ones imported from marketplaces or files (whose visits were never seen)."""
    record = frame.to_dict("records")[0] if len(frame) else {}

    def whole(name: str) -> int:
        value = record.get(name)
        return 0 if value is None or value != value else int(value)

    orders, storefront, sessions = whole("orders"), whole("storefront_orders"), whole("sessions")
    if orders and not storefront:
        note = Text(
            "Conversion rate: none of the period's %(orders)s orders was placed in the "
            "storefront (all were imported from marketplaces or files), so its "
            "%(sessions)s storefront sessions give no rate.",
            orders=orders,
            sessions=sessions,
        )
    else:
        note = Text(
            "Conversion rate: %(storefront)s storefront orders ÷ %(sessions)s storefront "
            "sessions; %(imported)s of the period's %(orders)s orders were "
            "imported from marketplaces or files and are not counted.",
            storefront=storefront,
            sessions=sessions,
            imported=orders - storefront,
            orders=orders,
        )
    return [
        Coverage(
            metric="orders",
            total=orders,
            counted=storefront,
            left_out={"not_from_storefront": orders - storefront},
            note=note,
        )
    ]


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def _money_body(scope: ReportScope, currency: str, name: str, items: list) -> dict[str, Any]:
    """The JSON of a report of money per item: currency, range, FX method and the items."""
    return {
        "currency": currency,
        "from": scope.start.isoformat(),
        "to": scope.end.isoformat(),
        "fx": {"method": "daily", "note": FX_NOTE},
        name: [item.to_dict() for item in items],
    }


def cohort_report(*, warehouse: Warehouse, scope: ReportScope, currency: str) -> dict[str, Any]:
    """Monthly acquisition cohorts first ordering within ``scope`` (see ``cohorts.py``)."""
    from tradewinds.analytics.cohorts import cohorts

    found = cohorts(warehouse=warehouse, scope=scope, currency=currency)
    return _money_body(scope, currency, "cohorts", found)


def channel_ltv_report(
    *, warehouse: Warehouse, scope: ReportScope, currency: str
) -> dict[str, Any]:
    """LTV curve, CAC and payback per acquisition channel (see ``channel_ltv.py``)."""
    from tradewinds.analytics.channel_ltv import channel_ltv

    found = channel_ltv(warehouse=warehouse, scope=scope, currency=currency)
    return _money_body(scope, currency, "channels", found)


def funnel_report(*, warehouse: Warehouse, scope: ReportScope) -> dict[str, Any]:
    """Visitors reaching each funnel step, per group (see ``funnels.py``)."""
    from tradewinds.analytics.funnels import STEPS, funnel

    rows, total = funnel(warehouse=warehouse, scope=scope)
    return {
        "from": scope.start.isoformat(),
        "to": scope.end.isoformat(),
        "group_by": [g for g in scope.group_by],
        "steps": list(STEPS),
        "rows": [r.to_dict() for r in rows],
        "total": total.to_dict() if total else None,
    }


def needs_finance(metrics: tuple[str, ...]) -> list[str]:
    """The money metrics in ``metrics``: reading them takes the ``finance.read`` permission."""
    return [m for m in metrics if m in calc.MONEY]


def default_end(*, warehouse: Warehouse, timezone: str = "UTC") -> date:
    """Reports end on the last day with orders by default, in ``timezone``'s days (today
    when there are no orders). Ad spend does not move it: a newer ad report imported into
    a shop whose orders stop earlier would otherwise leave every order figure empty."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from tradewinds.analytics.dimensions import local_day

    last = warehouse.query(f"SELECT {local_day('MAX(ordered_at)', timezone)} FROM orders").scalar()
    return last or datetime.now(ZoneInfo(timezone)).date()


def default_period(*, warehouse: Warehouse, timezone: str = "UTC") -> tuple[date, date]:
    """The period of every report that names none (the pages, the API and the CLI): the
    last 30 days ending on :func:`default_end`'s day (``periods.DEFAULT_PRESET``)."""
    from tradewinds.analytics import periods

    return periods.last_days(
        default_end(warehouse=warehouse, timezone=timezone), periods.DEFAULT_DAYS
    )


def data_days(*, warehouse: Warehouse, timezone: str = "UTC") -> DataDays:
    """What date presets are resolved from (``periods.DataDays``): the first and last day
    with orders or ad spend and the reference day (:func:`default_end`)."""
    from tradewinds.analytics.periods import DataDays

    first, last = data_bounds(warehouse=warehouse, timezone=timezone)
    return DataDays(
        first=first, last=last, reference=default_end(warehouse=warehouse, timezone=timezone)
    )


#: the KPI figures of a period (``tradewinds metrics``, ``/api/v1/metrics/summary``)
KPI_METRICS = (
    "orders",
    "revenue",
    "net_revenue",
    "new_customers",
    "customers",
    "spend",
    "roas",
    "cac",
    "conversion_rate",
    "storefront_orders",
    "sessions",
)


def kpi_summary(
    *, warehouse: Warehouse, currency: str, scope: ReportScope, finance: bool = True
) -> KpiSummary:
    """The KPI figures of ``scope`` with their definitions, from :func:`metrics_report` (the
    Overview's tiles read the same report); money figures only with ``finance``."""
    from tradewinds.analytics.schemas import FigurePublic, KpiSummary

    names = tuple(m for m in KPI_METRICS if finance or m not in calc.MONEY)
    report = metrics_report(warehouse=warehouse, currency=currency, scope=scope, metrics=names)
    total = report.total
    figures = [FigurePublic(**DEFINITIONS[m].to_dict(), value=total.get(m)) for m in names]
    return KpiSummary(
        currency=currency,
        start=scope.start,
        end=scope.end,
        timezone=scope.timezone,
        figures=figures,
        coverage=report.coverage,
        notes=report.notes,
        unconverted_rows=report.unconverted_rows,
    )
