"""How a capability plugs into loading and background work, without editing anyone else.

Each package of ``tradewinds`` that has a ``plugin`` module (``tradewinds/analytics/plugin.py``,
say) is registered at first use, as the API's routes are discovered; a package installed
beside Tradewinds can register too, through the ``tradewinds`` entry-point group. A plugin
module implements any of the hooks in :class:`Specs` with ``@hookimpl``:

* ``tradewinds_tasks(tasks)`` — declare the package's background tasks on the registry the
  task queue hands over (``tradewinds/jobs/``);
* ``tradewinds_rows_changed(change)`` — react to rows committed into a workspace's
  warehouse (recount saved segments, bring a rollup up to date, score clicks …);
* ``tradewinds_warehouse_opened(warehouse)`` — add what every warehouse must hold (the
  bundled exchange rates, say) the first time a process opens a workspace's warehouse, so
  the warehouse package itself imports no feature.

:func:`emit_rows_changed` is called once per load, after commit, by the one ingest pipeline
(``ingest/pipeline.py``); a subscriber that fails is logged and does not stop the others
or fail the load that was already committed.

The plugin system is pluggy (the one pytest, tox and datasette use) rather than a
hand-written registry: discovery by entry point, hook specifications checked at
registration, and ``PluginManager.register`` for a throw-away plugin in a test.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from types import ModuleType
from typing import Any

import pluggy

log = logging.getLogger("tradewinds.hooks")

PROJECT = "tradewinds"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@dataclass(frozen=True)
class RowsChanged:
    """Rows of one warehouse table of one workspace were committed.

    ``first_day``/``last_day`` bound the business dates the rows touch (an order's date, an
    event's day, a spend row's day) when the loader knows them; ``None`` when not.
    ``origin`` says which kind of source loaded them: ``file``, ``connector`` or ``events``.
    """

    workspace: str
    table: str
    rows: int
    origin: str
    first_day: date | None = None
    last_day: date | None = None


class Specs:
    """The hooks a plugin module may implement."""

    @hookspec
    def tradewinds_tasks(self, tasks: Any) -> None:
        """Declare this package's background tasks on ``tasks`` (the queue's registry)."""

    @hookspec
    def tradewinds_rows_changed(self, change: RowsChanged) -> None:
        """React to ``change``, after its rows were committed."""

    # the hooks sit below the stores (a store reaches features only through them), so the
    # warehouse is not named here: a ``tradewinds.warehouse.backend.Warehouse``
    @hookspec
    def tradewinds_warehouse_opened(self, warehouse: Any) -> None:
        """Complete ``warehouse`` (its tables exist) the first time this process opens it."""


_manager: pluggy.PluginManager | None = None
_lock = threading.RLock()


def _feature_plugins() -> list[ModuleType]:
    import tradewinds

    found = []
    for info in sorted(pkgutil.iter_modules(tradewinds.__path__), key=lambda m: m.name):
        if not info.ispkg:
            continue
        try:
            found.append(importlib.import_module(f"{PROJECT}.{info.name}.plugin"))
        except ModuleNotFoundError as exc:
            if exc.name != f"{PROJECT}.{info.name}.plugin":
                raise
    return found


def plugin_manager() -> pluggy.PluginManager:
    """The process's plugin manager: every package's ``plugin`` module and installed ones."""
    global _manager
    with _lock:
        if _manager is None:
            manager = pluggy.PluginManager(PROJECT)
            manager.add_hookspecs(Specs)
            for module in _feature_plugins():
                manager.register(module, name=module.__name__)
            manager.load_setuptools_entrypoints(PROJECT)
            _manager = manager
        return _manager


def emit_rows_changed(changes: Iterable[RowsChanged]) -> None:
    """Tell every subscriber about ``changes`` (call after commit, never before)."""
    manager = plugin_manager()
    for change in changes:
        if change.rows <= 0:
            continue
        for impl in manager.hook.tradewinds_rows_changed.get_hookimpls():
            try:
                impl.function(change=change)
            except Exception:
                log.exception(
                    "%s could not follow up %s rows of %s in %s",
                    impl.plugin_name,
                    change.rows,
                    change.table,
                    change.workspace,
                )


def warehouse_opened(warehouse: Any) -> None:
    """Let every plugin complete a warehouse opened for the first time in this process; one
    that fails is logged and does not keep the warehouse from opening."""
    for impl in plugin_manager().hook.tradewinds_warehouse_opened.get_hookimpls():
        try:
            impl.function(warehouse=warehouse)
        except Exception:
            log.exception(
                "%s could not complete the warehouse of %s",
                impl.plugin_name,
                getattr(warehouse, "workspace_key", "?"),
            )


def reset_plugins() -> None:
    """Forget the plugin manager (tests that register throw-away plugins call this after)."""
    global _manager
    with _lock:
        _manager = None
