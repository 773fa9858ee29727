from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.services import postgres_schema
from tradewinds.warehouse.backend import Warehouse
from tradewinds.warehouse.duckdb_backend import DuckDBWarehouse


@pytest.fixture(params=["duckdb", "postgres"])
def warehouse(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Warehouse]:
    """A fresh warehouse once per backend: the same report code must answer the same."""
    if request.param == "duckdb":
        wh: Warehouse = DuckDBWarehouse(tmp_path / "test.duckdb")
        wh.ensure_tables()
        try:
            yield wh
        finally:
            wh.close()
        return
    from tradewinds.warehouse.postgres_backend import PostgresWarehouse

    with postgres_schema() as (url, schema):
        wh = PostgresWarehouse(url, schema=schema)
        wh.ensure_tables()
        try:
            yield wh
        finally:
            wh.close()


@pytest.fixture
def duck(tmp_path: Path) -> Iterator[Warehouse]:
    wh = DuckDBWarehouse(tmp_path / "duck.duckdb")
    wh.ensure_tables()
    try:
        yield wh
    finally:
        wh.close()
