"""What the markets package adds to the rest of Tradewinds through the plugin hooks."""

from __future__ import annotations

from tradewinds.hooks import hookimpl
from tradewinds.warehouse.backend import Warehouse


@hookimpl
def tradewinds_warehouse_opened(warehouse: Warehouse) -> None:
    """Every warehouse holds the ECB's reference rates shipped inside the install."""
    from tradewinds.markets.fx_bundled import seed_quietly

    seed_quietly(warehouse)
