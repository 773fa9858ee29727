"""Open a workspace's warehouse on the configured backend."""

from __future__ import annotations

import hashlib
import re
import threading

from tradewinds.config import get_settings
from tradewinds.hooks import warehouse_opened
from tradewinds.warehouse.backend import Warehouse
from tradewinds.warehouse.errors import WarehouseError

_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,79}$")
_PG_MAX_IDENTIFIER = 63
_ensured: set[tuple[str, str]] = set()
_ensured_lock = threading.Lock()


def check_workspace_key(workspace_key: str) -> str:
    if not _KEY.match(workspace_key or ""):
        raise WarehouseError(
            f"invalid workspace key {workspace_key!r}: use 1-80 letters, digits, '-' or '_'"
        )
    return workspace_key


def postgres_schema_name(workspace_key: str) -> str:
    """``ws_<key>``; keys too long for a PostgreSQL name keep a prefix and a hash of the rest."""
    name = f"ws_{check_workspace_key(workspace_key).lower()}"
    if len(name) <= _PG_MAX_IDENTIFIER:
        return name
    digest = hashlib.sha1(workspace_key.lower().encode()).hexdigest()[:8]
    return f"{name[: _PG_MAX_IDENTIFIER - 9]}_{digest}"


def open_warehouse(workspace_key: str, *, url: str | None = None) -> Warehouse:
    """The warehouse of one workspace, with its tables created on first use in this process.

    ``url`` None -> ``TRADEWINDS_WAREHOUSE_URL`` -> a DuckDB file in ``HOME/warehouse/``.
    ``postgresql+psycopg://…`` -> schema ``ws_<key>`` in that database; ``duckdb:///path``
    -> that DuckDB file (``{key}`` in the path is replaced by the workspace key).
    """
    check_workspace_key(workspace_key)
    settings = get_settings()
    target = url or settings.warehouse_url
    warehouse: Warehouse
    if not target:
        from tradewinds.warehouse.duckdb_backend import DuckDBWarehouse

        path = settings.home_dir / "warehouse" / f"{workspace_key}.duckdb"
        warehouse = DuckDBWarehouse(path, workspace_key=workspace_key)
        marker = str(path)
    elif target.startswith(("postgresql", "postgres:")):
        from tradewinds.warehouse.postgres_backend import PostgresWarehouse

        schema = postgres_schema_name(workspace_key)
        warehouse = PostgresWarehouse(target, schema=schema, workspace_key=workspace_key)
        marker = f"{target}#{schema}"
    elif target.startswith("duckdb://"):
        from tradewinds.warehouse.duckdb_backend import DuckDBWarehouse

        path_text = target.removeprefix("duckdb://").removeprefix("/")
        path_text = "/" + path_text if target.startswith("duckdb:////") else path_text
        path_text = path_text.replace("{key}", workspace_key)
        if "{key}" not in target and path_text != ":memory:":
            from pathlib import Path

            path_text = str(Path(path_text) / f"{workspace_key}.duckdb")
        warehouse = DuckDBWarehouse(path_text, workspace_key=workspace_key)
        marker = path_text
    else:
        raise WarehouseError(f"unsupported warehouse URL {target!r} (use postgresql+psycopg://…)")
    with _ensured_lock:
        fresh = (warehouse.dialect, marker) not in _ensured
    if fresh or (warehouse.dialect == "duckdb" and not _exists(marker)):
        warehouse.ensure_tables()
        warehouse_opened(warehouse)  # plugins add what every warehouse holds (ECB rates)
        with _ensured_lock:
            _ensured.add((warehouse.dialect, marker))
    return warehouse


def _exists(path: str) -> bool:
    from pathlib import Path

    return path == ":memory:" or Path(path).exists()
