"""Analyse 1,000 experiments (2–4 variations, a binomial and a mean metric each) from a
results CSV: reading the file, every test and verdict. Target ≤ 1 s; exit 1 when missed."""

from __future__ import annotations

import io
import random
import time


def many_experiments(count: int, seed: int = 11):
    from tradewinds.experiments.csv_file import read_text

    rng = random.Random(seed)
    out = io.StringIO()
    out.write("experiment,variation,units,metric,metric_type,sum,sum_squares\n")
    for i in range(count):
        k = rng.randint(2, 4)
        units = [rng.randint(500, 100_000) for _ in range(k)]
        p = rng.uniform(0.01, 0.2)
        mu, sd = rng.uniform(5, 80), rng.uniform(5, 120)
        for j in range(k):
            n, lift = units[j], (1 if j == 0 else rng.uniform(0.9, 1.15))
            conv = round(n * p * lift)
            out.write(f"exp-{i},v{j},{n},conversion,binomial,{conv},\n")
            total = n * mu * lift
            out.write(
                f"exp-{i},v{j},{n},revenue,mean,{total:.4f},{(sd**2 + (mu * lift) ** 2) * n:.4f}\n"
            )
    return read_text(out.getvalue(), name="bench.csv")


def analyse_many(experiments) -> tuple[float, int]:
    from tradewinds.experiments.service import report

    report(experiments[:5], source="warm-up")
    started = time.perf_counter()
    result = report(experiments, source="bench.csv")
    seconds = time.perf_counter() - started
    return seconds, sum(len(e.results) for e in result.experiments)


def main() -> int:
    from tradewinds.experiments.csv_file import read_text

    experiments = many_experiments(1000)
    seconds, comparisons = analyse_many(experiments)
    # the whole path once more, from the file's text
    rng_text = io.StringIO()
    rng_text.write("experiment,variation,units,metric,metric_type,sum,sum_squares\n")
    for e in experiments:
        for m in e.metrics:
            for v, n, s, q in zip(e.variations, e.units, m.sums, m.sum_squares, strict=True):
                rng_text.write(f"{e.key},{v},{n},{m.name},{m.metric_type},{s},{q or ''}\n")
    started = time.perf_counter()
    from tradewinds.experiments.service import report

    report(read_text(rng_text.getvalue()), source="bench.csv")
    with_file = time.perf_counter() - started
    print(f"1,000 experiments, {comparisons} comparisons: tests and verdicts {seconds:.3f} s, "
          f"from the CSV's text {with_file:.3f} s (target ≤ 1 s)")  # fmt: skip
    ok = with_file <= 1.0
    print("OK" if ok else "MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
