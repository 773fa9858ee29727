"""The warehouse: canonical tables on DuckDB (embedded default) or PostgreSQL.

Nothing outside this package imports ``duckdb``; use :func:`open_warehouse`.
"""

from tradewinds.warehouse.backend import LoadResult, QueryResult, Warehouse
from tradewinds.warehouse.errors import ReadOnlyViolation, WarehouseBusy, WarehouseError
from tradewinds.warehouse.factory import open_warehouse

__all__ = [
    "LoadResult",
    "QueryResult",
    "ReadOnlyViolation",
    "Warehouse",
    "WarehouseBusy",
    "WarehouseError",
    "open_warehouse",
]
