from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from tests.services import need_postgres, postgres_schema
from tradewinds.config import reset_settings
from tradewinds.warehouse import WarehouseBusy, WarehouseError, open_warehouse
from tradewinds.warehouse.duckdb_backend import DuckDBWarehouse
from tradewinds.warehouse.postgres_roles import console_role_name

SRC = Path(__file__).resolve().parents[2] / "src"


def _order(n: int) -> dict[str, object]:
    return {
        "order_id": f"o{n}",
        "storefront": "shopify",
        "ordered_at": datetime(2024, 1, 1, tzinfo=UTC),
        "currency": "EUR",
        "total": Decimal("1.00"),
    }


def test_duckdb_file_per_workspace_under_home(tw_home: Path) -> None:
    with open_warehouse("shop-a") as a:
        a.load("orders", [_order(1), _order(2)])
    with open_warehouse("shop-b") as b:
        assert b.count("orders") == 0
    assert (tw_home / "warehouse" / "shop-a.duckdb").exists()
    with open_warehouse("shop-a") as a:
        assert a.count("orders") == 2


@pytest.mark.parametrize("key", ["", "../etc", "a b", "x;drop", "ü", "x" * 81])
def test_workspace_keys_are_checked(tw_home: Path, key: str) -> None:
    with pytest.raises(WarehouseError):
        open_warehouse(key)


def test_unknown_url_scheme_is_refused(tw_home: Path) -> None:
    with pytest.raises(WarehouseError):
        open_warehouse("a", url="mysql://localhost/x")


@pytest.fixture
def pg_keys() -> Iterator[list[str]]:
    url = need_postgres()
    keys: list[str] = []
    yield keys
    import psycopg

    with psycopg.connect(url.replace("+psycopg", ""), autocommit=True) as con:
        for key in keys:
            con.execute(f'DROP SCHEMA IF EXISTS "ws_{key}" CASCADE')
            con.execute(f'DROP ROLE IF EXISTS "{console_role_name(f"ws_{key}")}"')


def test_postgres_schema_per_workspace_from_settings(
    tw_home: Path, monkeypatch: pytest.MonkeyPatch, pg_keys: list[str]
) -> None:
    url = need_postgres()
    monkeypatch.setenv("TRADEWINDS_WAREHOUSE_URL", url)
    reset_settings()
    a_key, b_key = f"t{uuid.uuid4().hex[:8]}", f"t{uuid.uuid4().hex[:8]}"
    pg_keys.extend([a_key, b_key])
    with open_warehouse(a_key) as a:
        assert a.dialect == "postgres"
        a.load("orders", [_order(1)])
    with open_warehouse(b_key) as b:
        assert b.count("orders") == 0
    with open_warehouse(a_key) as a:
        assert a.count("orders") == 1
        assert a.query("SELECT current_schema() AS s").scalar() == f"ws_{a_key}"


def test_a_second_process_waits_then_reports_busy(tmp_path: Path) -> None:
    path = tmp_path / "busy.duckdb"
    holder = _spawn(
        f"""
        wh = DuckDBWarehouse({str(path)!r}); wh.ensure_tables()
        print("ready", flush=True); time.sleep(60)
        """
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        with pytest.raises(WarehouseBusy):
            DuckDBWarehouse(path, lock_timeout=0.3).count("orders")
    finally:
        holder.kill()
        holder.wait()
    with DuckDBWarehouse(path) as wh:  # free again once the holder is gone
        assert wh.count("orders") == 0


def _spawn(body: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    code = "import time\nfrom tradewinds.warehouse.duckdb_backend import DuckDBWarehouse\n"
    code += "from tradewinds.warehouse.postgres_backend import PostgresWarehouse\n"
    code += "from tests.warehouse.test_factory import _order\n"
    code += textwrap.dedent(body)
    environ = {**os.environ, "PYTHONPATH": f"{SRC}{os.pathsep}{SRC.parent}", **(env or {})}
    return subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env=environ
    )


@pytest.mark.parametrize("backend", ["duckdb", "postgres"])
def test_a_killed_load_leaves_nothing_partial(tmp_path: Path, backend: str) -> None:
    """A process killed with SIGKILL in the middle of a multi-table import stores nothing."""
    with _target(backend, tmp_path) as (make, expr):
        with make() as wh:
            wh.load("orders", [_order(0)])
        child = _spawn(
            f"""
            wh = {expr}
            with wh.transaction():
                wh.load("orders", [_order(n) for n in range(1, 5001)])
                wh.load("customers", [{{"customer_id": "c1"}}])
                print("loaded", flush=True)
                time.sleep(60)
            """
        )
        try:
            assert child.stdout is not None and child.stdout.readline().strip() == "loaded"
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait()
        with make() as wh:
            assert wh.count("orders") == 1
            assert wh.count("customers") == 0


class _target:
    def __init__(self, backend: str, tmp_path: Path):
        self.backend, self.tmp_path = backend, tmp_path
        self._pg = None

    def __enter__(self):  # type: ignore[no-untyped-def]
        if self.backend == "duckdb":
            path = str(self.tmp_path / "killed.duckdb")

            def make() -> DuckDBWarehouse:
                wh = DuckDBWarehouse(path)
                wh.ensure_tables()
                return wh

            return make, f"DuckDBWarehouse({path!r})"
        from tradewinds.warehouse.postgres_backend import PostgresWarehouse

        self._pg = postgres_schema()
        url, schema = self._pg.__enter__()

        def make_pg() -> PostgresWarehouse:
            wh = PostgresWarehouse(url, schema=schema)
            wh.ensure_tables()
            return wh

        return make_pg, f"PostgresWarehouse({url!r}, schema={schema!r})"

    def __exit__(self, *exc: object) -> None:
        if self._pg is not None:
            self._pg.__exit__(*exc)


def test_duckdb_url_with_a_key_placeholder(tw_home: Path, tmp_path: Path) -> None:
    url = f"duckdb:///{tmp_path}/custom/{{key}}.duckdb"  # four slashes: an absolute path
    with open_warehouse("shop-c", url=url) as wh:
        wh.load("orders", [_order(1)])
    assert (tmp_path / "custom" / "shop-c.duckdb").exists()


def test_console_reads_through_a_read_only_connection(tw_home: Path) -> None:
    from tradewinds.warehouse.console import run_workspace_sql

    with open_warehouse("shop-r") as wh:
        wh.load("orders", [_order(1)])
    result = run_workspace_sql(workspace_key="shop-r", sql="SELECT count(*) AS n FROM orders")
    assert result.rows == [(1,)]
    path = tw_home / "warehouse" / "shop-r.duckdb"
    with DuckDBWarehouse(path).readonly() as run, pytest.raises(WarehouseError) as excinfo:
        run("DELETE FROM orders")
    assert "read-only" in str(excinfo.value).lower() or "read only" in str(excinfo.value).lower()


def test_console_connection_cannot_read_files_even_past_the_parser(tw_home: Path) -> None:
    with open_warehouse("shop-f") as wh:
        wh.load("orders", [_order(1)])
    path = tw_home / "warehouse" / "shop-f.duckdb"
    with DuckDBWarehouse(path).readonly() as run, pytest.raises(WarehouseError):
        run("SELECT * FROM read_csv('/etc/hostname')")


def test_long_workspace_keys_get_distinct_postgres_schemas() -> None:
    from tradewinds.warehouse.factory import postgres_schema_name

    base = "a-very-long-shop-name-that-goes-on-and-on-for-more-than-sixty-chars"
    one, two = postgres_schema_name(base + "-1"), postgres_schema_name(base + "-2")
    assert one != two and len(one) <= 63 and len(two) <= 63
    assert postgres_schema_name("demo-gift-shop") == "ws_demo-gift-shop"
