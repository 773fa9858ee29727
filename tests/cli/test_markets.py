"""`tradewinds markets vat | calendar | landed-price`: the JSON shapes, the words, the errors."""

from __future__ import annotations

import json
from pathlib import Path

import icalendar
from typer.testing import CliRunner

from tradewinds.cli.main import app

runner = CliRunner()


def _json(args: list[str]) -> dict:
    done = runner.invoke(app, [*args, "--json"])
    assert done.exit_code == 0, done.output
    return json.loads(done.stdout)


def test_vat_prints_the_rate_of_the_day_in_percent() -> None:
    before = _json(["markets", "vat", "--country", "EE", "--date", "2025-06-30"])
    assert set(before) == {
        "country", "date", "standard_rate", "reduced_rates", "source", "tax_name"
    }  # fmt: skip
    assert before["country"] == "EE" and before["date"] == "2025-06-30"
    assert before["standard_rate"] == 22.0 and before["source"]
    after = _json(["markets", "vat", "--country", "ee", "--date", "2025-07-01"])
    assert after["standard_rate"] == 24.0
    uk = _json(["markets", "vat", "--country", "UK", "--date", "2025-01-01"])
    assert uk["country"] == "GB" and uk["standard_rate"] == 20.0
    text = runner.invoke(app, ["markets", "vat", "--country", "FI", "--date", "2024-09-01"])
    assert text.exit_code == 0 and "25.5%" in text.stdout and "source:" in text.stdout


def test_vat_errors_name_what_is_wrong() -> None:
    unknown = runner.invoke(app, ["markets", "vat", "--country", "XX", "--json"])
    assert unknown.exit_code == 1
    error = json.loads(unknown.stdout)["error"]
    assert error["code"] == "unknown_rate" and "XX" in error["message"]
    bad_day = runner.invoke(app, ["markets", "vat", "--country", "DE", "--date", "31/02/2024"])
    assert bad_day.exit_code == 1 and "--date must be a date" in bad_day.stderr


def test_calendar_json_and_ics(tmp_path: Path) -> None:
    out = _json(["markets", "calendar", "--market", "SA", "--year", "2026"])
    assert set(out) == {"market", "year", "events"}
    first = out["events"][0]
    assert {"name", "start", "end", "kind", "lead_days"} <= set(first)
    kinds = {e["kind"] for e in out["events"]}
    assert kinds <= {"public_holiday", "festival", "season"} and "public_holiday" in kinds
    ramadan = [e for e in out["events"] if "Ramadan" in e["name"]]
    assert ramadan and ramadan[0]["start"] == "2026-02-18"
    festivals = _json(
        ["markets", "calendar", "--market", "US", "--year", "2026", "--kind", "festival"]
    )
    assert {e["kind"] for e in festivals["events"]} == {"festival"}
    black_friday = [e for e in festivals["events"] if e["name"].startswith("Black Friday")]
    assert black_friday[0]["start"] == "2026-11-27" and black_friday[0]["lead_days"] > 0
    path = tmp_path / "sa.ics"
    done = runner.invoke(
        app, ["markets", "calendar", "--market", "SA", "--year", "2026", "--ics", str(path)]
    )
    assert done.exit_code == 0, done.output
    parsed = icalendar.Calendar.from_ical(path.read_bytes())
    assert len(parsed.walk("VEVENT")) == len(out["events"])
    unknown = runner.invoke(app, ["markets", "calendar", "--market", "ZZ", "--year", "2026"])
    assert unknown.exit_code == 1 and "ZZ" in unknown.stderr
    bad_kind = runner.invoke(
        app, ["markets", "calendar", "--market", "US", "--year", "2026", "--kind", "party"]
    )
    assert bad_kind.exit_code == 1 and "party" in bad_kind.stderr


def test_landed_price_within_and_over_the_ioss_limit() -> None:
    base = ["markets", "landed-price", "--currency", "EUR", "--to", "DE", "--date", "2025-03-03"]
    small = _json([*base, "--price", "100"])
    assert small["scheme"] == "eu_ioss" and small["collected_at"] == "sale"
    assert small["vat_rate"] == 19.0 and small["vat"] == "19.00" and small["total"] == "119.00"
    large = _json([*base, "--price", "200", "--hs-chapter", "61", "--duty", "61=12"])
    assert large["collected_at"] == "border" and large["duty"] == "24.00"
    # import VAT is on the price and the duty: (200 + 24) × 19%
    assert large["vat"] == "42.56" and large["total"] == "266.56"
    charm = _json([*base, "--price", "100", "--style", "charm"])
    assert charm["localized_total"].endswith(".99")
    bad = runner.invoke(app, [*base, "--price", "ten"])
    assert bad.exit_code == 1 and "--price" in bad.stderr
    bad_duty = runner.invoke(app, [*base, "--price", "10", "--duty", "sixty-one"])
    assert bad_duty.exit_code == 1 and "CHAPTER=PERCENT" in bad_duty.stderr


def test_tax_by_market_for_a_workspace(tenants) -> None:
    from tests.analytics.fixtures import order
    from tradewinds.warehouse import open_warehouse

    with open_warehouse(tenants.a.workspace_key) as wh:
        wh.load("orders", [order("o1", "c1", "2024-03-01", "120", country="GB")])
    args = ["markets", "tax", "-w", tenants.a.name, "--from", "2024-03-01", "--to", "2024-03-31"]
    out = _json(args)
    assert out["tax"] == 20.0 and out["markets"][0]["country"] == "GB"
    text = runner.invoke(app, args)
    assert text.exit_code == 0 and "after tax 100.00" in text.stdout
    assert "UK VAT registration for overseas sellers" in text.stdout
    listed = _json([*args, "--orders"])
    assert [(o["order_id"], o["tax"], o["basis"]) for o in listed["orders"]] == [
        ("o1", "20.00", "estimated")
    ]
    bad = runner.invoke(app, [*args[:4], "--from", "yesterday"])
    assert bad.exit_code == 1 and "from" in bad.stderr
