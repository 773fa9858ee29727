"""Fitting response curves: daily revenue from daily spend per channel, by maximum likelihood.

The model of day ``t``::

    revenue[t] = intercept + trend·t + weekday[t] + holiday terms[t]
                 + Σ_c beta_c · hill(adstock(spend_c, decay_c)[t], k_c, s_c) + noise

with Gaussian noise, so maximum likelihood is least squares. The linear terms (intercept,
trend, weekdays, holidays and each channel's ``beta ≥ 0``) are solved exactly for every
guess of the curves' shapes (variable projection), and ``scipy.optimize.least_squares``
searches the shapes (3 a channel) from a few starts; weak priors on the shapes (decay
near 0.4, half-saturation near the channel's mean spend, Hill shape near 1) then refine
the answer (a maximum a posteriori estimate), which keeps a channel the data say little
about from taking an extreme curve. Uncertainty: a moving-block bootstrap
of the residuals (blocks of two weeks keep their autocorrelation), each replicate refitted
from the fit's answer. The last 8 weeks are held out once to measure the forecast error.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import least_squares

from tradewinds.budget import adstock, saturation

#: days held out to measure the forecast error (the last 8 weeks)
HOLDOUT_DAYS = 56
#: bounds of each channel's shape parameters: decay, log(k / mean spend), Hill shape
DECAY_BOUNDS = (0.0, 0.9)
LOG_K_BOUNDS = (np.log(0.1), np.log(5.0))
SHAPE_BOUNDS = (0.5, 3.0)
#: a channel whose weekly spend varies less than this (standard deviation of its logarithm)
#: is flagged, as is one whose variation apart from the other channels' is below OWN_VARIATION
LOW_VARIATION = 0.15
OWN_VARIATION = 0.08
BOOTSTRAP_BLOCK_DAYS = 14
#: the least history a fit takes: four weeks plus three weeks per channel
MIN_DAYS_PER_CHANNEL = 21
#: the yearly season of the baseline: sine and cosine pairs (as Prophet's, which Robyn
#: uses), so that spend that rises with the season is not credited with the season's sales
SEASON_ORDER = 2
#: days of history from which the yearly season is fitted (below: too few to tell it apart
#: from the trend)
SEASON_MIN_DAYS = 300
#: weak priors on decay, log(k / mean spend) and shape: centre and standard deviation
PRIOR_CENTRE = np.array([0.4, 0.0, 1.0])
PRIOR_SD = np.array([0.3, 0.7, 0.4])


@dataclass(frozen=True)
class MediaData:
    """Days, revenue and each series' daily spend, in one currency; ``events`` are named
    0/1 day columns (public holidays, shopping festivals) for the baseline."""

    days: NDArray[np.datetime64]
    revenue: NDArray[np.float64]
    spend: dict[str, NDArray[np.float64]]
    events: dict[str, NDArray[np.float64]] = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        return list(self.spend)

    def head(self, n: int) -> MediaData:
        return MediaData(
            days=self.days[:n],
            revenue=self.revenue[:n],
            spend={k: v[:n] for k, v in self.spend.items()},
            events={k: v[:n] for k, v in self.events.items()},
        )


@dataclass(frozen=True)
class Curve:
    """One channel's fitted curve: revenue per day from a steady ``x`` a day is
    ``beta · hill(x, k, shape)`` (adstock normalised, so steady spend keeps its level)."""

    decay: float
    k: float
    shape: float
    beta: float

    def response(self, x: NDArray[np.float64] | float) -> NDArray[np.float64]:
        return self.beta * saturation.hill(x, self.k, self.shape)

    def marginal(self, x: NDArray[np.float64] | float) -> NDArray[np.float64]:
        return self.beta * saturation.hill_slope(x, self.k, self.shape)


@dataclass(frozen=True)
class Fit:
    names: list[str]
    curves: list[Curve]
    #: intercept, trend per day, weekday effects (Mon … Sun, Monday 0) and event effects
    intercept: float
    trend: float
    weekday: list[float]
    season: list[float]  # sine, cosine of each order of the yearly season ([]: none)
    event_effects: dict[str, float]
    fitted: NDArray[np.float64]
    contributions: NDArray[np.float64]  # channel × day, revenue
    r2: float
    mape: float


@dataclass(frozen=True)
class FitResult:
    fit: Fit
    #: each bootstrap replicate's curves (replicate × channel)
    replicates: list[list[Curve]]
    #: replicate × channel: each channel's total contribution over the period
    replicate_contributions: NDArray[np.float64]
    mape_holdout: float | None
    holdout_days: int
    low_variation: list[str]


def _base_matrix(
    data: MediaData, origin: np.datetime64, seasonal: bool = True
) -> tuple[NDArray[np.float64], list[str]]:
    t = (data.days - origin).astype("timedelta64[D]").astype(float)
    dow = ((data.days.astype("datetime64[D]").view("int64") - 4) % 7).astype(int)  # 0 = Monday
    # the baseline's Monday level on the first day and a year later, both ≥ 0 (a straight
    # line through them is the trend): revenue without ads is never below nothing
    u = t / 365.0
    cols = [1.0 - u, u]
    names = ["level0", "level1"]
    for d in range(1, 7):
        cols.append((dow == d).astype(float))
        names.append(f"weekday{d}")
    if seasonal:
        for order in range(1, SEASON_ORDER + 1):
            angle = 2 * np.pi * order * t / 365.25
            cols.extend([np.sin(angle), np.cos(angle)])
            names.extend([f"season_sin{order}", f"season_cos{order}"])
    for key, flags in data.events.items():
        if flags.any() and not flags.all():
            cols.append(flags.astype(float))
            names.append(f"event:{key}")
    return np.column_stack(cols), names


@dataclass
class _Problem:
    base: NDArray[np.float64]
    base_names: list[str]
    x: NDArray[np.float64]  # channel × day, spend / scale
    scale: NDArray[np.float64]
    y: NDArray[np.float64]  # revenue / y_scale
    y_scale: float

    @property
    def channels(self) -> int:
        return self.x.shape[0]

    def media(self, theta: NDArray[np.float64]) -> NDArray[np.float64]:
        cols = []
        for c in range(self.channels):
            decay, logk, s = theta[3 * c : 3 * c + 3]
            cols.append(saturation.hill(adstock.geometric(self.x[c], decay), np.exp(logk), s))
        return np.column_stack(cols)

    def solve(
        self, theta: NDArray[np.float64], y: NDArray[np.float64] | None = None
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """The best linear coefficients for ``theta`` and the residuals."""
        y = self.y if y is None else y
        design = np.hstack([self.base, self.media(theta)])
        nb = self.base.shape[1]
        # coefficients that may not be negative: the two baseline levels and the betas
        signed = np.r_[True, True, np.zeros(nb - 2, dtype=bool), np.ones(self.channels, bool)]
        gram, moment = design.T @ design, design.T @ y
        active = np.ones(design.shape[1], dtype=bool)
        coef = np.zeros(design.shape[1])
        for _ in range(design.shape[1]):
            coef[:] = 0.0
            coef[active] = _solve(gram[np.ix_(active, active)], moment[active])
            negative = signed & active & (coef < 0)
            if not negative.any():
                break
            active[int(np.argmin(np.where(negative, coef, np.inf)))] = False
        return coef, y - design @ coef


def _solve(gram: NDArray[np.float64], moment: NDArray[np.float64]) -> NDArray[np.float64]:
    """Least squares from the normal equations (a small system: much faster than an SVD of
    the whole design, which matters as it is solved thousands of times a fit)."""
    ridge = 1e-9 * max(float(np.trace(gram)) / len(gram), 1e-12)
    try:
        return np.linalg.solve(gram + ridge * np.eye(len(gram)), moment)
    except np.linalg.LinAlgError:
        return np.linalg.lstsq(gram, moment, rcond=None)[0]


def _bounds(channels: int) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    lo = np.tile([DECAY_BOUNDS[0], LOG_K_BOUNDS[0], SHAPE_BOUNDS[0]], channels)
    hi = np.tile([DECAY_BOUNDS[1], LOG_K_BOUNDS[1], SHAPE_BOUNDS[1]], channels)
    return lo, hi


def _starts(channels: int) -> list[NDArray[np.float64]]:
    return [
        np.tile([0.3, np.log(1.0), 1.0], channels),
        np.tile([0.6, np.log(0.5), 1.5], channels),
        np.tile([0.1, np.log(2.0), 0.8], channels),
    ]


def _penalty(theta: NDArray[np.float64], sigma: float) -> NDArray[np.float64]:
    """Weakly informative priors as extra residuals (maximum a posteriori): each shape
    parameter's distance from its prior centre in prior standard deviations, times the
    noise level, so that the data outweigh them wherever the data say something."""
    return (
        sigma
        * (theta - np.tile(PRIOR_CENTRE, len(theta) // 3))
        / np.tile(PRIOR_SD, len(theta) // 3)
    )


def _optimise(
    problem: _Problem,
    starts: Sequence[NDArray[np.float64]],
    y: NDArray[np.float64] | None = None,
    max_nfev: int | None = None,
    sigma: float = 0.0,
) -> NDArray[np.float64]:
    lo, hi = _bounds(problem.channels)
    best, best_cost = starts[0], np.inf
    for start in starts:
        found = least_squares(
            lambda th: np.r_[problem.solve(th, y)[1], _penalty(th, sigma)],
            np.clip(start, lo, hi),
            bounds=(lo, hi),
            method="trf",
            x_scale=np.tile([0.3, 1.0, 1.0], problem.channels),
            diff_step=1e-3,
            max_nfev=max_nfev,
            xtol=1e-6,
            ftol=1e-7,
        )
        if found.cost < best_cost:
            best, best_cost = found.x, found.cost
    return best


def _map(problem: _Problem, theta: NDArray[np.float64]) -> tuple[NDArray[np.float64], float]:
    """From the likelihood's answer ``theta`` to the priors' (see :func:`_penalty`), and
    the noise level used."""
    sigma = float(np.std(problem.solve(theta)[1]))
    return _optimise(problem, [theta], sigma=sigma), sigma


def _problem(data: MediaData, origin: np.datetime64, seasonal: bool) -> _Problem:
    base, names = _base_matrix(data, origin, seasonal)
    spend = np.vstack([data.spend[n] for n in data.names]).astype(float)
    scale = np.maximum(spend.mean(axis=1), 1e-9)
    y_scale = max(float(np.abs(data.revenue).mean()), 1e-9)
    return _Problem(base, names, spend / scale[:, None], scale, data.revenue / y_scale, y_scale)


def _fit_from(problem: _Problem, theta: NDArray[np.float64], names: list[str]) -> Fit:
    coef, resid = problem.solve(theta)
    nb = problem.base.shape[1]
    media = problem.media(theta)
    y = problem.y * problem.y_scale
    fitted = (problem.y - resid) * problem.y_scale
    curves = []
    for c in range(problem.channels):
        decay, logk, s = theta[3 * c : 3 * c + 3]
        curves.append(
            Curve(
                decay=float(decay),
                k=float(np.exp(logk) * problem.scale[c]),
                shape=float(s),
                beta=float(coef[nb + c] * problem.y_scale),
            )
        )
    base_coef = dict(zip(problem.base_names, coef[:nb] * problem.y_scale, strict=True))
    contributions = (media * (coef[nb:] * problem.y_scale)).T
    ss_res = float(((y - fitted) ** 2).sum())
    ss_tot = float(((y - y.mean()) ** 2).sum()) or 1.0
    return Fit(
        names=names,
        curves=curves,
        intercept=float(base_coef["level0"]),
        trend=float(base_coef["level1"] - base_coef["level0"]) / 365.0,
        weekday=[0.0] + [float(base_coef[f"weekday{d}"]) for d in range(1, 7)],
        season=[
            float(base_coef[f"season_{k}"]) for k in _season_keys() if f"season_{k}" in base_coef
        ],
        event_effects={
            k.removeprefix("event:"): float(v) for k, v in base_coef.items() if k[:6] == "event:"
        },
        fitted=fitted,
        contributions=contributions,
        r2=1.0 - ss_res / ss_tot,
        mape=_mape(y, fitted),
    )


def _season_keys() -> list[str]:
    return [f"{f}{o}" for o in range(1, SEASON_ORDER + 1) for f in ("sin", "cos")]


def season_value(season: Sequence[float], t: NDArray[np.float64] | float) -> NDArray[np.float64]:
    """The yearly season's effect on day ``t`` (days from the first) of coefficients
    ``season`` (sine, cosine of each order)."""
    out = np.zeros_like(np.asarray(t, dtype=float))
    for i in range(len(season) // 2):
        angle = 2 * np.pi * (i + 1) * np.asarray(t, dtype=float) / 365.25
        out = out + season[2 * i] * np.sin(angle) + season[2 * i + 1] * np.cos(angle)
    return out


def _mape(actual: NDArray[np.float64], predicted: NDArray[np.float64]) -> float:
    """Mean absolute percentage error over the days whose revenue is at least a tenth of
    the mean (a shop's closed or half days would otherwise make it meaningless)."""
    keep = np.abs(actual) >= 0.1 * max(float(np.abs(actual).mean()), 1e-9)
    if not keep.any():
        return float("nan")
    return float(np.mean(np.abs((actual[keep] - predicted[keep]) / actual[keep])))


def predict(fit: Fit, data: MediaData, origin: np.datetime64) -> NDArray[np.float64]:
    """Revenue per day of ``data`` (its spend and days) under ``fit``."""
    base, names = _base_matrix(data, origin, bool(fit.season))
    coef_by = {
        **{f"season_{k}": v for k, v in zip(_season_keys(), fit.season, strict=False)},
        "level0": fit.intercept,
        "level1": fit.intercept + fit.trend * 365.0,
        **{f"weekday{d}": fit.weekday[d] for d in range(1, 7)},
        **{f"event:{k}": v for k, v in fit.event_effects.items()},
    }
    out = base @ np.array([coef_by.get(n, 0.0) for n in names])
    for name, curve in zip(fit.names, fit.curves, strict=True):
        out = out + curve.beta * saturation.hill(
            adstock.geometric(data.spend[name], curve.decay), curve.k, curve.shape
        )
    return out


def low_variation(data: MediaData) -> list[str]:
    """Channels whose spend has too little variation of its own to learn a curve from:
    its weekly spend barely moves (standard deviation of its logarithm below
    :data:`LOW_VARIATION`), or moves only in step with the other channels' (what is left
    after regressing it on theirs is below :data:`OWN_VARIATION`), or it has under four
    weeks of days with spend."""
    logs = {}
    for name, spend in data.spend.items():
        weekly = np.convolve(spend, np.ones(7) / 7, mode="valid")
        logs[name] = np.log(weekly + 0.05 * max(float(spend.mean()), 1e-9))
    flagged = []
    for name, spend in data.spend.items():
        y = logs[name]
        others = [logs[o] for o in data.spend if o != name]
        own = float(y.std())
        if others and len(y) > len(others) + 2:
            x = np.column_stack([np.ones(len(y)), *others])
            coef, *_ = np.linalg.lstsq(x, y, rcond=None)
            own = min(own, float((y - x @ coef).std()) * LOW_VARIATION / OWN_VARIATION)
        if (spend > 0).sum() < 28 or own < LOW_VARIATION:
            flagged.append(name)
    return flagged


def fit(data: MediaData, *, bootstrap: int = 30, seed: int = 0) -> FitResult:
    """The maximum-likelihood fit of ``data``, its bootstrap replicates and its hold-out
    error (the last 8 weeks predicted by a fit of the days before them).

    One BLAS thread: the fit solves thousands of small systems, which threads only slow
    down (ten times over on a busy machine)."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        return _fit(data, bootstrap=bootstrap, seed=seed)


def _fit(data: MediaData, *, bootstrap: int, seed: int) -> FitResult:
    n = len(data.days)
    if not data.spend:
        raise ValueError("no spend columns to fit")
    if n < MIN_DAYS_PER_CHANNEL * len(data.spend) + 28:
        raise ValueError(
            f"{n} days are too few to fit {len(data.spend)} channels: "
            f"give at least {MIN_DAYS_PER_CHANNEL * len(data.spend) + 28} days"
        )
    origin = data.days[0]
    names = data.names
    holdout = min(HOLDOUT_DAYS, n // 4)
    seasonal = n >= SEASON_MIN_DAYS
    train = _problem(data.head(n - holdout), origin, seasonal)
    theta_train, _ = _map(train, _optimise(train, _starts(train.channels)))
    fit_train = _fit_from(train, theta_train, names)
    predicted = predict(fit_train, data, origin)[n - holdout :]
    mape_holdout = _mape(data.revenue[n - holdout :], predicted)

    full = _problem(data, origin, seasonal)
    theta, sigma = _map(full, theta_train)
    best = _fit_from(full, theta, names)

    rng = np.random.default_rng(seed)
    coef, resid = full.solve(theta)
    fitted_scaled = full.y - resid
    replicates: list[list[Curve]] = []
    totals = []
    for _ in range(bootstrap):
        y_star = fitted_scaled + _block_resample(resid, rng)
        th = _optimise(full, [theta], y=y_star, max_nfev=30 * full.channels, sigma=sigma)
        problem = _Problem(full.base, full.base_names, full.x, full.scale, y_star, full.y_scale)
        rep = _fit_from(problem, th, names)
        replicates.append(rep.curves)
        totals.append(rep.contributions.sum(axis=1))
    return FitResult(
        fit=best,
        replicates=replicates,
        replicate_contributions=np.array(totals).reshape(len(totals), len(names)),
        mape_holdout=mape_holdout,
        holdout_days=holdout,
        low_variation=low_variation(data),
    )


def _block_resample(resid: NDArray[np.float64], rng: np.random.Generator) -> NDArray[np.float64]:
    n = len(resid)
    block = min(BOOTSTRAP_BLOCK_DAYS, n)
    starts = rng.integers(0, n - block + 1, size=n // block + 1)
    out = np.concatenate([resid[s : s + block] for s in starts])[:n]
    return out - out.mean()
