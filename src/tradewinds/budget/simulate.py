"""Simulated shops with known curves: what the tests, the benchmark and the guide fit.

Each channel's daily spend varies as real budgets do (flights on and off, weekly rhythm,
steps up and down) so that its curve can be learnt; revenue is made by the model's own
equation from known adstock, saturation and betas, plus noise.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tradewinds.budget import adstock
from tradewinds.budget.model import Curve, MediaData


@dataclass(frozen=True)
class Truth:
    names: list[str]
    curves: list[Curve]
    contributions: list[float]  # each channel's revenue over the period


#: name: (mean spend per day, decay, half-saturation per day, shape, beta per day)
CHANNELS: dict[str, tuple[float, float, float, float, float]] = {
    "google": (1500.0, 0.3, 1400.0, 1.2, 6000.0),
    "meta": (1000.0, 0.6, 900.0, 1.0, 3500.0),
    "tiktok": (500.0, 0.5, 700.0, 1.5, 1500.0),
    "amazon": (800.0, 0.2, 500.0, 0.8, 2200.0),
}


def simulate(
    days: int = 730,
    *,
    channels: dict[str, tuple[float, float, float, float, float]] | None = None,
    noise: float = 0.03,
    seed: int = 1,
) -> tuple[MediaData, Truth]:
    rng = np.random.default_rng(seed)
    spec = channels or CHANNELS
    dates = np.arange(np.datetime64("2024-01-01"), np.datetime64("2024-01-01") + days)
    t = np.arange(days)
    dow = (dates.view("int64") - 4) % 7
    base = 8000.0 + 3.0 * t + np.where(dow >= 5, 1200.0, 0.0)
    spend: dict[str, np.ndarray] = {}
    curves: list[Curve] = []
    contributions: list[float] = []
    revenue = base.copy()
    for name, (mean, decay, k, shape, beta) in spec.items():
        level = np.repeat(rng.lognormal(0, 0.45, days // 14 + 1), 14)[:days]  # fortnight steps
        flights = np.repeat(rng.random(days // 7 + 1) > 0.15, 7)[:days]  # some weeks off
        daily = mean * level * flights * rng.lognormal(0, 0.25, days)
        spend[name] = np.round(daily, 2)
        curve = Curve(decay=decay, k=k, shape=shape, beta=beta)
        effect = curve.response(adstock.geometric(spend[name], decay))
        curves.append(curve)
        contributions.append(float(effect.sum()))
        revenue = revenue + effect
    revenue = revenue * rng.lognormal(0, noise, days)
    data = MediaData(days=dates, revenue=np.round(revenue, 2), spend=spend)
    return data, Truth(names=list(spec), curves=curves, contributions=contributions)
