"""Speed of per-day currency conversion inside warehouse queries.

Loads the Online Retail orders (25,900 invoices in GBP, 2010-12 … 2011-12) and an
ECB-shaped rate history (every business day 1999-2024 for 30 currencies: 195,000 rates,
generated — the real history is not shipped), then times monthly revenue converted to USD
at each order's own date, on DuckDB and (when reachable) PostgreSQL.

    .venv/bin/python bench/warehouse_fx.py [--no-postgres]
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
import time
import uuid
from datetime import date
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))

from warehouse_load import PG_URL, read_lines, shape  # noqa: E402

from tradewinds.markets.fx_sql import convert_sql  # noqa: E402
from tradewinds.warehouse.duckdb_backend import DuckDBWarehouse  # noqa: E402
from tradewinds.warehouse.postgres_backend import PostgresWarehouse  # noqa: E402
from tradewinds.warehouse.postgres_roles import console_role_name  # noqa: E402

CURRENCIES = [
    "USD",
    "JPY",
    "BGN",
    "CZK",
    "DKK",
    "GBP",
    "HUF",
    "PLN",
    "RON",
    "SEK",
    "CHF",
    "ISK",
    "NOK",
    "TRY",
    "AUD",
    "BRL",
    "CAD",
    "CNY",
    "HKD",
    "IDR",
    "ILS",
    "INR",
    "KRW",
    "MXN",
    "MYR",
    "NZD",
    "PHP",
    "SGD",
    "THB",
    "ZAR",
]


def rate_history() -> pd.DataFrame:
    days = pd.bdate_range(date(1999, 1, 4), date(2024, 12, 31))
    rng = np.random.default_rng(7)
    frames = []
    for code in CURRENCIES:
        walk = np.exp(np.cumsum(rng.normal(0, 0.004, len(days))))
        level = float(rng.uniform(0.5, 2000))
        frames.append(
            pd.DataFrame(
                {
                    "date": days.date,
                    "base": "EUR",
                    "quote": code,
                    "rate": [Decimal(f"{v:.4f}") for v in level * walk],
                    "source": "bench",
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


QUERY = convert_sql(
    "SELECT order_id, ordered_at, currency, total FROM orders",
    amount="total",
    currency="currency",
    on="ordered_at",
    to="USD",
)
MONTHLY = (
    "SELECT date_trunc('month', ordered_at) AS month, sum(total_converted) AS revenue_usd, "
    f"count(*) AS orders FROM ({QUERY}) AS c GROUP BY 1 ORDER BY 1"
)


def run(name: str, wh, orders: pd.DataFrame, rates: pd.DataFrame) -> None:  # noqa: ANN001
    wh.load("orders", orders)
    wh.load("fx_rates", rates)
    times = []
    for _ in range(3):
        started = time.perf_counter()
        result = wh.query(MONTHLY)
        times.append(time.perf_counter() - started)
    total = sum((r[1] or Decimal(0)) for r in result.rows)
    print(
        f"{name:<10} monthly USD revenue over {len(orders):,} orders with {len(rates):,} rates: "
        f"best {min(times) * 1000:,.0f} ms of 3 ({len(result.rows)} months, "
        f"total {total:,.2f} USD)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    orders = shape(read_lines(None))["orders"]
    rates = rate_history()
    with tempfile.TemporaryDirectory() as tmp:
        wh = DuckDBWarehouse(Path(tmp) / "fx.duckdb")
        wh.ensure_tables()
        try:
            run("DuckDB", wh, orders, rates)
        finally:
            wh.close()
    if args.no_postgres:
        return
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    pg = PostgresWarehouse(PG_URL, schema=schema)
    try:
        pg.ensure_tables()
        run("PostgreSQL", pg, orders, rates)
    except Exception as exc:  # noqa: BLE001 - print what can be measured
        print(f"PostgreSQL skipped: {exc}")
    finally:
        with contextlib.suppress(Exception):
            pg.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
            pg.execute(f'DROP ROLE IF EXISTS "{console_role_name(schema)}"')
        pg.close()


if __name__ == "__main__":
    main()
