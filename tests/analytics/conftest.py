from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tradewinds.warehouse.backend import Warehouse
from tradewinds.warehouse.duckdb_backend import DuckDBWarehouse


@pytest.fixture
def duck(tmp_path: Path) -> Iterator[Warehouse]:
    wh = DuckDBWarehouse(tmp_path / "duck.duckdb")
    wh.ensure_tables()
    try:
        yield wh
    finally:
        wh.close()
