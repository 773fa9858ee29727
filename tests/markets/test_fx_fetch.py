"""The ECB's new day, fetched from a local server replaying recorded ECB answers."""

from __future__ import annotations

import json
import logging
import time
from datetime import date
from decimal import Decimal

from typer.testing import CliRunner

from tradewinds.cli.main import app
from tradewinds.markets.fx_bundled import DAILY_SOURCE, bundled_span
from tradewinds.markets.fx_fetch import fetch_ecb, parse_ecb_xml, store_fetched
from tradewinds.markets.fx_refresh import fetch_for_all_workspaces

from .ecb_server import DATA, EcbReplay

DAILY = "eurofxref-daily.xml"
NINETY = "eurofxref-hist-90d.xml"


def test_daily_and_ninety_day_files_are_read() -> None:
    daily = parse_ecb_xml((DATA / DAILY).read_bytes())
    assert {r.date for r in daily} == {date(2026, 11, 2)}
    assert len(daily) == 29 and {r.base for r in daily} == {"EUR"}
    usd = next(r for r in daily if r.quote == "USD")
    assert usd.rate == Decimal("1.1186") and usd.source == DAILY_SOURCE
    ninety = parse_ecb_xml((DATA / NINETY).read_bytes())
    assert sorted({r.date for r in ninety}) == [date(2026, 11, d) for d in (3, 4, 5)]


def test_fetch_from_a_local_server() -> None:
    with EcbReplay() as ecb:
        result = fetch_ecb(ecb.url(DAILY))
    assert result.ok and result.days == [date(2026, 11, 2)] and len(result.rates) == 29
    assert ecb.requests == [f"/{DAILY}"]


def test_network_and_format_failures_are_warnings_not_crashes(caplog) -> None:
    caplog.set_level(logging.WARNING, logger="tradewinds.markets")
    with EcbReplay() as ecb:
        ecb.status = 503
        down = fetch_ecb(ecb.url(DAILY))
        ecb.status, ecb.body = 200, b"<html>maintenance</html>"
        garbled = fetch_ecb(ecb.url(DAILY))
        url = ecb.url(DAILY)
    unreachable = fetch_ecb(url, timeout=2)  # the server has stopped
    assert not down.ok and "HTTP 503" in down.error
    assert not garbled.ok and "not an ECB reference-rate file" in garbled.error
    assert not unreachable.ok and "cannot reach" in unreachable.error
    assert all(not r.rates for r in (down, garbled, unreachable))
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 3
    assert all("rates already stored keep being used" in r.getMessage() for r in warnings)


def test_fetched_rates_fill_only_what_is_missing(warehouse) -> None:
    rates = parse_ecb_xml((DATA / DAILY).read_bytes())
    warehouse.load(
        "fx_rates",
        [
            {
                "date": date(2026, 11, 2),
                "base": "EUR",
                "quote": "USD",
                "rate": Decimal("1.5"),
                "source": "manual",
            }
        ],
    )
    assert store_fetched(warehouse, rates) == 28
    assert store_fetched(warehouse, rates) == 0
    rows = dict(
        warehouse.query(
            "SELECT quote, source FROM fx_rates WHERE \"date\" = DATE '2026-11-02'"
        ).rows
    )
    assert rows["USD"] == "manual" and rows["GBP"] == DAILY_SOURCE


def test_one_round_adds_the_day_to_every_workspace_and_status_names_the_source(
    tenants,
) -> None:
    new_days = date(2026, 11, 2) > bundled_span().last
    with EcbReplay() as ecb:
        done = fetch_for_all_workspaces(ecb.url(DAILY))
    assert done.error == "" and done.days == ["2026-11-02"] and done.failed == []
    keys = {tenants.a.workspace_key, tenants.b.workspace_key}
    assert set(done.added) == keys
    assert set(done.added.values()) == {29 if new_days else 0}
    runner = CliRunner()
    status = json.loads(runner.invoke(app, ["fx", "status", "-w", tenants.a.name, "--json"]).stdout)
    usd = next(c for c in status["currencies"] if c["currency"] == "USD")
    assert usd["first"] == "1999-01-04"
    if new_days:
        assert usd["last"] == "2026-11-02" and usd["source"] == DAILY_SOURCE
    converted = json.loads(
        runner.invoke(
            app,
            [
                "fx",
                "convert",
                "100",
                "USD",
                "GBP",
                "--on",
                "2026-11-07",
                "-w",
                tenants.a.name,
                "--json",
            ],
        ).stdout
    )
    assert converted["rate_date"] == "2026-11-02" and converted["carried"] is True


def test_fetch_command_reports_failures(tenants) -> None:  # noqa: ARG001
    runner = CliRunner()
    with EcbReplay() as ecb:
        ok = runner.invoke(app, ["fx", "fetch", "--url", ecb.url(NINETY), "--json"])
        ecb.status = 500
        failed = runner.invoke(app, ["fx", "fetch", "--url", ecb.url(NINETY), "--json"])
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.stdout)["days"] == ["2026-11-03", "2026-11-04", "2026-11-05"]
    assert failed.exit_code == 1
    assert json.loads(failed.stdout)["error"]["code"] == "fetch_failed"
    off = runner.invoke(app, ["fx", "fetch", "--url", "", "--json"])
    assert off.exit_code == 1 and "turned off" in json.loads(off.stdout)["error"]["message"]


def test_the_server_fetches_when_it_starts(tenants, monkeypatch) -> None:
    from fastapi.testclient import TestClient

    from tradewinds.app import create_app
    from tradewinds.config import reset_settings
    from tradewinds.warehouse import open_warehouse

    for tenant in (tenants.a, tenants.b):  # tables made before two threads open them
        open_warehouse(tenant.workspace_key).close()
    with EcbReplay() as ecb:
        monkeypatch.setenv("TRADEWINDS_FX_DAILY_URL", ecb.url(DAILY))
        reset_settings()
        with TestClient(create_app(), base_url="https://testserver"):
            deadline = time.monotonic() + 60
            while not ecb.requests and time.monotonic() < deadline:
                time.sleep(0.1)
            stored = 0
            while stored < 29 and time.monotonic() < deadline:
                time.sleep(0.2)
                with open_warehouse(tenants.b.workspace_key) as warehouse:
                    stored = warehouse.query(
                        "SELECT count(*) FROM fx_rates WHERE \"date\" = DATE '2026-11-02'"
                    ).scalar()
    assert ecb.requests == [f"/{DAILY}"]
    assert stored == 29
    with open_warehouse(tenants.a.workspace_key) as warehouse:
        assert (
            warehouse.query(
                "SELECT count(*) FROM fx_rates WHERE \"date\" = DATE '2026-11-02'"
            ).scalar()
            == 29
        )
