"""The Bayesian test on the relative uplift with an improper flat prior (gbstats'
``EffectBayesianABTest`` with its default ``GaussianPrior(proper=False)``).

With a flat prior the posterior of the uplift is normal, centred on the observed uplift
with the delta method's variance. The chance to beat control is P(uplift > 0); the risk of
choosing a variation is the expected uplift lost if it is the worse one:
``risk_control = E[max(uplift, 0)]`` (what keeping control gives up) and
``risk_treatment = E[max(-uplift, 0)]`` (what shipping the variation may lose) — the closed
forms of gbstats' truncated-normal means, ``μΦ(z) + σφ(z)`` and ``σφ(z) - μΦ(-z)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.stats import norm

from tradewinds.experiments.moments import Flags, Floats, Moments, relative_difference


@dataclass(frozen=True)
class BayesianResults:
    uplift: Floats
    uplift_sd: Floats
    ci_low: Floats
    ci_high: Floats
    chance_to_win: Floats
    risk_control: Floats
    risk_treatment: Floats
    valid: Flags


def effect_bayesian(a: Moments, b: Moments, *, alpha: float = 0.05) -> BayesianResults:
    mu, variance, valid = relative_difference(a, b)
    sigma = np.sqrt(variance)
    z = mu / sigma
    cdf, pdf = norm.cdf(z), norm.pdf(z)
    ctw = norm.sf(0, mu, sigma)
    half = norm.ppf(1 - alpha / 2) * sigma
    risk_control = mu * cdf + sigma * pdf
    risk_treatment = sigma * pdf - mu * norm.cdf(-z)
    nan = np.nan

    def keep(values: Floats) -> Floats:
        return np.where(valid, values, nan)

    return BayesianResults(
        uplift=keep(mu),
        uplift_sd=keep(sigma),
        ci_low=keep(mu - half),
        ci_high=keep(mu + half),
        chance_to_win=keep(ctw),
        risk_control=keep(risk_control),
        risk_treatment=keep(risk_treatment),
        valid=valid,
    )
