"""One invalid-traffic score per click, from the rules, the anomaly model and (when trained)
the supervised model, with the reasons behind each flag.

The score (higher = more likely invalid), for a click with rule score ``r`` (``rules.py``),
anomaly ``a`` of its IP (``models.SourceAnomaly``) and, with a trained model, ``p`` =
P(genuine) and ``π`` = the mean of ``p`` over the training clicks::

    m     = 1 − p / (p + π)          # 0.5 for a click as likely genuine as the average one
    score = 1 − (1 − r) · (1 − (w_model · m + w_anomaly · a))     # with a model
    score = 1 − (1 − r) · (1 − a)                                 # without one

``w_model`` and ``w_anomaly`` are the rule set's ``blend``; a click is ``flagged`` when its
score reaches ``flag_threshold``. ``m`` falls as ``p`` rises, so ranking clicks by ``1 −
score`` ranks them as the model's P(genuine) does wherever no rule fires.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from tradewinds.explain import RowExplanation, top_reasons
from tradewinds.fraud import features as feature_defs
from tradewinds.fraud import models, rules
from tradewinds.fraud.clicks import ClickLog
from tradewinds.i18n_markers import N_, Number, Text

#: what each model feature means, for the reasons a seller reads
FEATURE_LABELS = {
    "hour": N_("hour of the click"),
    "ip_clicks_per_hour": N_("clicks per hour from this IP address"),
    "ip_hour_clicks": N_("clicks from this IP address in the same hour"),
    "ip_campaign_per_hour": N_("clicks per hour from this IP address on this campaign"),
    "ip_device_campaign_per_hour": N_("clicks per hour from this device on this campaign"),
    "ip_campaigns": N_("campaigns clicked from this IP address"),
    "ip_placements": N_("placements clicked from this IP address"),
    "ip_devices": N_("devices seen on this IP address"),
    "ip_device_campaigns": N_("campaigns clicked from this device"),
    "next_click_seconds": N_("seconds to this device's next click on the campaign"),
    "prev_click_seconds": N_("seconds since this device's last click on the campaign"),
    "placement_share": N_("share of all clicks from this placement"),
    "campaign_share": N_("share of all clicks on this campaign"),
    "campaign_placement_share": N_("share of all clicks on this campaign and placement"),
    "app": N_("app advertised"),
    "os": N_("operating system"),
    "device_type": N_("device type"),
    "channel": N_("placement (channel)"),
    "campaign": N_("campaign"),
    "placement": N_("placement"),
    "network": N_("ad network"),
    "country": N_("country"),
}
#: an IP's anomaly above which its clicks name it among their reasons
ANOMALY_SHOWN = 0.25
MODEL_REASON = N_("%(feature)s = %(value)s makes a genuine click less likely")
ANOMALY_REASON = N_(
    "Unusual traffic from this IP address: %(clicks)s clicks on %(devices)s devices, up to "
    "%(peak)s in one minute"
)


@dataclass(frozen=True)
class ClickReason:
    """Why a click scored as it did: a rule it hit, a model feature, or its source's anomaly."""

    source: str  # rule | model | anomaly
    code: str  # the rule id, the model feature, or "ip"
    text: Text
    contribution: float | None = None  # model: SHAP value (log-odds of a genuine click)
    value: float | None = None


@dataclass
class Scores:
    """Scores of a click log, in its order, and what is needed to explain them."""

    score: np.ndarray
    flagged: np.ndarray
    rule_hits: rules.RuleHits
    anomaly: np.ndarray
    genuine: np.ndarray | None  # P(genuine) of the model, when trained
    model: models.AttributionModel | None
    features: feature_defs.Features
    sources: models.SourceAnomaly
    explanations: dict[int, RowExplanation] = field(default_factory=dict)

    def __post_init__(self) -> None:
        table = self.sources.table
        self._source_values = table[["clicks", "distinct_devices", "peak_minute_clicks"]].to_numpy(
            dtype=np.int64
        )

    def reasons(self, i: int) -> list[ClickReason]:
        hits = self.rule_hits
        out = [
            ClickReason("rule", hits.rules[j].id, text)
            for j, text in zip(hits.rule_indexes(i), hits.reasons(i), strict=True)
        ]
        if self.anomaly[i] > ANOMALY_SHOWN:
            clicks, devices, peak = self._source_values[int(self.features.ip_code[i])]
            out.append(
                ClickReason(
                    "anomaly",
                    "ip",
                    Text(ANOMALY_REASON, clicks=int(clicks), devices=int(devices), peak=int(peak)),
                    value=round(float(self.anomaly[i]), 4),
                )
            )
        explanation = self.explanations.get(i)
        if explanation is not None:
            vocab = self.model.vocab if self.model is not None else {}
            for reason in explanation.reasons:
                if reason.value is None:
                    value: str | Number = "—"
                elif reason.feature in vocab:  # a category's code: show the category
                    value = vocab[reason.feature][int(reason.value)]
                else:
                    value = Number(reason.value, 0 if float(reason.value).is_integer() else 2)
                label = Text(FEATURE_LABELS.get(reason.feature, reason.feature))
                out.append(
                    ClickReason(
                        "model",
                        reason.feature,
                        Text(MODEL_REASON, feature=label, value=value),
                        contribution=round(reason.contribution, 4),
                        value=reason.value,
                    )
                )
        return out


def score(
    log: ClickLog,
    rule_set: rules.RuleSet,
    *,
    model: models.AttributionModel | None = None,
    explain: int = 10_000,
    ranges: rules.Ranges | None = None,
) -> Scores:
    """Score every click of ``log``; explain the model's part of up to ``explain`` flagged
    clicks (the highest scores first) with SHAP values."""
    hits = rules.apply(log, rule_set, ranges=ranges)
    f = feature_defs.build(log)
    sources = models.source_anomaly(f.ip_code, f, log.frame)
    a = sources.per_click
    genuine = None
    if model is not None:
        genuine = model.predict(f)
        pi = model.base_rate or float(np.mean(genuine))
        m = 1.0 - genuine / (genuine + pi)
        part = rule_set.blend.model * m + rule_set.blend.anomaly * a
    else:
        part = a
    total = 1.0 - (1.0 - hits.score) * (1.0 - np.clip(part, 0, 1))
    flagged = total >= rule_set.flag_threshold
    out = Scores(total, flagged, hits, a, genuine, model, f, sources)
    if model is not None and explain > 0 and flagged.any():
        chosen = np.flatnonzero(flagged)
        chosen = chosen[np.argsort(-total[chosen], kind="stable")[:explain]]
        chosen.sort()
        out.explanations = explain_rows(model, f, chosen)
    return out


def explain_rows(
    model: models.AttributionModel, f: feature_defs.Features, rows: np.ndarray, *, top: int = 3
) -> dict[int, RowExplanation]:
    """SHAP reasons (``shap.TreeExplainer``, exact TreeSHAP) that push each of ``rows``
    towards *invalid*: the features most lowering the log-odds of a genuine click."""
    from tradewinds.explain.reasons import tree_shap

    x = model.matrix(f).iloc[rows].to_numpy(dtype=np.float64)
    contrib, base = tree_shap(model.booster, x)
    found = top_reasons(contrib, x, model.feature_names, base_value=base, top=top, direction="down")
    return dict(zip((int(r) for r in rows), found, strict=True))
