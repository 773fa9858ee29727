"""The warehouse reaches capabilities only through the 'warehouse opened' plugin hook."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tradewinds.hooks import hookimpl, plugin_manager, reset_plugins
from tradewinds.warehouse import open_warehouse
from tradewinds.warehouse.backend import Warehouse


class Recorder:
    def __init__(self) -> None:
        self.opened: list[str] = []

    @hookimpl
    def tradewinds_warehouse_opened(self, warehouse: Warehouse) -> None:
        self.opened.append(warehouse.workspace_key)


class Broken:
    @hookimpl
    def tradewinds_warehouse_opened(self, warehouse: Warehouse) -> None:
        raise RuntimeError(f"cannot complete {warehouse.workspace_key}")


@pytest.fixture
def plugins() -> Iterator[list[object]]:
    added: list[object] = []
    yield added
    for plugin in added:
        plugin_manager().unregister(plugin)
    reset_plugins()


def test_each_plugin_completes_a_warehouse_once_per_process(
    tw_home: Path, plugins: list[object]
) -> None:
    recorder, broken = Recorder(), Broken()
    for plugin in (broken, recorder):
        plugin_manager().register(plugin)
        plugins.append(plugin)
    with open_warehouse("hook-shop") as wh:
        # the markets package's plugin added the bundled ECB rates; the broken one was logged
        assert wh.query("SELECT count(*) FROM fx_rates WHERE source = 'ecb-bundled'").scalar()
    with open_warehouse("hook-shop") as wh:
        wh.count("orders")
    assert recorder.opened == ["hook-shop"]
