"""End-to-end imports into a real DuckDB warehouse (and PostgreSQL where reachable)."""

from __future__ import annotations

import gzip
import shutil
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from tests.ingest.samples import SAMPLES
from tradewinds.ingest.service import import_file
from tradewinds.ingest.spec import FileError
from tradewinds.warehouse import open_warehouse


@pytest.fixture
def warehouse(tw_home: Path):
    wh = open_warehouse("ingest")
    yield wh
    wh.close()


def test_same_file_twice_changes_nothing(warehouse, shared_data: Path, tmp_path: Path) -> None:
    path = shared_data / "ad_exports" / "google_ads_advanced_bid_adjustment_report.csv"
    first = import_file(warehouse=warehouse, path=path)
    # 21 rows by interaction type and the 'Total: Account' line; stored with the part of
    # the account total no row covers
    assert (first.format, first.read, first.imported, first.rejected) == ("google_ads", 22, 23, 0)
    again = import_file(warehouse=warehouse, path=path)
    assert (again.imported, again.duplicates) == (0, 23)
    spend = dict(warehouse.query("SELECT kind, sum(spend) FROM ad_spend_period GROUP BY kind").rows)
    assert spend == {
        "row": Decimal("4194.59"),  # the report's own 'Total: Interactions'
        "account_total": Decimal("249214.39"),
        "not_broken_down": Decimal("245019.80"),
    }
    assert warehouse.count("ad_spend_daily") == 0  # nothing dated on one day of the range


def test_orders_import_is_idempotent_and_keeps_pii_apart(warehouse, tmp_path: Path) -> None:
    path = SAMPLES["shopify_orders"](tmp_path, False)
    first = import_file(warehouse=warehouse, path=path)
    assert (first.read, first.imported, first.rejected) == (3, 3, 0)
    again = import_file(warehouse=warehouse, path=path)
    assert (again.imported, again.duplicates) == (0, 3)
    assert all(c.inserted == 0 and c.updated == 0 for c in again.tables.values())
    rows = warehouse.query(
        "SELECT order_id, currency, total, refunded, status FROM orders ORDER BY order_id"
    ).rows
    assert rows == [
        ("shopify:1001", "USD", Decimal("37.0000"), None, "paid"),
        ("shopify:1002", "EUR", Decimal("12.5000"), Decimal("12.5000"), "refunded"),
    ]
    pii = warehouse.query("SELECT email FROM customer_pii ORDER BY email").rows
    assert pii == [("ana@example.com",), ("bo@example.com",)]


def test_bad_rows_reported_good_rows_kept(warehouse, tmp_path: Path) -> None:
    path = SAMPLES["amazon_orders"](tmp_path, True)
    report = import_file(warehouse=warehouse, path=path, max_rejected_share=0.9)
    assert report.rejected == 2 and report.imported == 1
    assert {e.field for e in report.errors} == {"item-price", "order_id"}
    assert warehouse.count("orders") == 1


def test_too_many_bad_rows_imports_nothing(warehouse, tmp_path: Path) -> None:
    path = SAMPLES["amazon_orders"](tmp_path, True)
    report = import_file(warehouse=warehouse, path=path, max_rejected_share=0.5)
    assert report.aborted and report.imported == 0
    assert warehouse.count("orders") == 0


def test_killed_import_leaves_nothing(warehouse, shared_data: Path) -> None:
    path = shared_data / "online_retail" / "online_retail_non_uk.csv.gz"

    def die(stage: str, done: int, total: int) -> None:
        if stage == "storing customers":  # orders and lines are already loaded by now
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        import_file(warehouse=warehouse, path=path, progress=die)
    for table in ("orders", "order_lines", "customers", "products"):
        assert warehouse.count(table) == 0


def test_unknown_file_lists_formats(warehouse, shared_data: Path) -> None:
    with pytest.raises(FileError, match="google_ads.*online_retail"):
        import_file(warehouse=warehouse, path=shared_data / "cdnow" / "CDNOW_sample.txt")


def _pandas_truth(paths: list[Path]) -> tuple[int, int, Decimal]:
    frame = pd.concat(pd.read_csv(p, dtype=str, keep_default_na=False) for p in paths)
    lines = frame["Quantity"].astype(int) * frame["UnitPrice"].map(Decimal)
    return len(frame), frame["Country"].nunique(), sum(lines, Decimal(0))


def test_online_retail_totals_match_pandas(warehouse, shared_data: Path, tmp_path: Path) -> None:
    src = shared_data / "online_retail" / "online_retail_non_uk.csv.gz"
    zipped = tmp_path / "non_uk.csv.gz"
    shutil.copy(src, zipped)  # compressed files are read directly
    report = import_file(warehouse=warehouse, path=zipped)
    lines, countries, total = _pandas_truth([src])
    assert report.format == "online_retail"
    assert (report.read, report.imported, report.rejected) == (lines, lines, 0)
    got = warehouse.query("SELECT count(DISTINCT country), sum(total) FROM orders").rows[0]
    assert got == (countries, total)
    line_sum = warehouse.query("SELECT sum(quantity * unit_price) FROM order_lines").scalar()
    assert line_sum == total
    refunds = warehouse.query(
        "SELECT count(*) FROM orders WHERE order_id LIKE 'online_retail:C%' "
        "AND status = 'refunded' AND total < 0 AND refunded = -total"
    ).scalar()
    with gzip.open(src, "rt") as fh:
        cancelled = len({ln.split(",")[0] for ln in fh if ln.startswith("C")})
    assert refunds == cancelled > 0


def test_postgres_import(tw_home: Path, tmp_path: Path) -> None:
    import uuid

    import sqlalchemy as sa

    from tests.services import need_postgres
    from tradewinds.warehouse.factory import postgres_schema_name
    from tradewinds.warehouse.postgres_roles import console_role_name

    url = need_postgres()
    key = f"ingest{uuid.uuid4().hex[:10]}"
    wh = open_warehouse(key, url=url)
    try:
        path = SAMPLES["shopify_orders"](tmp_path, False)
        first = import_file(warehouse=wh, path=path)
        again = import_file(warehouse=wh, path=path)
        assert (first.imported, again.duplicates) == (3, 3)
        assert wh.count("customer_pii") == 2
    finally:
        wh.close()
        engine = sa.create_engine(url)
        with engine.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{postgres_schema_name(key)}" CASCADE'))
            role = console_role_name(postgres_schema_name(key))
            conn.execute(sa.text(f'DROP ROLE IF EXISTS "{role}"'))
        engine.dispose()


def test_overlapping_reports_change_nothing_twice(warehouse, tmp_path: Path) -> None:
    header = "Reporting starts,Reporting ends,Campaign name,Reach,Amount spent (USD),Impressions\n"
    first, second = tmp_path / "march_1_2.csv", tmp_path / "march_2_3.csv"
    first.write_text(
        header + "2024-03-01,2024-03-01,Sale,10,5.00,100\n2024-03-02,2024-03-02,Sale,10,6.00,120\n"
    )
    second.write_text(
        header + "2024-03-02,2024-03-02,Sale,10,6.00,120\n2024-03-03,2024-03-03,Sale,10,7.00,140\n"
    )
    assert import_file(warehouse=warehouse, path=first).imported == 2
    report = import_file(warehouse=warehouse, path=second)
    assert (report.imported, report.duplicates) == (1, 1)
    assert warehouse.query("SELECT sum(spend) FROM ad_spend_daily").scalar() == Decimal("18")


KILLER = """
import os, signal, sys
from tradewinds.ingest.service import import_file
from tradewinds.warehouse import open_warehouse

def die(stage, done, total):
    if stage == "storing customers":  # orders and lines are loaded, not yet committed
        os.kill(os.getpid(), signal.SIGKILL)

wh = open_warehouse("killed", url=sys.argv[1])
import_file(warehouse=wh, path=sys.argv[2], progress=die)
"""


def test_sigkilled_import_leaves_nothing(tw_home: Path, shared_data: Path, tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys

    url = f"duckdb:///{tmp_path}/{{key}}.duckdb"
    path = shared_data / "online_retail" / "online_retail_non_uk.csv.gz"
    proc = subprocess.run(
        [sys.executable, "-c", KILLER, url, str(path)], timeout=120, capture_output=True
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()[-2000:]
    wh = open_warehouse("killed", url=url)
    try:
        for table in ("orders", "order_lines", "customers", "products"):
            assert wh.count(table) == 0, table
        again = import_file(warehouse=wh, path=path)
        assert again.imported == again.read == 46_431
    finally:
        wh.close()
