"""Invalid-click scoring on the real TalkingData sample, with a time-based split.

  .venv/bin/python bench/fraud_accuracy.py [FILE] [--cut 0.75]

Trains the supervised model on the earlier clicks (before the ``--cut`` quantile of
``click_time``) and scores the later ones exactly as ``tradewinds fraud score --train``
does, with the later clicks' ``attributed_time`` and ``is_attributed`` removed first, so no
rule or feature sees the answer. Prints ROC-AUC and PR-AUC (average precision) for
predicting ``is_attributed`` (a genuine click) from:

* the model's P(genuine);
* the blended fraud score, as ``1 − score`` (rules + anomaly + model, ``scoring.py``);
* rules + anomaly only (no training file);
* the baseline: clicks per IP in the scored file (fewer clicks → more likely genuine).

Targets (exit status 0 only when both hold): the model and the blended score each beat
the clicks-per-IP baseline on ROC-AUC and on PR-AUC.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import average_precision_score, roc_auc_score

from tradewinds.fraud import clicks, rules, scoring, service

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
DEFAULT_FILE = SHARED / "click_fraud" / "talkingdata_train_sample.csv.gz"


def split(log: clicks.ClickLog, cut: float) -> tuple[clicks.ClickLog, clicks.ClickLog]:
    times = log.frame["click_time"]
    boundary = times.quantile(cut)
    train = log.subset((times < boundary).to_numpy())
    test = log.subset((times >= boundary).to_numpy())
    return train, test


def evaluate(path: Path, cut: float) -> dict[str, tuple[float, float]]:
    log = clicks.read(path, "talkingdata")
    train, test = split(log, cut)
    labels = test.frame["label"].to_numpy()
    blind = test.subset(np.ones(len(test), dtype=bool))
    blind.frame = blind.frame.drop(columns=["label", "conversion_time"])
    print(
        f"train: {len(train):,} clicks up to {train.frame['click_time'].max()} "
        f"({int(train.frame['label'].sum())} attributed); test: {len(test):,} clicks from "
        f"{test.frame['click_time'].min()} ({int(labels.sum())} attributed)"
    )
    rule_set = rules.load_rules()
    started = time.perf_counter()
    model = service.train_model(train)
    scored = scoring.score(blind, rule_set, model=model, explain=0)
    plain = scoring.score(blind, rule_set, explain=0)
    print(f"trained and scored in {time.perf_counter() - started:.1f} s")
    baseline = -scored.features.numeric["ip_clicks_per_hour"].to_numpy()
    found = {
        "model P(genuine)": scored.genuine,
        "blended 1 - score": 1 - scored.score,
        "rules + anomaly only": 1 - plain.score,
        "baseline: clicks per IP": baseline,
    }
    return {
        name: (roc_auc_score(labels, s), average_precision_score(labels, s))
        for name, s in found.items()
    }


def main() -> int:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    cut = 0.75
    if "--cut" in sys.argv:
        cut = float(sys.argv[sys.argv.index("--cut") + 1])
        args = [a for a in args if a != str(sys.argv[sys.argv.index("--cut") + 1])]
    path = Path(args[0]) if args else DEFAULT_FILE
    results = evaluate(path, cut)
    print(f"{'predicting is_attributed':<26} {'ROC-AUC':>8} {'PR-AUC':>8}")
    for name, (roc, pr) in results.items():
        print(f"{name:<26} {roc:>8.4f} {pr:>8.4f}")
    base_roc, base_pr = results["baseline: clicks per IP"]
    ok = True
    for name in ("model P(genuine)", "blended 1 - score"):
        roc, pr = results[name]
        beats = roc > base_roc and pr > base_pr
        ok &= beats
        print(f"target: {name} beats the baseline on both: {'yes' if beats else 'NO'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
