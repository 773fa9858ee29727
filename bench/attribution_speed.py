"""Speed: exact Markov and Shapley on large synthetic path files, beside ChannelAttribution.

  .venv/bin/python bench/attribution_speed.py [--paths 1000000] [--orders 1,2] [--no-peer]

Writes seeded synthetic files to bench/.cache/ (git-ignored) once, then times
1. Tradewinds: read the file + exact Markov order 1 (and the other orders asked for);
2. ChannelAttribution markov_model with default settings on the same file (own venv);
3. Tradewinds exact Shapley on a 15-channel file.
Targets: Markov order 1 on 1,000,000 distinct paths over 20 channels <= 30 s and no slower
than the peer; exact Shapley for 15 channels <= 60 s.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd

from tradewinds.attribution.models import markov, shapley
from tradewinds.attribution.pathfile import read_path_file

CACHE = Path(__file__).resolve().parent / ".cache"


def synthetic_paths(*, n_paths: int, n_channels: int, seed: int) -> pd.DataFrame:
    """``n_paths`` distinct paths; journeys convert more often through some channels."""
    rng = np.random.default_rng(seed)
    names = np.array([f"ch{i:02d}" for i in range(n_channels)], dtype=object)
    popularity = rng.dirichlet(np.full(n_channels, 0.8))
    effect = rng.normal(0.0, 0.6, n_channels)
    frames = []
    have = 0
    while have < n_paths:
        batch = int((n_paths - have) * 1.3) + 1000
        lengths = 1 + rng.poisson(4.5, batch)
        codes = rng.choice(n_channels, size=int(lengths.sum()), p=popularity)
        offsets = np.concatenate([[0], np.cumsum(lengths)])
        flat = names[codes]
        paths = [" > ".join(flat[a:b]) for a, b in zip(offsets[:-1], offsets[1:], strict=True)]
        pid = np.repeat(np.arange(batch), lengths)
        score = np.bincount(pid, weights=effect[codes], minlength=batch) / np.sqrt(lengths)
        p_conv = 1.0 / (1.0 + np.exp(-(score - 1.6)))
        journeys = 1 + rng.poisson(3.0, batch)
        conv = rng.binomial(journeys, p_conv)
        value = np.round(conv * rng.lognormal(4.0, 0.5, batch), 2)
        frames.append(
            pd.DataFrame(
                {
                    "path": paths,
                    "total_conversions": conv,
                    "total_conversion_value": value,
                    "total_null": journeys - conv,
                }
            )
        )
        data = pd.concat(frames, ignore_index=True).drop_duplicates("path", ignore_index=True)
        frames = [data]
        have = len(data)
    return frames[0].iloc[:n_paths]


def ensure_file(n_paths: int, n_channels: int, seed: int) -> Path:
    CACHE.mkdir(exist_ok=True)
    file = CACHE / f"attribution_paths_{n_paths}_{n_channels}ch_seed{seed}.csv"
    if not file.exists():
        started = time.perf_counter()
        data = synthetic_paths(n_paths=n_paths, n_channels=n_channels, seed=seed)
        data.to_csv(file, sep=";", index=False)
        print(
            f"  wrote {file.name} ({len(data):,} distinct paths) "
            f"in {time.perf_counter() - started:.1f} s"
        )
    return file


def time_markov(file: Path, order: int) -> tuple[float, float, markov.MarkovResult]:
    started = time.perf_counter()
    table = read_path_file(file)
    read_s = time.perf_counter() - started
    result = markov.markov(table, order=order)
    return read_s, time.perf_counter() - started, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--paths", type=int, default=1_000_000)
    parser.add_argument("--channels", type=int, default=20)
    parser.add_argument("--shapley-channels", type=int, default=15)
    parser.add_argument("--orders", default="1", help="Markov orders to time, e.g. 1,2,3,4")
    parser.add_argument("--no-peer", action="store_true")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    ok = True

    print(f"Markov on {args.paths:,} distinct paths over {args.channels} channels")
    file = ensure_file(args.paths, args.channels, args.seed)
    results = {}
    results_time = {}
    for order in (int(o) for o in args.orders.split(",")):
        read_s, total_s, result = time_markov(file, order)
        results[order] = result
        results_time[order] = total_s
        states = result.chain.n_states
        print(
            f"  Tradewinds exact order {order}: {total_s:6.2f} s "
            f"(read {read_s:.2f} s, model {total_s - read_s:.2f} s, {states:,} states)"
        )
    ours_s = None
    if 1 in results:
        runs = [results_time[1]]
        for _ in range(2):
            runs.append(time_markov(file, 1)[1])
        ours_s = max(runs)  # the slowest run is the one compared
        good = ours_s <= 30
        ok &= good
        print(
            "  Tradewinds exact order 1, three runs: "
            + ", ".join(f"{r:.2f} s" for r in runs)
            + f"; slowest {ours_s:.2f} s  {'OK' if good else 'FAIL'} (<= 30 s)"
        )
    if not args.no_peer:
        from attribution_peer import run_peer

        answer = run_peer({"task": "markov", "file": str(file), "defaults": True})
        print(
            f"  ChannelAttribution markov_model, default settings: {answer['seconds']:6.2f} s "
            f"(read {answer['read_seconds']:.2f} s; {answer['wall_seconds']:.2f} s with "
            "interpreter start)"
        )
        if ours_s is not None:
            faster = ours_s <= answer["seconds"]
            ok &= faster
            print(
                f"  Tradewinds (slowest run) / ChannelAttribution time: "
                f"{ours_s / answer['seconds']:.2f}  "
                f"{'OK' if faster else 'FAIL'} (no slower)"
            )
            exact = results[1].credit.by_channel()
            total = sum(c for c, _ in exact.values())
            diffs = [
                abs(r["total_conversions"] - exact[r["channel_name"]][0])
                / exact[r["channel_name"]][0]
                for r in answer["rows"]
                if exact[r["channel_name"]][0] >= 0.02 * total
            ]
            print(
                f"  peer (nsim_start=1e5) vs exact, channels >= 2%: "
                f"worst {max(diffs):.2%}, mean {np.mean(diffs):.2%}"
            )

    print(
        f"\nExact Shapley, {args.shapley_channels} channels ({2**args.shapley_channels:,} "
        f"coalitions), {args.paths:,} distinct paths"
    )
    sfile = ensure_file(args.paths, args.shapley_channels, args.seed)
    for worth in ("conversions", "conversion_rate"):
        started = time.perf_counter()
        table = read_path_file(sfile)
        read_s = time.perf_counter() - started
        shapley.shapley(table, worth=worth)
        total_s = time.perf_counter() - started
        good = total_s <= 60
        ok &= good
        print(
            f"  Tradewinds exact Shapley (worth={worth}): {total_s:6.2f} s "
            f"(read {read_s:.2f} s, model {total_s - read_s:.2f} s)  "
            f"{'OK' if good else 'FAIL'} (<= 60 s)"
        )
    print("\nALL TARGETS MET" if ok else "\nSOME TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
