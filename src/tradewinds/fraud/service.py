"""What the CLI, the API and the page call: score a click file, a workspace's report,
its exclusion lists and its evidence pack."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from tradewinds.fraud import clicks, models, rules, scoring
from tradewinds.fraud.schemas import (
    BreakdownRowPublic,
    ClickScorePublic,
    FraudReportPublic,
    ModelInfoPublic,
    ReasonPublic,
    RuleCountPublic,
    ScoreSummaryPublic,
)
from tradewinds.i18n_markers import N_, Text

if TYPE_CHECKING:
    from tradewinds.analytics.filters import ReportScope
    from tradewinds.warehouse.backend import Warehouse

Translate = Callable[[str], str]


def _same(text: str) -> str:
    return str(text)


def train_model(log: clicks.ClickLog) -> models.AttributionModel:
    """The supervised model, trained on a labelled click log."""
    from tradewinds.errors import InvalidInput
    from tradewinds.fraud import features

    if not log.has_labels:
        raise InvalidInput(
            Text(
                "%(file)s has no labels: a training file needs is_attributed (TalkingData) "
                "or conversion_time (click log)",
                file=log.source,
            ),
            details={"file": log.source, "field": "is_attributed"},
        )
    return models.train(features.build(log), log.frame["label"].to_numpy())


def score_file(
    path: Path,
    fmt: str,
    *,
    train: Path | None = None,
    rules_path: Path | None = None,
    explain: int = 10_000,
) -> tuple[clicks.ClickLog, scoring.Scores, rules.RuleSet]:
    """Read, (train,) score: the click log, its scores and the rules used."""
    rule_set = rules.load_rules(rules_path)
    model = train_model(clicks.read(train, fmt)) if train is not None else None
    log = clicks.read(path, fmt)
    return log, scoring.score(log, rule_set, model=model, explain=explain), rule_set


def reason_public(reason: scoring.ClickReason, tr: Translate = _same) -> ReasonPublic:
    return ReasonPublic(
        source=reason.source,
        code=reason.code,
        text=tr(reason.text),
        contribution=reason.contribution,
        value=reason.value,
    )


def click_rows(scores: scoring.Scores, tr: Translate = _same) -> Iterator[ClickScorePublic]:
    """One verdict per click, in file order."""
    total = scores.score
    flagged = scores.flagged
    any_hit = scores.rule_hits.hits.any(axis=1)
    for i in range(len(total)):
        reasons = (
            [reason_public(r, tr) for r in scores.reasons(i)]
            if (flagged[i] or any_hit[i] or scores.anomaly[i] > scoring.ANOMALY_SHOWN)
            else []
        )
        yield ClickScorePublic(
            row=i + 1, score=round(float(total[i]), 4), flagged=bool(flagged[i]), reasons=reasons
        )


def summary(
    log: clicks.ClickLog, scores: scoring.Scores, rule_set: rules.RuleSet, tr: Translate = _same
) -> ScoreSummaryPublic:
    counts = scores.rule_hits.hits.sum(axis=0)
    by_rule = [
        RuleCountPublic(rule=r.id, text=tr(r.text(provider="…")), clicks=int(c))
        for r, c in zip(rule_set.rules, counts, strict=True)
        if c
    ]
    by_rule.sort(key=lambda r: -r.clicks)
    model = None
    if scores.model is not None:
        model = ModelInfoPublic(
            trained_on=scores.model.trained_on,
            genuine_rate=round(scores.model.label_rate, 6),
            features=scores.model.feature_names,
        )
    n = len(log)
    flagged = int(np.sum(scores.flagged))
    return ScoreSummaryPublic(
        source=log.source,
        format=log.format,
        clicks=n,
        flagged=flagged,
        flagged_share=round(flagged / n, 6) if n else 0.0,
        rules_version=rule_set.version,
        by_rule=by_rule,
        model=model,
    )


# --- a workspace's invalid traffic ----------------------------------------------------


@dataclass
class WorkspaceScan:
    """A workspace's clicks of a period, scored (what the report, exports and evidence use)."""

    log: clicks.ClickLog | None
    scores: scoring.Scores | None
    rule_set: rules.RuleSet
    sources: list[str]


def scan(*, warehouse: Warehouse | None, scope: ReportScope, workspace_key: str) -> WorkspaceScan:
    from tradewinds.fraud import store

    rule_set = store.rules_for(workspace_key)
    log, sources = store.workspace_clicks(
        workspace_key, warehouse, scope.utc_start(), scope.utc_end()
    )
    if log is None or len(log) == 0:
        return WorkspaceScan(None, None, rule_set, sources)
    return WorkspaceScan(log, scoring.score(log, rule_set, explain=0), rule_set, sources)


def _spend(warehouse: Warehouse | None, scope: ReportScope, currency: str) -> dict[str, float]:
    from dataclasses import replace

    from tradewinds.analytics import service as analytics
    from tradewinds.fraud.wasted import campaign_key

    if warehouse is None:
        return {}
    found = analytics.metrics_report(
        warehouse=warehouse,
        currency=currency,
        scope=replace(scope, group_by=("channel", "campaign")),
        metrics=("spend",),
    )
    rows = [r for r in found.rows if r.get("spend")]
    if not rows:
        return {}
    keys = campaign_key(
        pd.Series([str(r["channel"]) for r in rows]), pd.Series([str(r["campaign"]) for r in rows])
    )
    return {k: float(r["spend"]) for k, r in zip(keys, rows, strict=True)}


def report(
    *,
    warehouse: Warehouse | None,
    scope: ReportScope,
    currency: str,
    workspace_key: str,
    workspace_name: str,
    tr: Translate = _same,
) -> FraudReportPublic:
    """Invalid clicks and wasted spend of a workspace's period (``wasted.py`` defines it)."""
    from tradewinds.fraud import wasted

    found = scan(warehouse=warehouse, scope=scope, workspace_key=workspace_key)
    spend = _spend(warehouse, scope, currency)
    total_spend = wasted.money(sum(spend.values())) if spend else None
    notes: list[str] = []
    if found.log is None or found.scores is None:
        notes.append(tr(NO_CLICKS))
        empty: list[BreakdownRowPublic] = []
        return FraudReportPublic(
            workspace=workspace_name,
            start=scope.start,
            end=scope.end,
            currency=currency,
            clicks=0,
            invalid_clicks=0,
            invalid_rate=0.0,
            spend=total_spend,
            wasted_spend=None,
            wasted_definition=tr(wasted.DEFINITION),
            click_sources=found.sources,
            campaigns=empty,
            placements=empty,
            networks=empty,
            countries=empty,
            by_rule=[],
            notes=notes,
        )
    log, scores = found.log, found.scores
    parts = wasted.breakdowns(log.frame, scores.flagged, spend)
    priced = [r.wasted_spend for r in parts["campaigns"] if r.wasted_spend is not None]
    n = len(log)
    invalid = int(scores.flagged.sum())
    by_rule = summary(log, scores, found.rule_set, tr).by_rule
    return FraudReportPublic(
        workspace=workspace_name,
        start=scope.start,
        end=scope.end,
        currency=currency,
        clicks=n,
        invalid_clicks=invalid,
        invalid_rate=round(invalid / n, 4) if n else 0.0,
        spend=total_spend,
        wasted_spend=sum(priced, Decimal("0")) if priced else None,
        wasted_definition=tr(wasted.DEFINITION),
        click_sources=found.sources,
        campaigns=parts["campaigns"],
        placements=parts["placements"],
        networks=parts["networks"],
        countries=parts["countries"],
        by_rule=by_rule,
        notes=notes,
    )


def exclusion_list(
    *, warehouse: Warehouse | None, scope: ReportScope, workspace_key: str, kind: str
) -> str:
    from tradewinds.fraud import exports

    if kind not in exports.KINDS:
        exports.export(clicks.ClickLog(pd.DataFrame(), "clicks", "", 1, True), np.array([]), kind)
    found = scan(warehouse=warehouse, scope=scope, workspace_key=workspace_key)
    if found.log is None or found.scores is None:
        empty = clicks.ClickLog(
            pd.DataFrame({c: [] for c in ("ip", "campaign", "placement", "network")}),
            "clicks",
            "",
            1,
            True,
        )
        return exports.export(empty, np.zeros(0, dtype=bool), kind)
    return exports.export(found.log, found.scores.flagged, kind)


def evidence_pack(
    *,
    warehouse: Warehouse | None,
    scope: ReportScope,
    currency: str,
    workspace_key: str,
    workspace_name: str,
    network: str,
) -> bytes:
    """The refund-claim ZIP of one network's flagged clicks in the period."""
    from tradewinds.fraud import evidence, wasted

    found = scan(warehouse=warehouse, scope=scope, workspace_key=workspace_key)
    rows: list[int] = []
    clicks_n = 0
    campaigns: list[BreakdownRowPublic] = []
    by_rule: list[tuple[str, int]] = []
    if found.log is not None and found.scores is not None:
        nets = found.log.frame["network"].astype(str).str.lower().to_numpy()
        mine = nets == network.lower()
        clicks_n = int(mine.sum())
        rows = [int(i) for i in np.flatnonzero(mine & found.scores.flagged)]
        spend = _spend(warehouse, scope, currency)
        subset = found.log.frame.loc[mine]
        parts = wasted.breakdowns(subset, found.scores.flagged[mine], spend)
        campaigns = parts["campaigns"]
        hits = found.scores.rule_hits.hits[mine & found.scores.flagged]
        by_rule = [
            (str(r.text(provider="…")), int(c))
            for r, c in zip(found.rule_set.rules, hits.sum(axis=0), strict=True)
            if c
        ]
    text = (
        evidence.clicks_csv(found.log, found.scores, rows)
        if rows
        else ",".join(evidence.CLICK_COLUMNS) + "\n"
    )
    summary_page = evidence.summary_html(
        workspace=workspace_name,
        network=network,
        start=scope.start,
        end=scope.end,
        currency=currency,
        clicks=clicks_n,
        invalid=len(rows),
        by_rule=by_rule,
        campaigns=campaigns,
        definition=str(wasted.DEFINITION),
    )
    return evidence.pack(text, summary_page)


NO_CLICKS = N_(
    "No clicks yet: import a click log (tradewinds fraud import, or the form below) or send "
    "page events with ad click ids to the collector."
)
