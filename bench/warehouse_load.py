"""Bulk-load speed of the warehouse backends on the real Online Retail data.

Reads the three Online Retail parts (541,909 invoice lines), shapes them into the canonical
``order_lines``, ``orders``, ``customers`` and ``products`` tables, then loads them into a
fresh DuckDB file and (when reachable) a fresh PostgreSQL schema, twice: the second load is
the idempotent re-import (everything counted as duplicates). Prints rows/s (wall clock) for
each, and the CPU time this process spent (the PostgreSQL server's own work is not in it),
which is the steadier figure on a busy machine.

    .venv/bin/python bench/warehouse_load.py [--rows N] [--no-postgres]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import tempfile
import time
import uuid
from pathlib import Path

import pandas as pd

from tradewinds.warehouse.duckdb_backend import DuckDBWarehouse
from tradewinds.warehouse.postgres_backend import PostgresWarehouse
from tradewinds.warehouse.postgres_roles import console_role_name

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "online_retail"
PG_URL = os.environ.get(
    "TRADEWINDS_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def read_lines(limit: int | None) -> pd.DataFrame:
    parts = sorted(DATA.glob("online_retail_20*.csv.gz"))
    frame = pd.concat(
        [
            pd.read_csv(p, dtype={"InvoiceNo": str, "StockCode": str, "CustomerID": str})
            for p in parts
        ],
        ignore_index=True,
    )
    return frame.head(limit) if limit else frame


def shape(raw: pd.DataFrame) -> dict[str, pd.DataFrame]:
    order_id = "online_retail:" + raw["InvoiceNo"]
    customer = raw["CustomerID"].str.removesuffix(".0")
    customer = ("online_retail:" + customer).where(customer.notna(), None)
    ordered_at = pd.to_datetime(raw["InvoiceDate"]).dt.tz_localize("Europe/London")
    lines = pd.DataFrame(
        {
            "order_id": order_id,
            "line_no": raw.groupby("InvoiceNo").cumcount() + 1,
            "product_id": "online_retail:" + raw["StockCode"],
            "sku": raw["StockCode"],
            "title": raw["Description"],
            "quantity": raw["Quantity"],
            "unit_price": raw["UnitPrice"],
            "currency": "GBP",
            "source": "online_retail",
        }
    )
    amount = raw["Quantity"] * raw["UnitPrice"]
    orders = (
        pd.DataFrame(
            {
                "order_id": order_id,
                "customer_id": customer,
                "ordered_at": ordered_at,
                "country": raw["Country"],
                "amount": amount,
            }
        )
        .groupby("order_id", sort=False)
        .agg(
            customer_id=("customer_id", "first"),
            ordered_at=("ordered_at", "first"),
            country=("country", "first"),
            total=("amount", "sum"),
        )
        .reset_index()
    )
    orders["storefront"] = "online_retail"
    orders["currency"] = "GBP"
    orders["total"] = orders["total"].round(4)
    customers = (
        orders.dropna(subset=["customer_id"])
        .groupby("customer_id")
        .agg(country=("country", "first"), first_order_at=("ordered_at", "min"))
        .reset_index()
    )
    products = (
        lines.groupby("product_id")
        .agg(sku=("sku", "first"), title=("title", "first"))
        .reset_index()
        .assign(source="online_retail")
    )
    return {"order_lines": lines, "orders": orders, "customers": customers, "products": products}


def run(name: str, warehouse, tables: dict[str, pd.DataFrame]) -> None:
    total_rows = sum(len(t) for t in tables.values())
    for attempt in ("first load", "same data again"):
        started, cpu_started = time.perf_counter(), time.process_time()
        results = {}
        with warehouse.transaction():
            for table, frame in tables.items():
                results[table] = warehouse.load(table, frame)
        elapsed = time.perf_counter() - started
        cpu = time.process_time() - cpu_started
        inserted = sum(r.inserted for r in results.values())
        duplicates = sum(r.duplicates for r in results.values())
        print(
            f"{name:<10} {attempt:<16} {total_rows:>9,} rows in {elapsed:6.2f} s = "
            f"{total_rows / elapsed:>9,.0f} rows/s  "
            f"(inserted {inserted:,}, duplicates {duplicates:,}; "
            f"{cpu:.2f} s CPU in this process)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=None, help="only the first N invoice lines")
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()

    started = time.perf_counter()
    raw = read_lines(args.rows)
    tables = shape(raw)
    print(
        f"read and shaped {len(raw):,} invoice lines in {time.perf_counter() - started:.2f} s: "
        + ", ".join(f"{k} {len(v):,}" for k, v in tables.items())
    )
    with tempfile.TemporaryDirectory() as tmp:
        wh = DuckDBWarehouse(Path(tmp) / "bench.duckdb")
        wh.ensure_tables()
        try:
            run("DuckDB", wh, tables)
        finally:
            wh.close()
    if args.no_postgres:
        return
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    pg = PostgresWarehouse(PG_URL, schema=schema)
    try:
        pg.ensure_tables()
        run("PostgreSQL", pg, tables)
    except Exception as exc:  # noqa: BLE001 - report and carry on: the bench prints what it can
        print(f"PostgreSQL skipped: {exc}")
    finally:
        with contextlib.suppress(Exception):
            pg.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
            pg.execute(f'DROP ROLE IF EXISTS "{console_role_name(schema)}"')
        pg.close()


if __name__ == "__main__":
    main()
