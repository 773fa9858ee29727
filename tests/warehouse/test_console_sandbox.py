"""The second wall: DuckDB itself refuses files, settings and writes, checker or no checker.

These tests call the console's runner (``warehouse.readonly()``) directly with raw SQL the
checker would refuse, once when the console opens the database itself and once while the
same process already has it open for another request (a metrics-like query running in a
loop on another thread), the situation in which the console used to fall back to the
server's own, unrestricted connection.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from tradewinds.config import reset_settings
from tradewinds.warehouse import WarehouseError, open_warehouse
from tradewinds.warehouse.duckdb_backend import DuckDBWarehouse

SECRET = "instance-secret-0123456789"


def _order(n: int) -> dict[str, object]:
    return {
        "order_id": f"o{n}",
        "storefront": "shopify",
        "ordered_at": datetime(2024, 1, 1, tzinfo=UTC),
        "country": "FR",
        "currency": "EUR",
        "total": Decimal("10.00"),
    }


@pytest.fixture
def files(tw_home: Path) -> dict[str, Path]:
    """A secret, another workspace's warehouse and an uploaded CSV beside this workspace's."""
    secret = tw_home / "secret.key"
    secret.write_text(SECRET)
    uploads = tw_home / "uploads"
    uploads.mkdir()
    csv = uploads / "other.csv"
    csv.write_text(f"a,b\n{SECRET},2\n")
    with open_warehouse("other-shop") as other:
        other.load("orders", [_order(1)])
    with open_warehouse("shop") as shop:
        shop.load("orders", [_order(1), _order(2)])
    return {
        "secret": secret,
        "csv": csv,
        "other": tw_home / "warehouse" / "other-shop.duckdb",
        "dir": tw_home,
        "appdb": tw_home / "tradewinds.db",
        "out": tw_home / "out.csv",
        "path": tw_home / "warehouse" / "shop.duckdb",
    }


def _escapes(f: dict[str, Path]) -> list[str]:
    q = str(f["secret"]).replace("'", "''")
    return [
        f"SELECT content FROM read_text('{f['secret']}')",
        f"SELECT t.content FROM range(1) r, LATERAL \"read_text\"('{f['secret']}') t",
        f"SELECT content FROM read_blob('{f['other']}')",
        f"SELECT content FROM read_blob('{f['secret']}')",
        f"SELECT * FROM glob('{f['dir']}/*')",
        f"SELECT * FROM glob('{f['dir']}/warehouse/*')",
        f"SELECT * FROM read_csv('{f['csv']}')",
        f"SELECT * FROM read_csv_auto('{f['csv']}')",
        f"SELECT * FROM '{f['csv']}'",
        f"SELECT * FROM sniff_csv('{f['csv']}')",
        f"SELECT * FROM parquet_metadata('{f['csv']}')",
        f"SELECT * FROM query('SELECT content FROM read_text(''{q}'')')",
        f"SELECT * FROM range(1) r, LATERAL \"query\"('SELECT * FROM read_text(''{q}'')') t",
        f"ATTACH '{f['other']}' AS other",
        f"ATTACH '{f['appdb']}' AS app (TYPE sqlite)",
        f"COPY orders TO '{f['out']}'",
        f"COPY (SELECT 1) TO '{f['out']}'",
        "SET enable_external_access = true",
        "SET lock_configuration = false",
        "RESET lock_configuration",
        "SET memory_limit = '100GB'",
        "SET threads = 64",
        "SET TimeZone = 'Asia/Tokyo'",
        "PRAGMA enable_profiling",
        "INSTALL httpfs",
        "LOAD httpfs",
        "DELETE FROM orders",
        "CREATE TABLE stolen AS SELECT 1 AS x",
        "INSERT INTO orders SELECT * FROM orders",
    ]


def _refused_everywhere(wh: DuckDBWarehouse, sqls: list[str]) -> None:
    for sql in sqls:
        with pytest.raises(WarehouseError), wh.readonly() as run:
            cursor = run(sql, timeout=10)
            rows = cursor.fetchall() if cursor.description else []
            raise AssertionError(f"the engine ran {sql!r}: {rows!r}"[:500])


def _nothing_escaped(f: dict[str, Path]) -> None:
    assert not f["out"].exists()
    with open_warehouse("shop") as wh:
        assert wh.count("orders") == 2
        assert "stolen" not in wh.table_names()
        assert wh.query("SELECT current_setting('TimeZone')").scalar() == "UTC"


@contextmanager
def _metrics_in_another_thread(path: Path) -> Iterator[list[Exception]]:
    """Another request of the same process with the warehouse open, querying in a loop."""
    errors: list[Exception] = []
    stop = threading.Event()
    started = threading.Event()

    def metrics() -> None:
        wh = DuckDBWarehouse(path)
        try:
            while not stop.is_set():
                wh.query("SELECT count(*), sum(total) FROM orders GROUP BY country")
                started.set()
        except Exception as exc:  # reported by the test
            errors.append(exc)
        finally:
            started.set()
            wh.close()

    thread = threading.Thread(target=metrics)
    thread.start()
    started.wait(30)
    try:
        yield errors
    finally:
        stop.set()
        thread.join(30)


def test_the_engine_refuses_when_the_console_opens_the_database(files) -> None:
    _refused_everywhere(DuckDBWarehouse(files["path"]), _escapes(files))
    _nothing_escaped(files)


def test_the_engine_refuses_while_another_request_has_the_warehouse_open(files) -> None:
    with _metrics_in_another_thread(files["path"]) as errors:
        _refused_everywhere(DuckDBWarehouse(files["path"]), _escapes(files))
        with open_warehouse("shop") as busy:
            busy.count("orders")  # this request's own connection is open too
            _refused_everywhere(busy, _escapes(files))
            with busy.transaction():  # even inside this request's own transaction
                _refused_everywhere(busy, _escapes(files)[:4])
    assert errors == []
    _nothing_escaped(files)


def test_the_servers_own_connections_are_sandboxed_and_locked(files) -> None:
    with open_warehouse("shop") as wh:
        settings = dict(
            wh.query(
                "SELECT name, value FROM duckdb_settings() WHERE name IN ("
                "'enable_external_access', 'lock_configuration', 'TimeZone', 'threads', "
                "'autoload_known_extensions', 'autoinstall_known_extensions')"
            ).rows
        )
        assert settings == {
            "enable_external_access": "false",
            "lock_configuration": "true",
            "TimeZone": "UTC",
            "threads": "2",
            "autoload_known_extensions": "false",
            "autoinstall_known_extensions": "false",
        }
        with pytest.raises(WarehouseError, match="locked"):
            wh.execute("SET enable_external_access = true")
        with pytest.raises(WarehouseError, match="file system operations are disabled"):
            wh.query(f"SELECT content FROM read_text('{files['secret']}')")


def test_loading_data_needs_no_file_access(tw_home: Path) -> None:
    with open_warehouse("shop") as wh:
        wh.load("orders", [_order(1)])
        wh.load("orders", pd.DataFrame([_order(2), _order(3)]))
        table = pa.Table.from_pylist([{"x": 1}, {"x": 2}])
        wh.con.register("arrow_rows", table)
        assert wh.query("SELECT sum(x) FROM arrow_rows").scalar() == 3
        assert wh.count("orders") == 3


def test_requests_beside_each_other_share_one_database(files) -> None:
    """Finding 8: a console query beside an import, a metrics call and a cohort-rollup
    refresh, with no "different configuration"."""
    from tradewinds.analytics import cohort_rollup

    importer, metrics, rollup = (DuckDBWarehouse(files["path"]) for _ in range(3))
    console = DuckDBWarehouse(files["path"])
    try:
        with console.readonly() as run:
            assert run("SELECT count(*) FROM orders").fetchone() == (2,)
            with importer.transaction():
                importer.load("orders", [_order(3)])
                assert metrics.count("orders") == 2  # not yet committed
                assert run("SELECT count(*) FROM orders").fetchone() == (2,)
            assert metrics.count("orders") == 3
            assert cohort_rollup.ensure(rollup) is True
    finally:
        for wh in (importer, metrics, rollup, console):
            wh.close()


def test_a_greedy_query_meets_the_memory_limit(tw_home: Path, monkeypatch) -> None:
    monkeypatch.setenv("TRADEWINDS_WAREHOUSE_MEMORY_LIMIT", "64MB")
    reset_settings()
    wh = DuckDBWarehouse(tw_home / "greedy.duckdb")
    try:
        greedy = "SELECT length(string_agg(repeat('x', 1000), ',')) FROM range(300000)"
        with (
            pytest.raises(WarehouseError, match="more memory than the warehouse may use"),
            wh.readonly() as run,
        ):
            run(greedy)
    finally:
        wh.close()


def test_a_slow_query_is_stopped_at_the_time_limit(files) -> None:
    with (
        pytest.raises(WarehouseError, match="took longer than 0.5 s"),
        DuckDBWarehouse(files["path"]).readonly() as run,
    ):
        run("SELECT count(*) FROM range(100000000000) t(i) WHERE i % 7 = 3", timeout=0.5)
