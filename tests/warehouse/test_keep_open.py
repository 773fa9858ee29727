"""A server keeps DuckDB files open between page views and gives them up to other processes."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tradewinds.warehouse import keep_open, open_warehouse


@pytest.fixture
def kept(tw_home: Path) -> Iterator[Path]:
    keep_open.enable(30)
    yield tw_home / "warehouse" / "shop.duckdb"
    keep_open.disable()


def _view(key: str = "shop") -> int:
    with open_warehouse(key) as wh:
        return int(wh.query("SELECT count(*) FROM orders").rows[0][0])


def test_a_file_stays_open_after_the_page_view_closes(kept: Path) -> None:
    assert _view() == 0
    assert keep_open.is_held(str(kept))
    with open_warehouse("shop") as wh:  # the same database: a write is seen by the keeper
        wh.execute("CREATE TABLE kept_marker (x INTEGER)")
    assert keep_open.is_held(str(kept))
    keep_open.release(str(kept))
    assert not keep_open.is_held(str(kept))
    with open_warehouse("shop") as wh:  # reopened from the file: the write was kept
        assert wh.query("SELECT count(*) FROM kept_marker").rows[0][0] == 0


def test_off_means_closed_after_every_view(tw_home: Path) -> None:
    keep_open.enable(0)
    _view()
    assert not keep_open.is_held(str(tw_home / "warehouse" / "shop.duckdb"))


def test_idle_files_are_closed(kept: Path) -> None:
    _view()
    assert keep_open.reap(now=time.monotonic()) == []
    assert keep_open.reap(now=time.monotonic() + 31) == [str(kept)]
    assert not keep_open.is_held(str(kept))


def test_a_wanted_file_is_let_go_and_not_held_again(kept: Path) -> None:
    _view()
    keep_open.want(str(kept))
    assert keep_open.reap() == [str(kept)]
    _view()  # page views still work; they just don't keep the file
    assert not keep_open.is_held(str(kept))
    keep_open.unwant(str(kept))
    _view()
    assert keep_open.is_held(str(kept))


def test_a_stale_marker_is_ignored(kept: Path) -> None:
    kept.parent.mkdir(parents=True, exist_ok=True)
    keep_open.want(str(kept))
    old = time.time() - 120
    os.utime(keep_open.marker(str(kept)), (old, old))
    assert not keep_open.wanted(str(kept))
    _view()
    assert keep_open.is_held(str(kept))


def test_another_process_gets_the_file_the_server_keeps(kept: Path, tw_home: Path) -> None:
    """A CLI command in another process waits, leaves its marker, and the server's keeper
    lets the file go within a poll: the command succeeds and removes its marker."""
    _view()
    assert keep_open.is_held(str(kept))
    code = (
        "from tradewinds.warehouse import open_warehouse\n"
        "with open_warehouse('shop') as wh:\n"
        "    wh.execute('CREATE TABLE from_cli (x INTEGER)')\n"
        "print('written')\n"
    )
    env = {**os.environ, "TRADEWINDS_HOME": str(tw_home)}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert "written" in done.stdout
    assert not keep_open.is_held(str(kept))
    assert not keep_open.marker(str(kept)).exists()
    with open_warehouse("shop") as wh:
        assert wh.query("SELECT count(*) FROM from_cli").rows[0][0] == 0


def test_a_kept_database_stays_locked_down(kept: Path) -> None:
    """A page view's connection to a kept file skips the lock-down query: the database's
    configuration is locked all the same."""
    _view()
    assert keep_open.is_held(str(kept))
    with open_warehouse("shop") as wh:
        locked = wh.con.execute("SELECT current_setting('lock_configuration')").fetchone()
        assert locked is not None and locked[0] is True
        with pytest.raises(Exception, match="(?i)lock"):
            wh.con.execute("SET GLOBAL enable_external_access = true")
