from __future__ import annotations

import json
from datetime import date

from typer.testing import CliRunner

from tradewinds.cli.main import app
from tradewinds.experiments.service import EXAMPLE, bandits, example_experiments, report

RESULT_KEYS = {
    "metric",
    "variation",
    "relative_uplift",
    "ci_low",
    "ci_high",
    "p_value",
    "sequential_ci_low",
    "sequential_ci_high",
    "chance_to_win",
    "risk_control",
    "risk_treatment",
}


def test_the_example_reads_as_a_seller_expects():
    result = report(example_experiments(), source="example.csv")
    by_key = {e.experiment: e for e in result.experiments}
    assert by_key["checkout-button"].verdict.kind == "ship"
    assert by_key["checkout-button"].verdict.variation == "green button"
    assert by_key["free-shipping-banner"].verdict.kind == "keep_running"
    assert len(by_key["free-shipping-banner"].results) == 2  # two variations against control
    assert by_key["hero-video"].srm_warning and by_key["hero-video"].verdict.kind == "srm"


def test_cli_analyze_json_shape_and_srm_exit_status(tmp_path):
    runner = CliRunner()
    out = runner.invoke(app, ["experiments", "analyze", "--file", str(EXAMPLE), "--json"])
    assert out.exit_code == 1  # the example holds a broken split
    data = json.loads(out.stdout)
    first = data["experiments"][0]
    assert {"experiment", "srm_p_value", "results"} <= set(first)
    assert set(first["results"][0]) >= RESULT_KEYS
    clean = tmp_path / "ok.csv"
    clean.write_text("\n".join(EXAMPLE.read_text().splitlines()[:5]) + "\n")
    assert runner.invoke(app, ["experiments", "analyze", "--file", str(clean)]).exit_code == 0
    bad = tmp_path / "bad.csv"
    bad.write_text("experiment,variation\n")
    refused = runner.invoke(app, ["experiments", "analyze", "--file", str(bad), "--json"])
    assert refused.exit_code == 1 and "bad.csv, row 1" in refused.stdout


def test_cli_assign_matches_the_service_and_bandits_are_daily():
    runner = CliRunner()
    out = runner.invoke(app, ["experiments", "assign", "--experiment", "seed", "--unit", "a",
                              "--variations", "x,y", "--json"])  # fmt: skip
    assert json.loads(out.stdout)["hash"] == 0.0505 and json.loads(out.stdout)["variation"] == "x"
    today = bandits(example_experiments(), day=date(2026, 12, 7), source="x")
    again = bandits(example_experiments(), day=date(2026, 12, 7), source="x")
    assert today == again
    for b in today.bandits:
        assert abs(sum(a.weight for a in b.arms) - 1) < 1e-9
