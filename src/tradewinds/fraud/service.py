"""What the CLI, the API and the page call: score a click file, a workspace's report,
its exclusion lists and its evidence pack."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np

from tradewinds.fraud import clicks, models, rules, scoring
from tradewinds.fraud.schemas import (
    ClickScorePublic,
    ModelInfoPublic,
    ReasonPublic,
    RuleCountPublic,
    ScoreSummaryPublic,
)
from tradewinds.i18n_markers import Text

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
