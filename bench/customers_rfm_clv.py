"""RFM + CLV (BG/NBD, Gamma-Gamma, P(alive), 12-month CLV) for 1,000,000 synthetic customers.

    .venv/bin/python bench/customers_rfm_clv.py [--customers 1000000] [--peer-timeout 300]

Target: <= 60 s for the whole scoring (from the transaction table to one row per customer
with R/F/M scores, segment, P(alive), churn risk and CLV). Customers are simulated from
a BG/NBD process with the CDNOW parameters and Gamma-Gamma spend, over one year.
The `lifetimes` package fits the same BG/NBD + Gamma-Gamma models and computes CLV on the
same per-customer summary (its own venv, bench/.venv-lifetimes); it does no RFM.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from customers_peer import run_peer

from tradewinds.audiences.scores import customer_scores
from tradewinds.audiences.transactions import summarise

START = np.datetime64("2024-01-01")
DAYS = 365


def simulate(n: int, seed: int = 7) -> pd.DataFrame:
    """Transactions of n customers: BG/NBD purchase process, Gamma-Gamma spend."""
    rng = np.random.default_rng(seed)
    lam = rng.gamma(0.243, 1 / 4.414, n) / 7  # purchases per day
    p = rng.beta(0.793, 2.426, n)  # drop-out after each purchase
    nu = rng.gamma(3.74, 1 / 15.44, n)  # spend scale per customer
    first = rng.integers(0, DAYS // 2, n)
    window = DAYS - first
    # Poisson purchase times over the window; the customer drops out after a geometric
    # number of repeat purchases, so only the first ones of those times happen
    alive_repeats = rng.geometric(p) - 1
    in_window = rng.poisson(lam * window)
    owner = np.repeat(np.arange(n), in_window)
    u = rng.random(len(owner))
    order = np.lexsort((u, owner))
    owner, u = owner[order], u[order]
    starts = np.repeat(np.cumsum(in_window) - in_window, in_window)
    rank = np.arange(len(owner)) - starts
    keep = rank < alive_repeats[owner]
    owner, u = owner[keep], u[keep]
    offsets = (u * window[owner]).astype(np.int64)
    customer = np.concatenate([np.arange(n), owner])
    day = np.concatenate([first, first[owner] + offsets])
    amount = rng.gamma(6.25, 1 / nu[customer])
    return pd.DataFrame(
        {
            "customer_id": np.char.add("c", customer.astype(str)).astype(object),
            "date": START + day.astype("timedelta64[D]"),
            "amount": np.round(amount, 2),
        }
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--peer-timeout", type=float, default=300.0)
    args = parser.parse_args()

    started = time.perf_counter()
    tx = simulate(args.customers)
    print(
        f"simulated {args.customers:,} customers, {len(tx):,} transactions "
        f"in {time.perf_counter() - started:.1f} s"
    )
    as_of = START + np.timedelta64(DAYS, "D")

    started = time.perf_counter()
    scores = customer_scores(tx, as_of=as_of)
    ours = time.perf_counter() - started
    table = scores.table
    print(
        f"tradewinds RFM + BG/NBD + Gamma-Gamma + P(alive) + 12-month CLV: {ours:.1f} s "
        f"(target <= 60 s)"
    )
    bg = scores.bgnbd
    print(
        f"  BG/NBD r={bg.r:.3f} alpha={bg.alpha:.3f} a={bg.a:.3f} b={bg.b:.3f} "
        f"(simulated with 0.243 / 4.414 / 0.793 / 2.426)"
    )
    print(
        f"  mean CLV {table['clv'].mean():.2f}, mean P(alive) {table['p_alive'].mean():.3f}, "
        f"RFM scores in 1..5: {bool(table[['r', 'f', 'm']].isin(range(1, 6)).all().all())}"
    )
    print(
        "  segments: " + ", ".join(f"{k} {v:,}" for k, v in table["segment"].value_counts().items())
    )

    summary = summarise(tx, calibration_end=as_of, period="week")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "summary.csv"
        summary.frame().to_csv(path, index=False)
        peer = run_peer({"summary_csv": str(path), "clv": True}, timeout=args.peer_timeout)
    if peer.get("timed_out"):
        print(f"lifetimes: did not finish within {args.peer_timeout:.0f} s")
        return 0 if ours <= 60 else 1
    total = peer["bgnbd_seconds"] + peer["gamma_gamma_seconds"] + peer["clv_seconds"]
    print(
        f"lifetimes (same summary, no RFM): BG/NBD {peer['bgnbd_seconds']:.1f} s + "
        f"Gamma-Gamma {peer['gamma_gamma_seconds']:.1f} s + P(alive) & CLV "
        f"{peer['clv_seconds']:.1f} s = {total:.1f} s; mean CLV {peer['mean_clv']:.2f}"
    )
    return 0 if ours <= 60 else 1


if __name__ == "__main__":
    raise SystemExit(main())
