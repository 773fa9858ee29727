"""The budget reports the CLI, the API and the page share: fit a model (from a CSV file or
the workspace's own figures), plan a budget on it, compare what-ifs, draw its curves.

A workspace's model is saved under ``HOME/budget/<workspace>.json`` with a digest of the
figures it was fitted on; it is refitted only when those figures change, so the page
answers from the saved model in a fraction of a second.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from tradewinds.budget import adstock
from tradewinds.budget import model as mm
from tradewinds.budget import planner as pl
from tradewinds.budget.schemas import (
    AllocationRowPublic,
    BaselinePublic,
    BudgetModel,
    ChannelCurvePublic,
    ChannelFitPublic,
    CurveParams,
    CurvePointPublic,
    CurvesPublic,
    DayFitPublic,
    FitQualityPublic,
    ForwardPlanPublic,
    PlanPublic,
    ScenariosPublic,
)
from tradewinds.errors import InvalidInput
from tradewinds.i18n_markers import N_, Text

if TYPE_CHECKING:
    from tradewinds.warehouse.backend import Warehouse

#: the fit's own version: a saved model of another version is refitted
FIT_VERSION = 2
#: bootstrap replicates of a fit (the bands); enough for 5–95% intervals, and fast
BOOTSTRAP = 30
#: days whose mean spend is "the current allocation"
CURRENT_DAYS = 28
#: event kinds of the market calendar that become baseline terms
EVENT_KINDS = ("public_holiday", "festival")
SEPARATORS = (" · ", ":", "|", "/")
#: a plan moves a channel the data say little about (``low_variation``) at most this share
#: from its current spend, unless a limit of its own is given
UNSURE_CHANGE = 0.2

_locks: dict[str, threading.Lock] = {}
_guard = threading.Lock()


def event_days(market: str | None, days: np.ndarray) -> dict[str, np.ndarray]:
    """0/1 columns for the public holidays and shopping festivals of ``market``."""
    if not market or len(days) == 0:
        return {}
    from tradewinds.markets.service import calendar

    first = days[0].astype(object).year
    last = days[-1].astype(object).year
    out = {kind: np.zeros(len(days)) for kind in EVENT_KINDS}
    index = {d: i for i, d in enumerate(days.astype(object))}
    for year in range(first, last + 1):
        try:
            events = calendar(market, year, kinds=set(EVENT_KINDS)).events
        except ValueError:
            return {}
        for event in events:
            day = event.start
            while day <= event.end:
                if day in index:
                    out[event.kind][index[day]] = 1.0
                day = date.fromordinal(day.toordinal() + 1)
    return out


def _split(name: str) -> tuple[str, str | None]:
    for sep in SEPARATORS:
        if sep in name:
            channel, country = name.split(sep, 1)
            if 2 <= len(country.strip()) <= 3:
                return channel.strip(), country.strip().upper()
    return name, None


def fit_media(
    data: mm.MediaData,
    *,
    currency: str,
    target: str = "revenue",
    market: str | None = None,
    groups: Mapping[str, str] | None = None,
    countries: Mapping[str, str | None] | None = None,
    bootstrap: int = BOOTSTRAP,
    data_version: str = "",
) -> BudgetModel:
    """Fit ``data`` (adding the market calendar's event days) and describe the answer."""
    started = time.perf_counter()
    if market:
        data = mm.MediaData(
            days=data.days,
            revenue=data.revenue,
            spend=data.spend,
            events={**event_days(market, data.days), **data.events},
        )
    try:
        result = mm.fit(data, bootstrap=bootstrap)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
    fit = result.fit
    totals = fit.contributions.sum(axis=1)
    media_total = float(totals.sum()) or 1.0
    reps = result.replicate_contributions
    channels = []
    for c, name in enumerate(fit.names):
        spend = data.spend[name]
        curve = fit.curves[c]
        spent = float(spend.sum())
        low = high = None
        roi_low = roi_high = None
        if len(reps):
            low, high = (float(v) for v in np.percentile(reps[:, c], [5, 95]))
            if spent > 0:
                roi_low, roi_high = low / spent, high / spent
        split = _split(name)
        channels.append(
            ChannelFitPublic(
                channel=name,
                group=(groups or {}).get(name, split[0]),
                country=(countries or {}).get(name, split[1]),
                contribution=float(totals[c]),
                contribution_low=low,
                contribution_high=high,
                share=float(totals[c]) / media_total,
                spend=spent,
                roi=float(totals[c]) / spent if spent > 0 else None,
                roi_low=roi_low,
                roi_high=roi_high,
                adstock_decay=curve.decay,
                half_life_days=adstock.half_life(curve.decay),
                half_saturation=curve.k,
                hill_shape=curve.shape,
                beta=curve.beta,
                spend_per_day=float(spend.mean()),
                current_per_day=float(spend[-CURRENT_DAYS:].mean()),
                low_variation=name in result.low_variation,
            )
        )
    resid = data.revenue - fit.fitted
    dw = float((np.diff(resid) ** 2).sum() / max(float((resid**2).sum()), 1e-12))
    warnings = [
        Text(
            "%(channel)s: its spend varied too little to learn its curve from; "
            "its figures lean on the model's assumptions",
            channel=name,
        )
        for name in result.low_variation
    ]
    if fit.r2 < 0.3:
        warnings.append(
            Text(
                "The model explains little of the day-to-day revenue (R² %(r2)s): "
                "read its curves as rough",
                r2=f"{fit.r2:.2f}",
            )
        )
    return BudgetModel(
        currency=currency,
        start=data.days[0].astype(object),
        end=data.days[-1].astype(object),
        target=target,
        market=market,
        channels=channels,
        fit=FitQualityPublic(
            r2=fit.r2,
            mape=fit.mape,
            mape_holdout=result.mape_holdout,
            holdout_days=result.holdout_days,
            days=len(data.days),
            residual_sd=float(resid.std()),
            durbin_watson=dw,
        ),
        baseline=BaselinePublic(
            intercept=fit.intercept,
            trend_per_day=fit.trend,
            weekday=fit.weekday,
            season=fit.season,
            events=fit.event_effects,
        ),
        warnings=[str(w) for w in warnings],
        seconds=time.perf_counter() - started,
        fitted_at=datetime.now(UTC),
        data_version=data_version,
        replicates=[
            [CurveParams(decay=c.decay, k=c.k, shape=c.shape, beta=c.beta) for c in rep]
            for rep in result.replicates
        ],
        days=[
            DayFitPublic(day=d, actual=float(a), fitted=float(f))
            for d, a, f in zip(data.days.astype(object), data.revenue, fit.fitted, strict=True)
        ],
    )


def fit_csv(
    path: Path,
    *,
    date_column: str = "date",
    target: str = "revenue",
    currency: str = "USD",
    market: str | None = None,
    bootstrap: int = BOOTSTRAP,
) -> BudgetModel:
    from tradewinds.budget.reader import read_csv

    data = read_csv(path, date_column=date_column, target=target)
    return fit_media(data, currency=currency, target=target, market=market, bootstrap=bootstrap)


def save(model: BudgetModel, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(model.model_dump_json(indent=1), encoding="utf-8")
    tmp.replace(path)


def load(path: Path) -> BudgetModel:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot be read ({exc.strerror})") from None
    try:
        return BudgetModel.model_validate_json(text)
    except ValueError as exc:
        raise InvalidInput(
            f"{path}: not a budget model saved by `budget fit --save` ({exc})"
        ) from None


def model_path(workspace_key: str) -> Path:
    from tradewinds.config import get_settings

    return get_settings().home_dir / "budget" / f"{workspace_key}.json"


def workspace_model(
    warehouse: Warehouse, *, workspace_key: str, currency: str, timezone: str
) -> BudgetModel:
    """The workspace's fitted model: the saved one while the figures are unchanged, else a
    new fit (saved). Raises ``InvalidInput`` when there is nothing to fit."""
    from tradewinds.budget import data as source

    try:
        media = source.read(warehouse, currency=currency, timezone=timezone)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
    path = model_path(workspace_key)
    with _guard:
        lock = _locks.setdefault(workspace_key, threading.Lock())
    with lock:
        if path.exists():
            try:
                saved = load(path)
            except InvalidInput:
                saved = None
            if saved is not None and saved.data_version == f"{FIT_VERSION}:{media.version}":
                return saved
        model = fit_media(
            media.data,
            currency=currency,
            market=media.market,
            groups=media.groups,
            countries=media.countries,
            data_version=f"{FIT_VERSION}:{media.version}",
            bootstrap=BOOTSTRAP,
        )
        save(model, path)
        return model


def _curves(model: BudgetModel) -> list[mm.Curve]:
    return [
        mm.Curve(decay=c.adstock_decay, k=c.half_saturation, shape=c.hill_shape, beta=c.beta)
        for c in model.channels
    ]


def _replicates(model: BudgetModel) -> list[list[mm.Curve]]:
    return [
        [mm.Curve(decay=p.decay, k=p.k, shape=p.shape, beta=p.beta) for p in rep]
        for rep in model.replicates
    ]


def plan(
    model: BudgetModel,
    *,
    total_per_day: float | None = None,
    objective: pl.Objective = "revenue",
    margin: float = 1.0,
    minimum: Mapping[str, float] | None = None,
    maximum: Mapping[str, float] | None = None,
    fixed: Mapping[str, float] | None = None,
    max_change: float | None = None,
    label: str = "",
) -> PlanPublic:
    """The best allocation of ``total_per_day`` (default: today's total) under the limits,
    beside the current allocation, both with their 90% bands."""
    names = [c.channel for c in model.channels]
    groups = [c.group for c in model.channels]
    current = np.array([c.current_per_day for c in model.channels])
    total = float(current.sum()) if total_per_day is None else float(total_per_day)
    if total <= 0:
        raise InvalidInput("the total budget per day must be above 0", details={"field": "total"})
    if margin <= 0:
        raise InvalidInput("the margin must be above 0", details={"field": "margin"})
    curves = _curves(model)
    rules = pl.Constraints(
        minimum=dict(minimum or {}),
        maximum=dict(maximum or {}),
        fixed=dict(fixed or {}),
        max_change=max_change,
        max_change_of={
            c.channel: UNSURE_CHANGE
            for c in model.channels
            if c.low_variation and not _named(c, minimum, maximum, fixed)
        },
    )
    try:
        found = pl.optimise(
            curves,
            total,
            names=names,
            groups=groups,
            current=current,
            rules=rules,
            objective=objective,
            margin=margin,
        )
    except pl.InfeasiblePlan as exc:
        raise InvalidInput(str(exc), details={"field": "limits"}) from None
    reps = _replicates(model)
    low, high = pl.band(reps, found.allocation)
    cur_low, cur_high = pl.band(reps, current)
    cur_rev = pl.response(curves, current)
    new_rev = pl.response(curves, found.allocation)
    rows = [
        AllocationRowPublic(
            channel=c.channel,
            group=c.group,
            country=c.country,
            current=float(current[i]),
            planned=float(found.allocation[i]),
            change=float(found.allocation[i] / current[i] - 1) if current[i] > 0 else None,
            revenue_current=float(cur_rev[i]),
            revenue_planned=float(new_rev[i]),
            marginal_roi=float(curves[i].marginal(found.allocation[i])),
        )
        for i, c in enumerate(model.channels)
    ]
    return PlanPublic(
        currency=model.currency,
        objective=objective,
        margin=margin,
        total_per_day=total,
        allocation={n: round(float(v), 2) for n, v in zip(names, found.allocation, strict=True)},
        expected=found.revenue,
        expected_low=_finite(low),
        expected_high=_finite(high),
        current=float(cur_rev.sum()),
        current_low=_finite(cur_low),
        current_high=_finite(cur_high),
        current_total_per_day=float(current.sum()),
        profit=found.profit,
        current_profit=float(margin * cur_rev.sum() - current.sum()),
        rows=rows,
        label=label,
    )


def _named(channel: ChannelFitPublic, *limits: Mapping[str, float] | None) -> bool:
    return any(channel.channel in (m or {}) or channel.group in (m or {}) for m in limits)


def _finite(value: float) -> float | None:
    return value if np.isfinite(value) else None


#: the what-ifs beside a plan: the total budget changed by these shares
WHAT_IF = (-0.2, 0.0, 0.2, 0.5)


def scenarios(
    model: BudgetModel,
    *,
    totals: list[float] | None = None,
    objective: pl.Objective = "revenue",
    margin: float = 1.0,
    minimum: Mapping[str, float] | None = None,
    maximum: Mapping[str, float] | None = None,
    fixed: Mapping[str, float] | None = None,
    max_change: float | None = None,
) -> ScenariosPublic:
    """Plans for several totals side by side (default: today's total −20%, +0, +20%, +50%)."""
    base = sum(c.current_per_day for c in model.channels)
    wanted = totals or [base * (1 + s) for s in WHAT_IF]
    out = []
    for total in wanted:
        try:
            out.append(
                plan(
                    model,
                    total_per_day=total,
                    objective=objective,
                    margin=margin,
                    minimum=minimum,
                    maximum=maximum,
                    fixed=fixed,
                    max_change=max_change,
                    label=f"{total:,.0f}",
                )
            )
        except InvalidInput:
            continue
    return ScenariosPublic(currency=model.currency, scenarios=out)


def curves(model: BudgetModel, *, points: int = 40) -> CurvesPublic:
    """Each channel's revenue per day against spend per day (0 … 3× its largest of mean
    and current spend), with the bootstrap's 90% band."""
    fitted = _curves(model)
    reps = _replicates(model)
    out = []
    for i, c in enumerate(model.channels):
        top = 3 * max(c.spend_per_day, c.current_per_day, c.half_saturation / 3, 1.0)
        grid = np.linspace(0, top, points)
        y = fitted[i].response(grid)
        if reps:
            sims = np.array([rep[i].response(grid) for rep in reps])
            low, high = np.percentile(sims, [5, 95], axis=0)
        else:
            low = high = None
        out.append(
            ChannelCurvePublic(
                channel=c.channel,
                current=c.current_per_day,
                points=[
                    CurvePointPublic(
                        spend=float(grid[j]),
                        revenue=float(y[j]),
                        low=None if low is None else float(low[j]),
                        high=None if high is None else float(high[j]),
                    )
                    for j in range(points)
                ],
            )
        )
    return CurvesPublic(currency=model.currency, curves=out)


FORWARD_NOTE = N_(
    "Each week's expected revenue is the fitted baseline of its days (trend, weekday, "
    "public holidays and festivals) plus what its ads bring. The curves are the same every "
    "week: the data give no sign that an ad works better in a festival week."
)


def forward(
    model: BudgetModel,
    *,
    start: date | None = None,
    weeks: int = 12,
    total_per_day: float | None = None,
    market: str | None = None,
    uplift: float = 0.0,
    objective: pl.Objective = "revenue",
    margin: float = 1.0,
    minimum: Mapping[str, float] | None = None,
    maximum: Mapping[str, float] | None = None,
    fixed: Mapping[str, float] | None = None,
    max_change: float | None = None,
    language: str = "en",
) -> ForwardPlanPublic:
    """A plan for ``weeks`` weeks from ``start`` (default: the day after the data end),
    with the public holidays and shopping festivals of ``market`` (default: the model's)
    marked and, with ``uplift``, more budget in festival weeks and their lead time."""
    from datetime import timedelta

    from tradewinds.budget import forward as fw
    from tradewinds.markets.service import calendar

    if not 1 <= weeks <= 104:
        raise InvalidInput("weeks must be between 1 and 104", details={"field": "weeks"})
    if not 0 <= uplift <= 5:
        raise InvalidInput("the uplift must be between 0 and 5", details={"field": "uplift"})
    first = start or model.end + timedelta(days=1)
    code = market or model.market
    total = (
        sum(c.current_per_day for c in model.channels) if total_per_day is None else total_per_day
    )
    events = []
    if code:
        last = first + timedelta(days=7 * weeks + 7)
        for year in range(first.year, last.year + 1):
            try:
                found = calendar(
                    code, year, kinds={"public_holiday", "festival"}, language=language
                )
                events.extend(found.events)
            except ValueError as exc:
                raise InvalidInput(str(exc), details={"field": "market"}) from None

    def plan_for(daily: float) -> PlanPublic:
        return plan(
            model,
            total_per_day=daily,
            objective=objective,
            margin=margin,
            minimum=minimum,
            maximum=maximum,
            fixed=fixed,
            max_change=max_change,
        )

    weeks_out = fw.weeks_ahead(
        model,
        start=first,
        weeks=weeks,
        total_per_day=total,
        events=events,
        plan_for=plan_for,
        uplift=uplift,
    )
    return ForwardPlanPublic(
        currency=model.currency,
        market=code,
        total_per_day=total,
        weeks=weeks_out,
        note=FORWARD_NOTE,
    )


def parse_limits(values: list[str] | None, *, field: str) -> dict[str, float]:
    """``["google=500", "meta · DE=200"]`` → ``{"google": 500.0, …}``; refuses a value that
    is not ``CHANNEL=AMOUNT`` or an amount below 0, naming the field."""
    out: dict[str, float] = {}
    for value in values or []:
        name, sep, amount = value.rpartition("=")
        try:
            number = float(amount)
        except ValueError:
            number = -1.0
        if not sep or not name.strip() or not np.isfinite(number) or number < 0:
            raise InvalidInput(
                f"{field} must be CHANNEL=AMOUNT with an amount of 0 or more "
                f"(e.g. google=500): {value!r}",
                details={"field": field},
            )
        out[name.strip()] = number
    return out
