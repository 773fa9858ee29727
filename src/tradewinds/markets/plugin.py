"""What the markets package adds to the rest of Tradewinds through the plugin hooks.

* the ECB's reference rates shipped inside the install, in every warehouse opened;
* ``markets.fx_daily``, the ECB's new rates once a day: it runs when a worker starts on a
  day it has not run yet, then every 24 hours, while ``TRADEWINDS_FX_DAILY_URL`` is set
  (``markets/fx_refresh.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tradewinds.config import get_settings
from tradewinds.hooks import hookimpl
from tradewinds.warehouse.backend import Warehouse

if TYPE_CHECKING:
    from tradewinds.tasks import TaskRegistry

DAY_SECONDS = 24 * 3600


def fx_daily() -> None:
    from tradewinds.markets.fx_refresh import fetch_for_all_workspaces

    fetch_for_all_workspaces()


def _fx_seconds() -> float:
    return DAY_SECONDS if get_settings().fx_daily_url else 0


@hookimpl
def tradewinds_tasks(tasks: TaskRegistry) -> None:
    tasks.add("markets.fx_daily", fx_daily, retries=3, retry_delay=600, every=_fx_seconds)


@hookimpl
def tradewinds_warehouse_opened(warehouse: Warehouse) -> None:
    """Every warehouse holds the ECB's reference rates shipped inside the install."""
    from tradewinds.markets.fx_bundled import seed_quietly

    seed_quietly(warehouse)
