from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tradewinds.cli.main import app

DATA = Path(__file__).parent / "data"


def test_import_convert_and_coverage(tenants) -> None:  # noqa: ANN001
    runner = CliRunner()
    ws = tenants.a.name
    hist = str(DATA / "eurofxref-hist-sample.csv")
    first = runner.invoke(app, ["fx", "import", hist, "-w", ws, "--json"])
    assert first.exit_code == 0, first.output
    imported = json.loads(first.stdout)["files"][0]
    # the workspace already holds ECB rates for these days (shipped inside the install):
    # the file's rates replace those that differ; equal ones are already known
    assert imported["format"] == "ecb" and imported["rates"] > 0 and imported["inserted"] == 0
    assert imported["updated"] > 0 and imported["duplicates"] > 0
    assert imported["updated"] + imported["duplicates"] == imported["rates"]
    pairs_file = str(DATA / "pairs-sample.csv")
    added = json.loads(runner.invoke(app, ["fx", "import", pairs_file, "-w", ws, "--json"]).stdout)
    assert added["files"][0]["inserted"] == added["files"][0]["rates"] > 0
    again = json.loads(runner.invoke(app, ["fx", "import", pairs_file, "-w", ws, "--json"]).stdout)
    assert again["files"][0]["inserted"] == again["files"][0]["updated"] == 0

    # Saturday 2023-12-23 uses Friday's rates: 100 USD -> EUR -> GBP
    done = runner.invoke(
        app, ["fx", "convert", "100", "USD", "GBP", "--on", "2023-12-23", "-w", ws, "--json"]
    )
    assert done.exit_code == 0, done.output
    out = json.loads(done.stdout)
    from decimal import ROUND_HALF_EVEN, Decimal

    expected = (Decimal(100) * Decimal("0.86675") / Decimal("1.1023")).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_EVEN
    )
    assert out["converted"] == str(expected)
    assert out["rate_date"] == "2023-12-22" and out["carried"] is True
    assert out["note"] == "rate of 2023-12-22 (Friday)"

    missing = runner.invoke(  # the ECB publishes no dirham rate
        app, ["fx", "convert", "100", "AED", "GBP", "--on", "2024-02-01", "-w", ws, "--json"]
    )
    assert missing.exit_code == 1
    assert json.loads(missing.stdout)["error"]["code"] == "missing_rate"

    pairs = json.loads(runner.invoke(app, ["fx", "rates", "-w", ws, "--json"]).stdout)["pairs"]
    assert {p["quote"] for p in pairs} >= {"USD", "GBP", "JPY"}
