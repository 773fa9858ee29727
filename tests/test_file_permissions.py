"""Everything Tradewinds writes is private to its user: files 0600, directories 0700.

The tests run with a permissive umask (022, the usual default), so the modes they see
are the ones Tradewinds sets itself."""

from __future__ import annotations

import json
import os
import stat
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tradewinds.cli.main import app
from tradewinds.config import get_settings, reset_settings
from tradewinds.db.engine import dispose_engines, get_engine

runner = CliRunner()


@pytest.fixture
def loose_umask() -> Iterator[None]:
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def _run(*args: str) -> dict:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout.strip().splitlines()[-1])


def _readable_by_others(home: Path) -> list[str]:
    found = []
    for path in [home, *home.rglob("*")]:
        mode = stat.S_IMODE(path.lstat().st_mode)
        if mode & 0o077:
            found.append(f"{path.relative_to(home)} {oct(mode)}")
    return found


def test_init_import_and_upload_leave_nothing_readable_by_others(
    tw_home: Path, loose_umask: None, shared_data: Path
) -> None:
    tw_home.chmod(0o755)  # a data directory left by an older version
    (tw_home / "older-notes.txt").write_text("kept from before")
    (tw_home / "older-notes.txt").chmod(0o644)
    (tw_home / "older").mkdir(mode=0o755)

    _run("init", "--json")
    ws = _run(
        "workspace",
        "create",
        "Lantern Gifts",
        "--currency",
        "GBP",
        "--timezone",
        "Europe/London",
        "--region",
        "uk",
        "--json",
    )
    key = _run("apikey", "create", "--workspace", ws["key"], "--role", "owner", "--json")["key"]
    report = shared_data / "ad_exports" / "google_ads_advanced_bid_adjustment_report.csv"
    _run("import", str(report), "--workspace", ws["key"], "--json")

    from fastapi.testclient import TestClient

    from tradewinds.app import create_app

    headers = {"Authorization": f"Bearer {key}"}
    with TestClient(create_app(), base_url="https://testserver") as client:
        files = [("files", ("orders.csv", report.read_bytes(), "text/csv"))]
        upload = client.post("/api/v1/imports", headers=headers, files=files)
        assert upload.status_code == 202, upload.text
        deadline = time.monotonic() + 120
        while (
            client.get(f"/api/v1/imports/{upload.json()['id']}", headers=headers).json()["status"]
            in ("queued", "running")
            and time.monotonic() < deadline
        ):
            time.sleep(0.05)
        assert _readable_by_others(tw_home) == []  # while the server has its files open
    assert _run("audit", "verify", "--json")["ok"]

    names = {str(p.relative_to(tw_home)) for p in tw_home.rglob("*")}
    for expected in ("tradewinds.db", "secret.key", "audit.head", f"warehouse/{ws['key']}.duckdb"):
        assert expected in names
    assert any(n.startswith(f"imports/{ws['key']}/") and n.endswith("orders.csv") for n in names)
    assert _readable_by_others(tw_home) == []


def test_sqlite_database_outside_home_is_created_private(
    tw_home: Path, tmp_path: Path, loose_umask: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    database = elsewhere / "app.db"
    monkeypatch.setenv("TRADEWINDS_DATABASE_URL", f"sqlite:///{database}")
    reset_settings()
    os.umask(0o022)  # as if nothing had read the settings yet
    with get_engine().begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (x)")
        conn.exec_driver_sql("INSERT INTO t VALUES (1)")
        wal = database.with_name("app.db-wal")
        assert wal.exists()
        assert stat.S_IMODE(wal.stat().st_mode) == 0o600
    assert stat.S_IMODE(database.stat().st_mode) == 0o600
    dispose_engines()


def test_home_is_made_private_when_first_used(
    tw_home: Path, loose_umask: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    nested = tw_home / "fresh" / "home"
    monkeypatch.setenv("TRADEWINDS_HOME", str(nested))
    reset_settings()
    assert get_settings().home_dir == nested
    assert stat.S_IMODE(nested.stat().st_mode) == 0o700
    (nested / "written-later.txt").write_text("x")  # the process umask is now 077
    assert stat.S_IMODE((nested / "written-later.txt").stat().st_mode) == 0o600
