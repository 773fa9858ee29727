"""Each capability flag a backend sets holds on that engine (features rely on them)."""

from __future__ import annotations

from tradewinds.warehouse.backend import Warehouse
from tradewinds.warehouse.duckdb_backend import DuckDBWarehouse
from tradewinds.warehouse.postgres_backend import PostgresWarehouse

FLAGS = ("write_counts", "concurrent_reads", "rollup_tables", "json_path_lists", "hugeint_masks")


def test_the_base_backend_promises_nothing() -> None:
    assert [getattr(Warehouse, flag) for flag in FLAGS] == [False] * len(FLAGS)


def test_duckdb_has_every_capability_and_postgres_none() -> None:
    assert all(getattr(DuckDBWarehouse, flag) is True for flag in FLAGS)
    assert not any(getattr(PostgresWarehouse, flag) for flag in FLAGS)


def test_json_path_lists(duckdb_warehouse: Warehouse) -> None:
    # the one backend that claims the flag (PostgreSQL claims none: see above)
    warehouse = duckdb_warehouse
    doc = '{"page": {"url": "/a"}, "device": {"type": "mobile"}}'
    got = warehouse.query(
        "SELECT json_extract_string(CAST($doc AS JSON), ['$.page.url', '$.device.type'])",
        {"doc": doc},
    ).scalar()
    assert list(got) == ["/a", "mobile"]


def test_hugeint_masks(duckdb_warehouse: Warehouse) -> None:
    # the one backend that claims the flag (PostgreSQL claims none: see above)
    warehouse = duckdb_warehouse
    got = warehouse.query(
        "SELECT BIT_OR(CAST(1 AS HUGEINT) << CAST(b AS HUGEINT)) FROM range(0, 3) AS r(b)"
    ).scalar()
    assert int(got) == 7
    high = warehouse.query("SELECT (CAST(1 AS HUGEINT) << 120) >> 120").scalar()
    assert int(high) == 1


def test_rollup_tables(duckdb_warehouse: Warehouse) -> None:
    # the one backend that claims the flag (PostgreSQL claims none: see above)
    warehouse = duckdb_warehouse
    for n in (1, 2):
        warehouse.execute(f"CREATE OR REPLACE TABLE _probe_rollup AS SELECT {n} AS x")
    assert warehouse.query("SELECT x FROM _probe_rollup").rows == [(2,)]
    warehouse.execute("DROP TABLE _probe_rollup")
