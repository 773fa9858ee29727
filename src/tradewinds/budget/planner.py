"""Allocating a budget across fitted curves: the most revenue (or profit) per day.

A series is one channel (or one channel in one country). With normalised adstock a steady
``x`` a day brings ``curve.response(x)`` a day, so the plan is a static problem::

    maximise  Σ_i margin·response_i(x_i) − [profit] x_i
    subject to Σ_i x_i = total (revenue) or ≤ total (profit),
               lo_i ≤ x_i ≤ hi_i (minimum, maximum, fixed, limit of change),
               lo_g ≤ Σ_{i in g} x_i ≤ hi_g for a channel g split by country

solved by SLSQP with exact gradients from a few starts (S-shaped curves make the problem
non-concave; the best start wins).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import minimize

from tradewinds.budget import saturation
from tradewinds.budget.model import Curve

Objective = Literal["revenue", "profit"]
#: above this many series the planner starts from two points, not three
MANY_SERIES = 30


class InfeasiblePlan(ValueError):
    """The constraints cannot all hold (e.g. the minimums add up to more than the total)."""


@dataclass(frozen=True)
class Constraints:
    """Limits on a plan, in money per day. Keys of ``minimum``/``maximum``/``fixed`` are
    series names or group (channel) names; ``max_change`` is a share of the current spend
    (0.2: each series may move at most 20% from today's)."""

    minimum: Mapping[str, float] = field(default_factory=dict)
    maximum: Mapping[str, float] = field(default_factory=dict)
    fixed: Mapping[str, float] = field(default_factory=dict)
    max_change: float | None = None
    #: a limit of change for some series only (those the data say little about), from
    #: their current share of the total
    max_change_of: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Plan:
    allocation: NDArray[np.float64]
    revenue: float  # media revenue per day
    profit: float


def response(curves: Sequence[Curve], x: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.array([c.response(v) for c, v in zip(curves, x, strict=True)], dtype=float)


def _limit(rules: Constraints, key: str, total: float) -> tuple[float, float]:
    low = rules.fixed.get(key, rules.minimum.get(key, 0.0))
    high = rules.fixed.get(key, rules.maximum.get(key, float(total)))
    if low > high + 1e-9:
        raise InfeasiblePlan(f"{key}: the minimum {low:,.2f} is above the maximum {high:,.2f}")
    return float(low), float(high)


def _keys(rules: Constraints) -> list[str]:
    return sorted(set(rules.minimum) | set(rules.maximum) | set(rules.fixed))


def _bounds(
    names: Sequence[str],
    groups: Sequence[str],
    current: NDArray[np.float64],
    total: float,
    rules: Constraints,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    n = len(names)
    lo, hi = np.zeros(n), np.full(n, float(total))
    index = {name: i for i, name in enumerate(names)}
    for key in _keys(rules):
        if key not in index and key not in groups:
            raise InfeasiblePlan(f"{key!r} is not a channel of the model")
        if key in index:
            low, high = _limit(rules, key, total)
            i = index[key]
            lo[i], hi[i] = max(lo[i], low), min(hi[i], high)
    if rules.max_change is not None:
        lo = np.maximum(lo, current * (1 - rules.max_change))
        hi = np.minimum(hi, current * (1 + rules.max_change))
    # measured against the current spend scaled to the new total (its current share)
    scaled = current * (total / current.sum()) if current.sum() > 0 else current
    for key, share in rules.max_change_of.items():
        if key in index and key not in rules.fixed:
            i = index[key]
            lo[i] = max(lo[i], scaled[i] * (1 - share))
            hi[i] = min(hi[i], scaled[i] * (1 + share))
    for key, amount in rules.fixed.items():  # a commitment holds whatever the other limits
        if key in index:
            lo[index[key]] = hi[index[key]] = float(amount)
    if (lo > hi + 1e-9).any():
        bad = names[int(np.argmax(lo - hi))]
        raise InfeasiblePlan(f"{bad}: its limits leave no spend that meets them all")
    return lo, np.maximum(hi, lo)


def _group_constraints(
    names: Sequence[str], groups: Sequence[str], rules: Constraints, total: float
) -> list[tuple[list[int], float, float]]:
    """Limits on a channel split into several series (one per country)."""
    out = []
    for key in _keys(rules):
        if key in names:
            continue
        idx = [i for i, g in enumerate(groups) if g == key]
        if idx:
            out.append((idx, *_limit(rules, key, total)))
    return out


def optimise(
    curves: Sequence[Curve],
    total: float,
    *,
    names: Sequence[str],
    groups: Sequence[str] | None = None,
    current: NDArray[np.float64] | None = None,
    rules: Constraints | None = None,
    objective: Objective = "revenue",
    margin: float = 1.0,
) -> Plan:
    """The best allocation of ``total`` a day across ``curves`` (with one BLAS thread:
    SLSQP's small systems run slower with more, much slower on a busy machine)."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        return _optimise(
            curves,
            total,
            names=names,
            groups=groups,
            current=current,
            rules=rules,
            objective=objective,
            margin=margin,
        )


def _optimise(
    curves: Sequence[Curve],
    total: float,
    *,
    names: Sequence[str],
    groups: Sequence[str] | None,
    current: NDArray[np.float64] | None,
    rules: Constraints | None,
    objective: Objective,
    margin: float,
) -> Plan:
    n = len(curves)
    groups = list(groups or names)
    current = np.asarray(current if current is not None else np.full(n, total / n), dtype=float)
    rules = rules or Constraints()
    lo, hi = _bounds(names, groups, current, total, rules)
    group_limits = _group_constraints(names, groups, rules, total)
    if lo.sum() > total + 1e-6:
        raise InfeasiblePlan(
            f"the minimums and fixed amounts add up to {lo.sum():,.2f} a day, "
            f"more than the total of {total:,.2f}"
        )
    if objective == "revenue" and hi.sum() < total - 1e-6:
        raise InfeasiblePlan(
            f"the maximums add up to {hi.sum():,.2f} a day, less than the total of {total:,.2f}"
        )
    scale = max(total / n, 1e-9)
    betas = np.array([c.beta for c in curves])
    unit = max(float(betas.sum()) * margin, 1e-9)
    cost = 1.0 if objective == "profit" else 0.0

    ks = np.array([c.k for c in curves])
    shapes = np.array([c.shape for c in curves])

    def value(z: NDArray[np.float64]) -> tuple[float, NDArray[np.float64]]:
        x = z * scale
        f = margin * float((betas * saturation.hill(x, ks, shapes)).sum()) - cost * x.sum()
        g = (margin * betas * saturation.hill_slope(x, ks, shapes) - cost) * scale
        return -f / unit, -g / unit

    constraints: list[dict[str, object]] = []
    ones = np.ones(n)
    kind = "eq" if objective == "revenue" else "ineq"
    constraints.append(
        {"type": kind, "fun": lambda z: total / scale - z.sum(), "jac": lambda z: -ones}
    )
    for idx, glo, ghi in group_limits:
        mask = np.zeros(n)
        mask[idx] = 1.0
        constraints.append(
            {
                "type": "ineq",
                "fun": lambda z, m=mask, a=glo: m @ z - a / scale,
                "jac": lambda z, m=mask: m,
            }
        )
        constraints.append(
            {
                "type": "ineq",
                "fun": lambda z, m=mask, b=ghi: b / scale - m @ z,
                "jac": lambda z, m=mask: -m,
            }
        )
    bounds = list(zip(lo / scale, hi / scale, strict=True))
    best: NDArray[np.float64] | None = None
    best_f = np.inf
    starts = _starts(curves, current, lo, hi, total)
    if n > MANY_SERIES:  # each start costs ~n³ a step: keep the two that start best
        starts = sorted(starts, key=lambda x0: value(x0 / scale)[0])[:2]
    for start in starts:
        found = minimize(
            lambda z: value(z)[0],
            np.clip(start / scale, lo / scale, hi / scale),
            jac=lambda z: value(z)[1],
            method="SLSQP",
            bounds=bounds,
            constraints=constraints,
            options={"maxiter": 300, "ftol": 1e-10},
        )
        x = np.clip(found.x, lo / scale, hi / scale)
        if found.fun < best_f and _feasible(x * scale, total, objective, group_limits):
            best, best_f = x, float(found.fun)
    if best is None:
        raise InfeasiblePlan("no allocation meets every limit; loosen the minimums or maximums")
    allocation = best * scale
    revenue = float(response(curves, allocation).sum())
    return Plan(allocation=allocation, revenue=revenue, profit=margin * revenue - allocation.sum())


def _feasible(
    x: NDArray[np.float64],
    total: float,
    objective: Objective,
    group_limits: list[tuple[list[int], float, float]],
) -> bool:
    tol = 1e-4 * max(total, 1.0)
    if objective == "revenue" and abs(x.sum() - total) > tol:
        return False
    if objective == "profit" and x.sum() > total + tol:
        return False
    for idx, low, high in group_limits:
        s = x[idx].sum()
        if s < low - tol or s > high + tol:
            return False
    return True


def _starts(
    curves: Sequence[Curve],
    current: NDArray[np.float64],
    lo: NDArray[np.float64],
    hi: NDArray[np.float64],
    total: float,
) -> list[NDArray[np.float64]]:
    n = len(curves)
    even = np.full(n, total / n)
    weights = np.array([max(c.beta, 1e-9) for c in curves])
    by_beta = total * weights / weights.sum()
    cur = current * (total / current.sum()) if current.sum() > 0 else even
    return [np.clip(s, lo, hi) for s in (cur, even, by_beta)]


def band(
    replicates: Sequence[Sequence[Curve]], x: NDArray[np.float64], *, level: float = 0.9
) -> tuple[float, float]:
    """The ``level`` interval of the media revenue per day of allocation ``x`` over the
    bootstrap replicates' curves."""
    if not replicates:
        return float("nan"), float("nan")
    values = [float(response(curves, x).sum()) for curves in replicates]
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(values, [tail, 100 - tail])
    return float(low), float(high)
