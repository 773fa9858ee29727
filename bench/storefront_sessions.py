"""What counting storefront sessions costs beside counting visitors (the conversion-rate tile).

  .venv/bin/python bench/storefront_sessions.py [EVENTS]

Loads EVENTS synthetic events (default 1,000,000: 5 events per visitor, a third of the
visitors coming back after more than 30 minutes) into a DuckDB warehouse, then times the
tile query with visitors only and with sessions, and checks the session count against
pandas. Prints the figures; no target.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from tradewinds.analytics.filters import ReportScope
from tradewinds.analytics.kpis import _frame, events_sql
from tradewinds.warehouse.duckdb_backend import DuckDBWarehouse


def events(n: int, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    visitors = n // 5
    who = np.repeat(np.arange(visitors), 5)
    start = pd.Timestamp("2024-03-01") + pd.to_timedelta(
        rng.uniform(0, 29 * 86400, visitors), unit="s"
    )
    step = rng.exponential(300, size=(visitors, 5))
    step[rng.random(visitors) < 1 / 3, 3] += 3600  # comes back an hour later
    offsets = pd.to_timedelta(np.cumsum(step, axis=1).ravel(), unit="s")
    return pd.DataFrame(
        {
            "message_id": [f"b{i}" for i in range(len(who))],
            "type": "track",
            "event": "Product Viewed",
            "anonymous_id": [f"v{w}" for w in who],
            "user_id": None,
            "timestamp": np.repeat(start.to_numpy(), 5) + offsets.to_numpy(),
            "properties": "{}",
            "context": "{}",
        }
    )


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    frame = events(n)
    scope = ReportScope(start=date(2024, 3, 1), end=date(2024, 3, 31))
    with tempfile.TemporaryDirectory() as tmp:
        wh = DuckDBWarehouse(Path(tmp) / "bench.duckdb")
        wh.ensure_tables()
        wh.load("events", frame)
        for sessions in (False, True):
            sql, params = events_sql(scope, sessions=sessions)
            _frame(wh, sql, params)
            times = []
            for _ in range(5):
                t = time.perf_counter()
                got = _frame(wh, sql, params).to_dict("records")[0]
                times.append(time.perf_counter() - t)
            print(
                f"{'visitors + sessions' if sessions else 'visitors only':<20} "
                f"median {np.median(times) * 1000:8.1f} ms  {got}"
            )
        wh.close()
    ts = frame.sort_values(["anonymous_id", "timestamp"])
    gap = ts.groupby("anonymous_id")["timestamp"].diff()
    print(
        f"pandas sessions: {int((gap.isna() | (gap > pd.Timedelta(minutes=30))).sum()):,} "
        f"of {len(frame):,} events"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
