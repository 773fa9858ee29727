"""Tradewinds' experiment statistics against GrowthBook's gbstats 0.8.0, live.

gbstats runs in its own venv (``bench/.venv-gbstats``, created here when missing) through
``experiments_peer_runner.py``; Tradewinds never imports it. Compared to 1e-6: the Welch
t-test (relative uplift, CI, p-value), the sequential test (tuning 5000), the effect
Bayesian test with its default improper prior (chance to win, risks, credible interval) and
``check_srm`` — on the standard inputs and on 300 random ones. Then times both on 1,000
experiments. Exit 1 when a number differs or the target (1,000 experiments in ≤ 1 s) is
missed.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from experiments_cases import ab_cases, srm_cases  # noqa: E402
from experiments_speed import analyse_many, many_experiments  # noqa: E402

VENV = BENCH / ".venv-gbstats"
PYTHON = VENV / "bin" / "python"
RUNNER = BENCH / "experiments_peer_runner.py"
TOLERANCE = 1e-6
FIELDS = (
    "relative_uplift", "ci_low", "ci_high", "p_value", "sequential_ci_low",
    "sequential_ci_high", "sequential_p_value", "chance_to_win", "risk_control",
    "risk_treatment", "bayesian_ci_low", "bayesian_ci_high",
)  # fmt: skip


def ensure_peer() -> Path:
    if PYTHON.exists():
        ok = subprocess.run([str(PYTHON), "-c", "import gbstats"], capture_output=True)
        if ok.returncode == 0:
            return PYTHON
    print(f"setting up gbstats in {VENV} ...", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)], check=True)
    subprocess.run([str(PYTHON), "-m", "pip", "install", "-q", "gbstats==0.8.0"], check=True)
    return PYTHON


def peer(cases: dict) -> tuple[dict, float]:
    python = ensure_peer()
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(cases, handle)
    started = time.perf_counter()
    proc = subprocess.run(
        [str(python), str(RUNNER), "--cases", handle.name, "--out", "-"],
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - started
    Path(handle.name).unlink()
    if proc.returncode != 0:
        raise SystemExit(f"gbstats failed: {proc.stderr[-2000:]}")
    return json.loads(proc.stdout), wall


def random_cases(count: int, seed: int = 7) -> dict:
    rng = random.Random(seed)
    ab = []
    for i in range(count):
        n_a, n_b = rng.randint(30, 200_000), rng.randint(30, 200_000)
        if i % 2 == 0:
            p = rng.uniform(0.005, 0.4)
            a = (n_a, round(n_a * p), round(n_a * p))
            q = p * rng.uniform(0.8, 1.25)
            b = (n_b, round(n_b * q), round(n_b * q))
            ab.append({"name": f"random {i}", "type": "binomial", "a": a, "b": b})
        else:
            mu, sd = rng.uniform(1, 200), rng.uniform(0.5, 300)
            lift = rng.uniform(0.85, 1.2)
            a = (n_a, mu * n_a, (sd**2 + mu**2) * n_a)
            b = (n_b, mu * lift * n_b, (sd**2 + (mu * lift) ** 2) * n_b)
            ab.append({"name": f"random {i}", "type": "mean", "a": a, "b": b})
    srm = []
    for i in range(40):
        k = rng.randint(2, 5)
        weights = [rng.uniform(0.1, 1) for _ in range(k)]
        total = rng.randint(100, 500_000)
        units = [round(total * w / sum(weights) * rng.uniform(0.97, 1.03)) for w in weights]
        srm.append({"name": f"split {i}", "units": units, "weights": weights})
    return {"ab": ab, "srm": srm}


def ours(cases: dict) -> dict:
    from tradewinds.experiments.bayesian import effect_bayesian
    from tradewinds.experiments.frequentist import two_sided_ttest
    from tradewinds.experiments.moments import Moments
    from tradewinds.experiments.sequential import sequential_ttest
    from tradewinds.experiments.srm import check_srm

    ab = cases["ab"]
    kinds = [c["type"] == "binomial" for c in ab]
    a = Moments.of([c["a"][0] for c in ab], [c["a"][1] for c in ab], [c["a"][2] for c in ab], kinds)
    b = Moments.of([c["b"][0] for c in ab], [c["b"][1] for c in ab], [c["b"][2] for c in ab], kinds)
    f, s, y = two_sided_ttest(a, b), sequential_ttest(a, b), effect_bayesian(a, b)
    arrays = {
        "relative_uplift": f.estimate, "ci_low": f.ci_low, "ci_high": f.ci_high,
        "p_value": f.p_value, "sequential_ci_low": s.ci_low, "sequential_ci_high": s.ci_high,
        "sequential_p_value": s.p_value, "chance_to_win": y.chance_to_win,
        "risk_control": y.risk_control, "risk_treatment": y.risk_treatment,
        "bayesian_ci_low": y.ci_low, "bayesian_ci_high": y.ci_high,
    }  # fmt: skip
    rows = [{k: float(v[i]) for k, v in arrays.items()} for i in range(len(ab))]
    return {"ab": rows, "srm": [check_srm(c["units"], c["weights"]) for c in cases["srm"]]}


def compare(label: str, cases: dict) -> int:
    theirs, wall = peer(cases)
    mine = ours(cases)
    worst, bad = 0.0, []
    for got, want in zip(mine["ab"], theirs["ab"], strict=True):
        for field in FIELDS:
            diff = abs(got[field] - want[field])
            worst = max(worst, diff)
            if not diff <= TOLERANCE:
                bad.append(f"{want['name']}: {field} {got[field]!r} vs gbstats {want[field]!r}")
    for got, want in zip(mine["srm"], theirs["srm"], strict=True):
        diff = abs(got - want["p_value"])
        worst = max(worst, diff)
        if not diff <= TOLERANCE:
            bad.append(f"{want['name']}: srm p {got!r} vs gbstats {want['p_value']!r}")
    comparisons = len(cases["ab"]) * len(FIELDS) + len(cases["srm"])
    print(
        f"{label}: {len(cases['ab'])} A/B comparisons and {len(cases['srm'])} splits, "
        f"{comparisons} numbers, largest difference {worst:.2e} (target ≤ {TOLERANCE:g}); "
        f"gbstats subprocess {wall:.2f} s"
    )
    for line in bad[:10]:
        print("  DIFFERS", line)
    return len(bad)


def main() -> int:
    failures = compare("standard inputs", {"ab": ab_cases(), "srm": srm_cases()})
    failures += compare("random inputs", random_cases(300))
    experiments = many_experiments(1000)
    seconds, comparisons = analyse_many(experiments)
    print(f"Tradewinds: 1,000 experiments ({comparisons} comparisons) in {seconds:.3f} s "
          "(target ≤ 1 s)")  # fmt: skip
    flat = [
        {"name": f"{e.key}/{m.name}/{j}", "type": m.metric_type,
         "a": (e.units[0], m.sums[0], m.sum_squares[0] or m.sums[0]),
         "b": (e.units[j], m.sums[j], m.sum_squares[j] or m.sums[j])}
        for e in experiments for m in e.metrics for j in range(1, len(e.variations))
    ]  # fmt: skip
    splits = [
        {"name": e.key, "units": list(e.units), "weights": list(e.weights)} for e in experiments
    ]
    _theirs, wall = peer({"ab": flat, "srm": splits})
    print(f"gbstats: the same 1,000 experiments, one test object per comparison: {wall:.2f} s "
          "(subprocess, including its start)")  # fmt: skip
    ok = failures == 0 and seconds <= 1.0
    print("OK" if ok else "MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
