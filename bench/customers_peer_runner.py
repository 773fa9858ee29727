"""Runs inside bench/.venv-lifetimes: fit lifetimes' models on a summary CSV, time each step.

Reads a JSON job on stdin: {"summary_csv": path, "clv": bool, "repeats": int};
writes JSON on stdout. Not part of Tradewinds (lifetimes is only a benchmark peer).
"""

import json
import sys
import time
import warnings

import pandas as pd
from lifetimes import BetaGeoFitter, GammaGammaFitter

warnings.filterwarnings("ignore")


def main():
    job = json.loads(sys.stdin.read())
    summary = pd.read_csv(job["summary_csv"])
    out = {}
    best = None
    for _ in range(job.get("repeats", 1)):
        started = time.perf_counter()
        bgf = BetaGeoFitter(penalizer_coef=0.0)
        bgf.fit(summary["frequency"], summary["recency"], summary["T"])
        took = time.perf_counter() - started
        best = took if best is None else min(best, took)
    out["bgnbd_seconds"] = best
    out["bgnbd"] = {k: float(v) for k, v in bgf.params_.items()}
    if job.get("clv"):
        repeat = summary[(summary["frequency"] > 0) & (summary["monetary"] > 0)]
        started = time.perf_counter()
        ggf = GammaGammaFitter(penalizer_coef=0.0)
        ggf.fit(repeat["frequency"], repeat["monetary"])
        out["gamma_gamma_seconds"] = time.perf_counter() - started
        out["gamma_gamma"] = {k: float(v) for k, v in ggf.params_.items()}
        started = time.perf_counter()
        p_alive = bgf.conditional_probability_alive(
            summary["frequency"], summary["recency"], summary["T"]
        )
        clv = ggf.customer_lifetime_value(
            bgf,
            summary["frequency"],
            summary["recency"],
            summary["T"],
            summary["monetary"],
            time=12,
            discount_rate=0.1 / 12,
            freq="W",
        )
        out["clv_seconds"] = time.perf_counter() - started
        out["mean_clv"] = float(clv.mean())
        out["mean_p_alive"] = float(p_alive.mean())
    sys.stdout.write(json.dumps(out))


if __name__ == "__main__":
    main()
