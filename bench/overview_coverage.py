"""What the Overview's "what data exists when" check costs, at 10M events / 2M orders.

Uses the synthetic shop of ``bench/dashboard_overview.py`` (``bench/.cache``; generated on
the first run, ~1 min) and prints p50/p95 in ms of:

* ``in_period`` for the page's default 30 days (run on every Overview view),
* ``in_period`` for a month without data,
* ``coverage`` (rows per table and month; run only when a period lacks orders or spend).

    .venv/bin/python bench/overview_coverage.py [--runs 20]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import dashboard_overview as bench  # noqa: E402

from tradewinds.analytics import coverage  # noqa: E402
from tradewinds.analytics.filters import ReportScope  # noqa: E402
from tradewinds.warehouse import open_warehouse  # noqa: E402


def timed(runs: int, job: Callable[[], object]) -> tuple[float, float]:
    job()  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        job()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    bench.CACHE.mkdir(exist_ok=True)
    url = f"duckdb:///{bench.CACHE}/{{key}}.duckdb"
    with open_warehouse(bench.KEY, url=url) as wh:
        if wh.count("events") < bench.COUNTS["events"]:
            for table in ("fx_rates", "ad_spend_daily", "orders", "touchpoints", "events"):
                wh.execute(f"DELETE FROM {table}")
            bench.generate(wh)
        print({t: wh.count(t) for t in bench.COUNTS})
        tz = bench.TIMEZONE
        recent = ReportScope(date(2023, 12, 2), date(2023, 12, 31), timezone=tz)
        empty = ReportScope(date(2013, 1, 1), date(2013, 1, 31), timezone=tz)
        rows = [
            (
                "in_period, the default 30 days (every view)",
                lambda: coverage.in_period(warehouse=wh, scope=recent),
            ),
            (
                "in_period, a month without data",
                lambda: coverage.in_period(warehouse=wh, scope=empty),
            ),
            (
                "coverage, rows per table and month (empty periods only)",
                lambda: coverage.coverage(warehouse=wh, timezone=tz),
            ),
        ]
        print(f"{'query':<58} {'p50 ms':>8} {'p95 ms':>8}")
        for label, job in rows:
            p50, p95 = timed(args.runs, job)
            print(f"{label:<58} {p50:>8.1f} {p95:>8.1f}")


if __name__ == "__main__":
    main()
