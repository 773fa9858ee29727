"""Customer lifetime value: BG/NBD for purchase counts and P(alive), Gamma-Gamma for spend.

Maths only: arrays in, arrays out. No session, no request, no file.

Why our own maximum likelihood and not PyMC-Marketing's CLV module: both maximise the
same closed-form likelihoods (Fader, Hardie & Lee 2005; Fader, Hardie & Lok 2005), so the
estimates are the same, but PyMC-Marketing pulls in PyMC and PyTensor and compiles a
graph before every fit (seconds, plus a heavy dependency tree for a self-hosted app),
while the closed form below needs only ``gammaln``/``digamma`` and an analytic gradient.
L-BFGS-B on log-parameters (which keeps them positive) fits the CDNOW sample in a few
milliseconds and a million customers in seconds, and reproduces the paper's estimates
(r = 0.243, alpha = 4.414, a = 0.793, b = 2.426). The fit compresses customers with the
same (x, t_x, T) into one weighted row, which is exact and makes large data cheap.

Predictions (expected purchases, CLV) use the Gaussian hypergeometric function
``scipy.special.hyp2f1``; the likelihood itself does not need it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
from scipy.optimize import minimize
from scipy.special import digamma, expit, gammaln, hyp2f1


class FitError(RuntimeError):
    """The optimiser did not converge to a usable estimate."""


@dataclass(frozen=True)
class BGNBDParams:
    r: float
    alpha: float
    a: float
    b: float

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


@dataclass(frozen=True)
class GammaGammaParams:
    p: float
    q: float
    gamma: float

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


def _compress(*columns: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
    """Unique rows of the stacked columns and how often each occurs."""
    stacked = np.column_stack([np.asarray(c, dtype=float) for c in columns])
    uniq, counts = np.unique(stacked, axis=0, return_counts=True)
    return [uniq[:, i] for i in range(uniq.shape[1])], counts.astype(float)


# --------------------------------------------------------------------------- BG/NBD


def bgnbd_log_likelihood(
    params: BGNBDParams, x: np.ndarray, t_x: np.ndarray, T: np.ndarray
) -> np.ndarray:
    """Per-customer log-likelihood of the BG/NBD model (Fader, Hardie & Lee 2005, eq. 6)."""
    r, alpha, a, b = params.r, params.alpha, params.a, params.b
    x = np.asarray(x, dtype=float)
    ll, _ = _bgnbd_ll_grad(
        np.log([r, alpha, a, b]), x, np.asarray(t_x, float), np.asarray(T, float)
    )
    return ll


def _bgnbd_ll_grad(
    log_params: np.ndarray, x: np.ndarray, t_x: np.ndarray, T: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    r, alpha, a, b = np.exp(log_params)
    repeat = x > 0
    a1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    a2 = gammaln(a + b) + gammaln(b + x) - gammaln(b) - gammaln(a + b + x)
    log_aT = np.log(alpha + T)
    log_atx = np.log(alpha + t_x)
    a3 = -(r + x) * log_aT
    bx1 = np.where(repeat, b + x - 1.0, 1.0)  # only used where x > 0
    a4 = np.where(repeat, np.log(a) - np.log(bx1) - (r + x) * log_atx, -np.inf)
    tail = np.logaddexp(a3, a4)
    ll = a1 + a2 + tail
    w4 = np.where(repeat, np.exp(a4 - tail), 0.0)
    w3 = 1.0 - w4
    d_r = (digamma(r + x) - digamma(r) + np.log(alpha)) + w3 * (-log_aT) + w4 * (-log_atx)
    d_alpha = r / alpha + w3 * (-(r + x) / (alpha + T)) + w4 * (-(r + x) / (alpha + t_x))
    psi_abx = digamma(a + b + x)
    psi_ab = digamma(a + b)
    d_a = psi_ab - psi_abx + w4 / a
    d_b = psi_ab + digamma(b + x) - digamma(b) - psi_abx + w4 * (-1.0 / bx1)
    # chain rule to log-parameters
    grad = np.vstack([d_r * r, d_alpha * alpha, d_a * a, d_b * b])
    return ll, grad


def fit_bgnbd(
    frequency: np.ndarray,
    recency: np.ndarray,
    T: np.ndarray,
    *,
    initial: BGNBDParams | None = None,
) -> BGNBDParams:
    """Maximum-likelihood BG/NBD parameters from per-customer (x, t_x, T)."""
    (x, t_x, big_t), weight = _compress(frequency, recency, T)
    if len(x) == 0:
        raise FitError("no customers to fit")
    total = weight.sum()
    start = initial or BGNBDParams(1.0, float(max(np.mean(big_t), 1e-3)), 1.0, 1.0)

    def objective(theta: np.ndarray) -> tuple[float, np.ndarray]:
        ll, grad = _bgnbd_ll_grad(theta, x, t_x, big_t)
        return -float(weight @ ll) / total, -(grad @ weight) / total

    result = minimize(
        objective,
        np.log([start.r, start.alpha, start.a, start.b]),
        jac=True,
        method="L-BFGS-B",
        bounds=[(-12.0, 12.0)] * 4,
        options={"maxiter": 2000, "ftol": 1e-13, "gtol": 1e-9},
    )
    if not np.all(np.isfinite(result.x)) or not np.isfinite(result.fun):
        raise FitError(f"BG/NBD fit failed: {result.message}")
    r, alpha, a, b = np.exp(result.x)
    return BGNBDParams(float(r), float(alpha), float(a), float(b))


def p_alive(
    params: BGNBDParams, frequency: np.ndarray, recency: np.ndarray, T: np.ndarray
) -> np.ndarray:
    """Probability each customer is still active at the end of calibration (eq. 12)."""
    r, alpha, a, b = params.r, params.alpha, params.a, params.b
    x = np.asarray(frequency, dtype=float)
    t_x = np.asarray(recency, dtype=float)
    big_t = np.asarray(T, dtype=float)
    repeat = x > 0
    bx1 = np.where(repeat, b + x - 1.0, 1.0)
    log_odds_dead = (
        np.log(a) - np.log(bx1) + (r + x) * (np.log(alpha + big_t) - np.log(alpha + t_x))
    )
    return np.where(repeat, expit(-log_odds_dead), 1.0)


def expected_purchases_new(params: BGNBDParams, t: np.ndarray | float) -> np.ndarray:
    """E[X(t)]: expected purchases in (0, t] for a customer just acquired (eq. 9)."""
    r, alpha, a, b = params.r, params.alpha, params.a, params.b
    t = np.asarray(t, dtype=float)
    z = t / (alpha + t)
    return (a + b - 1) / (a - 1) * (1 - (alpha / (alpha + t)) ** r * hyp2f1(r, b, a + b - 1, z))


def conditional_expected_purchases(
    params: BGNBDParams,
    t: np.ndarray | float,
    frequency: np.ndarray,
    recency: np.ndarray,
    T: np.ndarray,
) -> np.ndarray:
    """E[Y(t) | x, t_x, T]: expected purchases in the next t periods (eq. 10)."""
    r, alpha, a, b = params.r, params.alpha, params.a, params.b
    x = np.asarray(frequency, dtype=float)
    big_t = np.asarray(T, dtype=float)
    t = np.asarray(t, dtype=float)
    z = t / (alpha + big_t + t)
    log_ratio = (r + x) * (np.log(alpha + big_t) - np.log(alpha + big_t + t))
    first = (a + b + x - 1) / (a - 1)
    body = 1 - np.exp(log_ratio) * hyp2f1(r + x, b + x, a + b + x - 1, z)
    return first * body * p_alive(params, x, recency, big_t)


# --------------------------------------------------------------------------- Gamma-Gamma


def _gg_ll_grad(
    log_params: np.ndarray, x: np.ndarray, m: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    p, q, g = np.exp(log_params)
    px = p * x
    ll = (
        gammaln(px + q)
        - gammaln(px)
        - gammaln(q)
        + q * np.log(g)
        + (px - 1) * np.log(m)
        + px * np.log(x)
        - (px + q) * np.log(g + m * x)
    )
    log_gmx = np.log(g + m * x)
    d_p = x * (digamma(px + q) - digamma(px) + np.log(m) + np.log(x) - log_gmx)
    d_q = digamma(px + q) - digamma(q) + np.log(g) - log_gmx
    d_g = q / g - (px + q) / (g + m * x)
    return ll, np.vstack([d_p * p, d_q * q, d_g * g])


def fit_gamma_gamma(frequency: np.ndarray, monetary: np.ndarray) -> GammaGammaParams:
    """Gamma-Gamma spend model (Fader, Hardie & Lok 2005) on repeat customers only.

    ``monetary`` is each customer's mean repeat-transaction value; customers with no
    repeat purchase (or no positive spend) carry no information and are left out.
    """
    x = np.asarray(frequency, dtype=float)
    m = np.asarray(monetary, dtype=float)
    keep = (x > 0) & (m > 0)
    if keep.sum() < 3:
        raise FitError("Gamma-Gamma needs at least 3 repeat customers with positive spend")
    (xs, ms), weight = _compress(x[keep], m[keep])
    total = weight.sum()

    def objective(theta: np.ndarray) -> tuple[float, np.ndarray]:
        ll, grad = _gg_ll_grad(theta, xs, ms)
        return -float(weight @ ll) / total, -(grad @ weight) / total

    start = np.log([1.0, 1.0, float(np.mean(ms))])
    result = minimize(
        objective,
        start,
        jac=True,
        method="L-BFGS-B",
        bounds=[(-12.0, 12.0)] * 3,
        options={"maxiter": 2000, "ftol": 1e-13, "gtol": 1e-9},
    )
    if not np.all(np.isfinite(result.x)):
        raise FitError(f"Gamma-Gamma fit failed: {result.message}")
    p, q, g = np.exp(result.x)
    return GammaGammaParams(float(p), float(q), float(g))


def expected_spend(
    params: GammaGammaParams, frequency: np.ndarray, monetary: np.ndarray
) -> np.ndarray:
    """E[M | x, m_x]: expected value of a customer's future transactions (eq. 5).

    Customers with no repeat purchase get the population mean p*gamma/(q-1).
    """
    p, q, g = params.p, params.q, params.gamma
    x = np.asarray(frequency, dtype=float)
    m = np.asarray(monetary, dtype=float)
    population = p * g / (q - 1) if q > 1 else np.nan
    with np.errstate(invalid="ignore", divide="ignore"):
        conditional = p * (g + x * m) / (p * x + q - 1)
    return np.where(x > 0, conditional, population)


# --------------------------------------------------------------------------- CLV


def customer_lifetime_value(
    bgnbd: BGNBDParams,
    gamma_gamma: GammaGammaParams,
    *,
    frequency: np.ndarray,
    recency: np.ndarray,
    T: np.ndarray,
    monetary: np.ndarray,
    horizon: float,
    step: float,
    annual_discount_rate: float,
    steps_per_year: float,
) -> np.ndarray:
    """Discounted expected spend over ``horizon`` model periods, counted in ``step`` slices.

    For each slice k the expected purchases in ((k-1)·step, k·step] are valued at the
    expected spend per purchase and discounted by (1 + d)^(k / steps_per_year), where d
    is the annual discount rate (e.g. 0.10).
    """
    if horizon <= 0 or step <= 0:
        raise ValueError("horizon and step must be positive")
    spend = expected_spend(gamma_gamma, frequency, monetary)
    n_steps = int(np.ceil(horizon / step - 1e-9))
    value = np.zeros(len(np.atleast_1d(frequency)))
    previous = np.zeros_like(value)
    for k in range(1, n_steps + 1):
        t = min(k * step, horizon)
        cumulative = conditional_expected_purchases(bgnbd, t, frequency, recency, T)
        value += (cumulative - previous) / (1 + annual_discount_rate) ** (k / steps_per_year)
        previous = cumulative
    return value * spend


def churn_risk(
    params: BGNBDParams, frequency: np.ndarray, recency: np.ndarray, T: np.ndarray
) -> np.ndarray:
    """1 - P(alive)."""
    return 1.0 - p_alive(params, frequency, recency, T)
