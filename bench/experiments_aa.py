"""A/A tests on real sessions: the UCI Online Shoppers data (12,330 storefront sessions)
split by the assignment hash into two arms that differ in nothing.

For 200 salts, every session is assigned with ``assign(salt, session id, [0.5, 0.5])``; the
arms' purchase rate (sessions that bought) and page value per session are compared. A
sound pipeline shows: the split even (SRM p-values uniform: few below 0.001), the Welch
test "significant" at p < 0.05 in about 5% of the salts, the sequential test in fewer
(it is valid under continuous peeking, so it is conservative at a single look), and no
"ship" verdict beyond what chance allows. Exit 1 when a rate is off.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

DATA = Path("/work/shared/data/ecommerce_sessions/online_shoppers_intention.csv")
SALTS = 200


def main() -> int:
    from tradewinds.experiments.analysis import analyze
    from tradewinds.experiments.assignment import assign
    from tradewinds.experiments.summaries import ExperimentData, MetricData

    if not DATA.exists():
        print(f"missing {DATA}", file=sys.stderr)
        return 1
    with DATA.open() as handle:
        rows = [(r["Revenue"] == "TRUE", float(r["PageValues"])) for r in csv.DictReader(handle)]
    experiments = []
    for s in range(SALTS):
        salt = f"aa-{s}"
        n, buy, value, squares = [0, 0], [0.0, 0.0], [0.0, 0.0], [0.0, 0.0]
        for i, (bought, page_value) in enumerate(rows):
            arm = assign(salt, f"session-{i}", [0.5, 0.5])
            n[arm] += 1
            buy[arm] += bought
            value[arm] += page_value
            squares[arm] += page_value * page_value
        experiments.append(
            ExperimentData(
                key=salt,
                variations=("A", "A'"),
                units=(n[0], n[1]),
                weights=(1.0, 1.0),
                metrics=(
                    MetricData("purchase rate", "binomial", tuple(buy), tuple(buy)),
                    MetricData("page value", "mean", tuple(value), tuple(squares)),
                ),
            )
        )
    results = analyze(experiments)
    srm = sum(e.srm_p_value < 0.001 for e in results) / SALTS
    welch = sum(r.p_value < 0.05 for e in results for r in e.results) / (2 * SALTS)
    seq = sum(
        r.sequential_ci_low > 0 or r.sequential_ci_high < 0 for e in results for r in e.results
    ) / (2 * SALTS)
    ship = sum(e.verdict.kind == "ship" for e in results) / SALTS
    print(
        f"{len(rows):,} real sessions, {SALTS} A/A splits: SRM flagged {srm:.1%} (expect ~0.1%), "
        f"Welch p < 0.05 {welch:.1%} (expect ~5%), sequential interval excludes 0 {seq:.1%} "
        f"(expect ≤ 5%), 'ship' verdicts {ship:.1%}"
    )
    ok = srm <= 0.02 and 0.01 <= welch <= 0.10 and seq <= 0.05 and ship <= 0.05
    print("OK" if ok else "MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
