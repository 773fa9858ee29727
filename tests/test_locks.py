"""Locks across processes: held by one, seen by the others, gone with a killed holder."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from tradewinds import locks
from tradewinds.config import reset_settings

HOLDER = """
import sys, time
from tradewinds import locks
with locks.hold(sys.argv[1]):
    print("held", flush=True)
    time.sleep(600)
"""


@pytest.fixture
def lock_store(db_url, monkeypatch):
    """Locks on files (a SQLite app DB) or PostgreSQL advisory locks (a PostgreSQL one)."""
    monkeypatch.setenv("TRADEWINDS_DATABASE_URL", db_url)
    reset_settings()
    yield db_url
    locks.dispose()


def test_a_lock_is_exclusive_and_dies_with_a_killed_holder(lock_store):
    name = "warehouse:shop"
    assert not locks.is_held(name)
    with locks.hold(name):
        assert locks.is_held(name)  # a second holder in this process is refused too
        busy = pytest.raises(locks.LockBusy, match="warehouse:shop is held by other work")
        with busy, locks.hold(name, wait=0):
            pass
    assert not locks.is_held(name)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, name],
        stdout=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        assert locks.is_held(name)
        assert not locks.is_held("warehouse:another-shop")
        holder.send_signal(signal.SIGKILL)
        holder.wait(30)
        deadline = time.monotonic() + 30  # PostgreSQL notices the dead session
        while locks.is_held(name) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not locks.is_held(name)
    finally:
        holder.kill()
        holder.wait()
