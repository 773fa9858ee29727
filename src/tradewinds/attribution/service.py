"""Attribution services: load paths once, run the pure models, shape the answer."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from tradewinds.analytics.campaign_match import (
    TouchCampaigns,
    TouchMapping,
    build_catalog,
    campaign_labels,
    match_touches,
)
from tradewinds.analytics.filters import MAX_DAYS
from tradewinds.attribution.channels import ChannelRules, group_channels, load_rules
from tradewinds.attribution.fetch import JourneyData, day_start, load_journeys
from tradewinds.attribution.models.catalog import MODEL_NAMES, ModelSettings, run_model
from tradewinds.attribution.models.markov import fit_chain
from tradewinds.attribution.models.shapley import ordered_shapley
from tradewinds.attribution.pathfile import read_path_file
from tradewinds.attribution.paths import PathOptions, build_paths, person_ids, split_untracked
from tradewinds.attribution.pathtable import ChannelCredit, PathTable
from tradewinds.errors import InvalidInput
from tradewinds.i18n_markers import Number, Text

if TYPE_CHECKING:
    from tradewinds.analytics.metrics import Coverage
    from tradewinds.warehouse.backend import Warehouse

#: the path name given to an order without a tracked touch before it; such orders are
#: taken out before the models run (they are reported as not credited, not as a channel)
UNTRACKED = "\x00untracked"
NOT_ATTRIBUTED = Text(
    "no tracked touch from this channel in the period: its orders (if any) "
    "cannot be attributed, so its return is unknown, not zero"
)

#: the longest period one attribution report covers (days, the same as every report's,
#: ``analytics.filters.MAX_DAYS``) and the longest lookback before its first day
MAX_WINDOW_DAYS = MAX_DAYS
MAX_LOOKBACK_DAYS = 365


def check_window(*, date_from: date, date_to: date, lookback_days: int) -> None:
    """Refuse a period or a lookback beyond what a report covers (422, naming the field)."""
    if date_to < date_from:
        raise InvalidInput("the end date is before the start date", details={"field": "from"})
    days = (date_to - date_from).days + 1
    if days > MAX_WINDOW_DAYS:
        raise InvalidInput(
            f"the period covers {days:,} days; an attribution report covers at most "
            f"{MAX_WINDOW_DAYS:,} days: choose a later 'from' or an earlier 'to'",
            details={"field": "from", "max_days": MAX_WINDOW_DAYS},
        )
    if not 1 <= lookback_days <= MAX_LOOKBACK_DAYS:
        raise InvalidInput(
            f"the lookback is {lookback_days} days; it must be 1 to {MAX_LOOKBACK_DAYS} days",
            details={"field": "lookback", "max_days": MAX_LOOKBACK_DAYS},
        )


@dataclass(frozen=True)
class ModelOutcome:
    """One model's credit, or why it could not run on this data."""

    model: str
    credit: ChannelCredit | None
    error: str | None = None


def prepare_table(table: PathTable, *, collapse_repeats: bool = False) -> PathTable:
    return table.collapse_repeats() if collapse_repeats else table


def attribute_path_file(
    *,
    file: Path | str,
    model: str,
    settings: ModelSettings | None = None,
    sep: str = ";",
    path_sep: str = ">",
    collapse_repeats: bool = False,
) -> ChannelCredit:
    """Read a ChannelAttribution-style path file and attribute it with ``model``."""
    if model not in MODEL_NAMES:
        raise ValueError(f"unknown model {model!r}; choose one of {', '.join(MODEL_NAMES)}")
    table = read_path_file(file, sep=sep, path_sep=path_sep)
    return run_model(prepare_table(table, collapse_repeats=collapse_repeats), model, settings)


def ordered_shapley_file(
    *, file: Path | str, sep: str = ";", path_sep: str = ">", collapse_repeats: bool = False
) -> dict[str, object]:
    """Zhao et al.'s ordered Shapley value of a path file: per-channel credit plus the
    conversions credited at each position where the channel first appeared."""
    table = prepare_table(
        read_path_file(file, sep=sep, path_sep=path_sep), collapse_repeats=collapse_repeats
    )
    credit, by_position = ordered_shapley(table)
    payload = credit_payload(credit)
    payload["positions"] = {
        channel: [float(v) for v in row]
        for channel, row in zip(table.channels, by_position, strict=True)
    }
    return payload


def compare_models(
    *,
    table: PathTable,
    settings: ModelSettings | None = None,
    models: Iterable[str] = MODEL_NAMES,
) -> list[ModelOutcome]:
    """Run several models on the same paths; a model that cannot run says why."""
    outcomes = []
    for model in models:
        try:
            outcomes.append(ModelOutcome(model, run_model(table, model, settings)))
        except ValueError as exc:
            outcomes.append(ModelOutcome(model, None, str(exc)))
    return outcomes


def credit_payload(credit: ChannelCredit) -> dict[str, object]:
    """The JSON shape shared by the CLI and the API."""
    return {"channels": credit.as_rows()}


# -- over a workspace's warehouse ---------------------------------------------------------

Level = Literal["channel", "campaign"]


@dataclass(frozen=True)
class AttributionRow:
    key: str  # the channel, or "channel / campaign"
    conversions: float
    value: float
    spend: float | None
    roas: float | None  # attributed value per unit of spend
    cpa: float | None = None  # spend per attributed conversion
    #: why ROAS is not shown (None when it is)
    roas_note: str | None = None


@dataclass(frozen=True)
class WorkspaceAttribution:
    model: str
    level: str
    currency: str
    date_from: date
    date_to: date
    rows: list[AttributionRow]
    journeys: int
    converting_journeys: int
    total_conversions: float
    total_value: float
    total_spend: float
    missing_rates: int
    error: str | None = None
    #: orders and revenue of the period as every screen counts them, the part credited
    #: here and what is left out, by reason (``analytics.metrics.Coverage``)
    coverage: tuple[Coverage, ...] = ()
    #: ROAS of all the period's revenue over all its spend (``analytics.metrics``)
    store_roas: float | None = None

    def covers(self, metric: str) -> Coverage | None:
        return next((c for c in self.coverage if c.metric == metric), None)

    def to_dict(self) -> dict[str, object]:
        orders, revenue = self.covers("orders"), self.covers("revenue")
        return {
            "model": self.model,
            "level": self.level,
            "currency": self.currency,
            "from": self.date_from.isoformat(),
            "to": self.date_to.isoformat(),
            "journeys": self.journeys,
            "converting_journeys": self.converting_journeys,
            "total_conversions": self.total_conversions,
            "total_value": self.total_value,
            "total_spend": self.total_spend,
            "missing_fx_rates": self.missing_rates,
            "error": self.error,
            "orders_in_period": orders.total if orders else None,
            "orders_credited": orders.counted if orders else None,
            "orders_not_credited": dict(orders.left_out) if orders else {},
            "revenue_in_period": revenue.total if revenue else None,
            "revenue_credited": revenue.counted if revenue else None,
            "revenue_not_credited": dict(revenue.left_out) if revenue else {},
            "store_roas": self.store_roas,
            # the orders' coverage; the revenue's is in the revenue_* fields above (money)
            "coverage": [c.model_dump() for c in self.coverage if c.metric != "revenue"],
            "channels": [
                {
                    "channel": r.key,
                    "conversions": r.conversions,
                    "value": r.value,
                    "spend": r.spend,
                    "roas": r.roas,
                    "cpa": r.cpa,
                    "roas_note": r.roas_note,
                }
                for r in self.rows
            ],
        }


@dataclass(frozen=True)
class WorkspacePaths:
    table: PathTable
    spend_by_key: dict[str, float]
    data: JourneyData
    campaigns: TouchCampaigns | None = None  # at campaign level: each touch's campaign
    #: orders of the period without a tracked touch (taken out of ``table``) and their value
    untracked: float = 0.0
    untracked_value: float = 0.0
    #: orders of the period without a customer id (no journey can reach them) and their value
    anonymous: float = 0.0
    anonymous_value: float = 0.0


def workspace_paths(
    *,
    data: JourneyData,
    date_from: date,
    date_to: date,
    rules: ChannelRules | None = None,
    lookback_days: int = 30,
    collapse_repeats: bool = False,
    level: Level = "channel",
    timezone: str = "UTC",
    mappings: Iterable[TouchMapping] = (),
) -> WorkspacePaths:
    """Group touches into channels, stitch identities, and build the paths (pure); the
    range's days are those of ``timezone``."""
    grouping = rules or load_rules()
    touches = data.touches.copy()
    touches["person"] = person_ids(touches["customer_id"], touches["anonymous_id"], data.identities)
    channel = group_channels(touches, grouping)
    spend_channel = data.spend["platform"].map(grouping.spend_channel)
    matched = None
    if level == "campaign":
        catalog = build_catalog(data.spend)
        matched = match_touches(touches, catalog, mappings)
        labels = campaign_labels(catalog)
        campaign = touches["campaign"].astype(object).where(touches["campaign"].notna(), "")
        channel = [
            f"{grouping.spend_channel(p)} / {labels[(p, i)]}" if i else (f"{c} / {k}" if k else c)
            for c, k, p, i in zip(
                channel, campaign, matched.platform, matched.campaign_id, strict=True
            )
        ]
        spend_channel = pd.Series(
            [
                f"{c} / {labels.get((str(p).strip().casefold(), str(i).strip()), k or i)}"
                for c, p, i, k in zip(
                    spend_channel,
                    data.spend["platform"],
                    data.spend["campaign_id"],
                    data.spend["campaign"],
                    strict=True,
                )
            ],
            index=data.spend.index,
            dtype=object,
        )
    touches["channel"] = list(channel)
    options = PathOptions(
        lookback=timedelta(days=lookback_days),
        collapse_repeats=collapse_repeats,
        untracked_channel=UNTRACKED,
        start=day_start(date_from, timezone),
        end=day_start(date_to + timedelta(days=1), timezone),
    )
    table = build_paths(
        touches[["person", "occurred_at", "channel"]], data.conversions, options=options
    )
    table, untracked, untracked_value = split_untracked(table, UNTRACKED)
    conv = data.conversions
    when = pd.to_datetime(conv["occurred_at"])
    when = when.dt.tz_convert("UTC").dt.tz_localize(None) if when.dt.tz is not None else when
    in_range = (when >= options.start) & (when < options.end) & conv["person"].isna()
    spend = data.spend.assign(key=spend_channel).groupby("key")["spend"].sum()
    return WorkspacePaths(
        table,
        {str(k): float(v) for k, v in spend.items()},
        data,
        matched,
        untracked=untracked,
        untracked_value=untracked_value,
        anonymous=float(in_range.sum()),
        anonymous_value=float(conv.loc[in_range, "value"].sum()),
    )


def _report(
    *,
    model: str,
    level: str,
    currency: str,
    date_from: date,
    date_to: date,
    paths: WorkspacePaths,
    credit: ChannelCredit | None,
    error: str | None = None,
    totals: dict[str, Any] | None = None,
) -> WorkspaceAttribution:
    table = paths.table
    rows: list[AttributionRow] = []
    keys = list(table.channels) + [k for k in paths.spend_by_key if k not in table.channels]
    got = credit.by_channel() if credit is not None else {}
    tracked = set(table.channels)
    for key in keys:
        conv, value = got.get(key, (0.0, 0.0))
        spend = paths.spend_by_key.get(key)
        note = None
        if key not in tracked and spend:
            roas, note = None, NOT_ATTRIBUTED
        else:
            roas = value / spend if spend else None
        cpa = spend / conv if spend is not None and conv > 0 else None
        rows.append(AttributionRow(key, conv, value, spend, roas, cpa, note))
    rows.sort(key=lambda r: (-r.value, -r.conversions, r.key))
    totals = totals or {}
    spend_total = totals.get("spend")
    return WorkspaceAttribution(
        model=model,
        level=level,
        currency=currency,
        date_from=date_from,
        date_to=date_to,
        rows=rows,
        journeys=int(table.conversions.sum() + table.nulls.sum()),
        converting_journeys=int(table.conversions.sum()),
        total_conversions=float(table.conversions.sum()),
        total_value=float(table.value.sum()),
        total_spend=float(sum(paths.spend_by_key.values()) if spend_total is None else spend_total),
        missing_rates=paths.data.missing_rates,
        error=error,
        coverage=coverage(paths, totals) if totals else (),
        store_roas=totals.get("roas"),
    )


def coverage(paths: WorkspacePaths, totals: dict[str, Any]) -> tuple[Coverage, ...]:
    """The period's orders and revenue (as ``analytics.metrics`` defines them) against the
    part attribution credits: only orders with a tracked journey reach a channel."""
    from tradewinds.analytics.metrics import Coverage

    table = paths.table
    credited, value = float(table.conversions.sum()), float(table.value.sum())
    orders = float(totals.get("orders") or 0)
    revenue = float(totals.get("revenue") or 0)
    note = Text(
        "%(orders)s orders in the period; %(credited)s have a tracked journey and "
        "are credited here; %(untracked)s without a tracked touch and "
        "%(anonymous)s without a customer id are not.",
        orders=Number(orders),
        credited=Number(credited),
        untracked=Number(paths.untracked),
        anonymous=Number(paths.anonymous),
    )
    return (
        Coverage(
            metric="orders",
            total=orders,
            counted=credited,
            left_out={"no_tracked_journey": paths.untracked, "no_customer_id": paths.anonymous},
            note=note,
        ),
        Coverage(
            metric="revenue",
            total=revenue,
            counted=round(value, 2),
            left_out={
                "no_tracked_journey": round(paths.untracked_value, 2),
                "no_customer_id": round(paths.anonymous_value, 2),
            },
            note=Text(
                "%(revenue)s revenue in the period; %(value)s of orders with "
                "a tracked journey is credited here.",
                revenue=Number(revenue, 2),
                value=Number(value, 2),
            ),
        ),
    )


def period_totals(
    *, warehouse: Warehouse, currency: str, date_from: date, date_to: date, timezone: str
) -> dict[str, Any]:
    """Orders, revenue, spend and ROAS of the period from the one metrics service."""
    from tradewinds.analytics.filters import ReportScope
    from tradewinds.analytics.service import metrics_report

    scope = ReportScope(start=date_from, end=date_to, timezone=timezone)
    report = metrics_report(
        warehouse=warehouse,
        currency=currency,
        scope=scope,
        metrics=("orders", "revenue", "spend", "roas"),
    )
    return dict(report.total)


def attribute_workspace(
    *,
    warehouse: Warehouse,
    currency: str,
    date_from: date,
    date_to: date,
    models: Iterable[str] = ("markov",),
    settings: ModelSettings | None = None,
    level: Level = "channel",
    lookback_days: int = 30,
    collapse_repeats: bool = False,
    rules: ChannelRules | None = None,
    timezone: str = "UTC",
    mappings: Iterable[TouchMapping] | None = None,
) -> tuple[list[WorkspaceAttribution], WorkspacePaths]:
    """Attribute a workspace's orders in ``[date_from, date_to]`` (days in ``timezone``, the
    workspace's) with each of ``models``. At campaign level touches reach the campaigns of
    the spend rows (``campaign_match``); ``mappings`` default to the workspace's own."""
    check_window(date_from=date_from, date_to=date_to, lookback_days=lookback_days)
    for model in models:
        if model not in MODEL_NAMES:
            raise ValueError(f"unknown model {model!r}; choose one of {', '.join(MODEL_NAMES)}")
    data = load_journeys(
        warehouse=warehouse,
        date_from=date_from,
        date_to=date_to,
        lookback=timedelta(days=lookback_days),
        currency=currency,
        timezone=timezone,
    )
    if level == "campaign" and mappings is None:
        from tradewinds.analytics.campaigns import touch_mappings

        mappings = touch_mappings(workspace_key=getattr(warehouse, "workspace_key", ""))
    paths = workspace_paths(
        data=data,
        date_from=date_from,
        date_to=date_to,
        rules=rules,
        lookback_days=lookback_days,
        collapse_repeats=collapse_repeats,
        level=level,
        timezone=timezone,
        mappings=mappings or (),
    )
    totals = period_totals(
        warehouse=warehouse,
        currency=currency,
        date_from=date_from,
        date_to=date_to,
        timezone=timezone,
    )
    reports = []
    for outcome in compare_models(table=paths.table, settings=settings, models=models):
        reports.append(
            _report(
                model=outcome.model,
                level=level,
                currency=currency,
                date_from=date_from,
                date_to=date_to,
                paths=paths,
                credit=outcome.credit,
                error=outcome.error,
                totals=totals,
            )
        )
    return reports, paths


def transition_heatmap(table: PathTable, *, order: int = 1) -> dict[str, object]:
    """The Markov transition matrix as labels and a dense probability grid (for charts)."""
    if table.n_paths == 0:
        return {"labels": [], "matrix": []}
    chain = fit_chain(table, order=order)
    labels = chain.state_labels()
    dense = chain.transition_probabilities().toarray()
    start = chain.n_states
    order_rows = [start, *range(chain.n_states)]
    order_cols = [*range(chain.n_states), start + 1, start + 2]
    return {
        "from": [labels[i] for i in order_rows],
        "to": [labels[j] for j in order_cols],
        "matrix": dense[np.ix_(order_rows, order_cols)].round(6).tolist(),
    }
