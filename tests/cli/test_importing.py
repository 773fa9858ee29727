"""`tradewinds import` holds the workspace's warehouse write lock, as the worker does."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from tradewinds import locks
from tradewinds.cli import importing
from tradewinds.cli.main import app

REPORT = Path("ad_exports") / "google_ads_advanced_bid_adjustment_report.csv"


def test_import_waits_for_the_warehouse_lock_and_holds_it(
    tenants, shared_data: Path, monkeypatch
) -> None:
    name = locks.warehouse_lock(tenants.a.workspace_key)
    waiting = threading.Event()
    held_while_importing: list[bool] = []
    say, one = importing.say_waiting, importing._one

    def say_and_note(console: Any, workspace_key: str) -> None:
        say(console, workspace_key)
        waiting.set()

    def one_holding(*args: Any) -> Any:
        held_while_importing.append(locks.is_held(name))
        return one(*args)

    monkeypatch.setattr(importing, "say_waiting", say_and_note)
    monkeypatch.setattr(importing, "_one", one_holding)
    args = ["import", str(shared_data / REPORT), "-w", tenants.a.name, "--json"]
    done: dict[str, Any] = {}
    command = threading.Thread(target=lambda: done.update(result=CliRunner().invoke(app, args)))
    with locks.hold(name):  # a worker's drain of this workspace, say
        command.start()
        assert waiting.wait(60), "the import did not say it waits for the lock"
        assert command.is_alive() and not held_while_importing  # nothing imported yet
    command.join(120)
    result = done["result"]
    assert result.exit_code == 0, result.output
    assert "waiting for other work on the warehouse" in result.stderr
    assert json.loads(result.stdout)["files"][0]["imported"] == 23
    assert held_while_importing == [True]
    assert not locks.is_held(name)  # released when the command ends
