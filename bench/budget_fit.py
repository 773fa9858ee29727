"""Budget fit: speed and accuracy on simulated shops with known curves, PyMC-Marketing's time
beside it.

  .venv/bin/python bench/budget_fit.py [--seeds 10] [--no-peer] [--draws 500]

1. Speed: the maximum-likelihood fit of 2 years × 4 channels, daily (hold-out fit, full fit
   and 30 bootstrap refits: everything `tradewinds budget fit` does). Target ≤ 10 s.
2. Accuracy, on ``--seeds`` simulated shops (budget/simulate.py): each channel carrying
   ≥ 10% of media revenue has its fitted contribution within 15% of the truth; the planner's
   allocation, evaluated on the true curves, gains ≥ 80% of what the true optimum gains over
   an even split. Target: every seed.
3. PyMC-Marketing's MMM (NUTS, 2 chains) on the first shop, in its own venv: its time and
   its contributions, for information ("n/a (reason)" when it cannot run here).
Exit 1 when a target of ours is missed.
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np

from tradewinds.budget.model import fit
from tradewinds.budget.planner import optimise, response
from tradewinds.budget.simulate import CHANNELS, simulate

FIT_SECONDS = 10.0
CONTRIBUTION_TOLERANCE = 0.15
MIN_SHARE = 0.10
GAIN_SHARE = 0.80


def accuracy(seed: int) -> tuple[bool, str]:
    data, truth = simulate(seed=seed)
    result = fit(data, bootstrap=0)
    found = result.fit.contributions.sum(axis=1)
    share = np.array(truth.contributions) / sum(truth.contributions)
    errors = found / np.array(truth.contributions) - 1
    ok = all(
        abs(e) <= CONTRIBUTION_TOLERANCE
        for e, s in zip(errors, share, strict=True)
        if s >= MIN_SHARE
    )
    total = sum(v[0] for v in CHANNELS.values())
    even = np.full(len(truth.names), total / len(truth.names))
    planned = optimise(result.fit.curves, total, names=truth.names).allocation
    best = optimise(truth.curves, total, names=truth.names).allocation
    base = response(truth.curves, even).sum()
    gain = (response(truth.curves, planned).sum() - base) / (
        response(truth.curves, best).sum() - base
    )
    ok = ok and gain >= GAIN_SHARE
    cells = " ".join(
        f"{n}{'' if s >= MIN_SHARE else '*'} {e:+.1%}"
        for n, e, s in zip(truth.names, errors, share, strict=True)
    )
    return ok, f"seed {seed:>2}: {cells}; planner gains {gain:.1%} of the optimum's gain"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--no-peer", action="store_true")
    parser.add_argument("--draws", type=int, default=500)
    args = parser.parse_args()
    missed = []

    data, truth = simulate(seed=1)
    started = time.perf_counter()
    result = fit(data, bootstrap=30)
    seconds = time.perf_counter() - started
    print(f"fit, 730 days × 4 channels, hold-out + full fit + 30 bootstrap refits: {seconds:.2f} s "
          f"(target ≤ {FIT_SECONDS:.0f} s)")  # fmt: skip
    print(f"  R² {result.fit.r2:.3f}, hold-out MAPE {result.mape_holdout:.1%} (last 8 weeks)")
    if seconds > FIT_SECONDS:
        missed.append("fit time")

    print(f"accuracy on {args.seeds} simulated shops (* = under 10% of media revenue, not judged):")
    for seed in range(1, args.seeds + 1):
        ok, line = accuracy(seed)
        print(f"  {'ok  ' if ok else 'MISS'} {line}")
        if not ok:
            missed.append(f"accuracy seed {seed}")

    if args.no_peer:
        print("PyMC-Marketing: n/a (--no-peer)")
    else:
        print(peer_line(data, truth, seconds, args.draws))
    if missed:
        print("targets missed: " + ", ".join(missed))
        return 1
    print("all targets met")
    return 0


def peer_line(data, truth, ours: float, draws: int) -> str:
    from budget_peer import PeerMissing, run_peer

    job = {
        "dates": [str(d) for d in data.days],
        "revenue": data.revenue.tolist(),
        "spend": {k: v.tolist() for k, v in data.spend.items()},
        "draws": draws,
        "tune": draws,
        "chains": 2,
    }
    try:
        answer = run_peer(job)
    except PeerMissing as exc:
        return f"PyMC-Marketing: n/a ({exc})"
    parts = [
        f"PyMC-Marketing MMM (NUTS, 2 chains × {draws} draws + {draws} tune): fit "
        f"{answer['fit_seconds']:.1f} s, {answer['wall_seconds']:.1f} s with start-up, "
        f"against {ours:.2f} s here"
    ]
    found = answer.get("contributions") or {}
    if found:
        errs = [
            f"{n} {found[n] / t - 1:+.1%}"
            for n, t in zip(truth.names, truth.contributions, strict=True)
            if n in found
        ]
        parts.append("  its contributions against the truth: " + " ".join(errs))
    return "\n".join(parts)


if __name__ == "__main__":
    sys.exit(main())
