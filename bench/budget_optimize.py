"""Budget planner speed: 10 channels × 10 countries (100 curves) with limits, ≤ 2 s.

  .venv/bin/python bench/budget_optimize.py

Plans a daily total across 100 curves with a minimum for one channel (summed over its
countries: 20% above its current spend), a maximum for another (20% below), a fixed
commitment and a limit of change from the current plan; checks the limits hold and that the
plan beats the current allocation. Exit 1 when the time target is missed or a limit is broken.
"""

from __future__ import annotations

import sys
import time

import numpy as np

from tradewinds.budget.model import Curve
from tradewinds.budget.planner import Constraints, optimise, response

SECONDS = 2.0


def main() -> int:
    rng = np.random.default_rng(7)
    names, groups, curves = [], [], []
    for c in range(10):
        for k in range(10):
            names.append(f"ch{c} · C{k}")
            groups.append(f"ch{c}")
            curves.append(
                Curve(
                    decay=0.3,
                    k=float(rng.uniform(100, 900)),
                    shape=float(rng.uniform(0.7, 2.2)),
                    beta=float(rng.uniform(500, 4000)),
                )
            )
    current = rng.uniform(50, 500, 100)
    total = float(current.sum())
    ch = np.array(groups)
    least = 1.2 * float(current[ch == "ch1"].sum())
    most = 0.8 * float(current[ch == "ch2"].sum())
    rules = Constraints(
        minimum={"ch1": least},
        maximum={"ch2": most},
        fixed={"ch3 · C3": 250.0},
        max_change=0.6,
    )
    started = time.perf_counter()
    plan = optimise(curves, total, names=names, groups=groups, current=current, rules=rules)
    seconds = time.perf_counter() - started
    x = plan.allocation
    held = (
        abs(x.sum() - total) < 1e-3 * total
        and x[ch == "ch1"].sum() >= least - 1e-3
        and x[ch == "ch2"].sum() <= most + 1e-3
        and abs(x[names.index("ch3 · C3")] - 250) < 1e-6
        and np.all(np.delete(x >= current * 0.4 - 1e-6, names.index("ch3 · C3")))
        and np.all(np.delete(x <= current * 1.6 + 1e-6, names.index("ch3 · C3")))
    )
    now = response(curves, current).sum()
    print(
        f"10 channels × 10 countries, total {total:,.0f} a day: {seconds:.2f} s "
        f"(target ≤ {SECONDS:.0f} s)"
    )
    print(f"  media revenue per day {plan.revenue:,.0f} against {now:,.0f} for the current plan")
    print(f"  limits held: {'yes' if held else 'NO'}")
    if seconds > SECONDS or not held or plan.revenue < now:
        print("targets missed")
        return 1
    print("all targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
