"""Scoring speed: 10 million clicks, rules + anomaly model + trained model.

  .venv/bin/python bench/fraud_speed.py [ROWS]

Builds ROWS (default 10,000,000) TalkingData clicks by resampling the real sample
(numpy, vectorised): rows drawn with replacement, IPs spread over 100 copies of the
sample's address space, click times jittered within the sample's three days. Trains the
model on the real sample, then times ``scoring.score`` (every rule, the features, the
isolation forest over the IPs, LightGBM on every core) without SHAP explanations, which
``fraud score --explain N`` adds for N flagged clicks.

Target (exit status 0 only when it holds): 10M clicks scored in at most 60 s.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from tradewinds.fraud import clicks, rules, scoring, service

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
SAMPLE = SHARED / "click_fraud" / "talkingdata_train_sample.csv.gz"
TARGET_SECONDS = 60.0


def synthetic(sample: clicks.ClickLog, rows: int, seed: int = 1) -> clicks.ClickLog:
    rng = np.random.default_rng(seed)
    src = sample.frame
    pick = rng.integers(0, len(src), rows)
    seconds = src["click_time"].to_numpy().astype("datetime64[s]").astype(np.int64)
    start, end = seconds.min(), seconds.max()
    jitter = rng.integers(-1800, 1800, rows) // 60 * 60
    times = np.clip(seconds[pick] + jitter, start, end).astype("datetime64[s]")
    ip = src["ip"].to_numpy()[pick] + 400_000 * rng.integers(0, 100, rows)
    raw = pd.DataFrame(
        {
            "ip": ip,
            "app": src["app"].to_numpy()[pick],
            "device": src["device_type"].to_numpy()[pick],
            "os": src["os"].to_numpy()[pick],
            "channel": src["channel"].to_numpy()[pick],
        }
    )
    frame = pd.DataFrame({"click_time": times})
    for column in ("ip", "app", "os", "channel"):
        frame[column] = raw[column].to_numpy()
    frame["device_type"] = raw["device"].to_numpy()
    frame["device"] = frame["device_type"] * 100_000 + frame["os"]
    frame["placement"] = frame["channel"]
    frame["campaign"] = frame["app"]
    frame["network"] = "talkingdata"
    return clicks.ClickLog(frame, "talkingdata", "synthetic", 60, False)


def main() -> int:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
    sample = clicks.read(SAMPLE, "talkingdata")
    started = time.perf_counter()
    log = synthetic(sample, rows)
    print(f"built {rows:,} synthetic clicks in {time.perf_counter() - started:.1f} s")
    model = service.train_model(sample)
    rule_set = rules.load_rules()
    started = time.perf_counter()
    scored = scoring.score(log, rule_set, model=model, explain=0)
    took = time.perf_counter() - started
    print(
        f"scored {rows:,} clicks in {took:.1f} s ({rows / took:,.0f} clicks/s, "
        f"{os.cpu_count()} cores); flagged {scored.flagged.mean():.1%}; "
        f"{len(scored.sources.table):,} IPs in the anomaly model"
    )
    target = TARGET_SECONDS * rows / 10_000_000
    ok = took <= target
    print(f"target: {rows:,} clicks in at most {target:.0f} s: {'yes' if ok else 'NO'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
