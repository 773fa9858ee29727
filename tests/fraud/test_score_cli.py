"""`tradewinds fraud score` on a slice of the real TalkingData sample: one JSON line per
click in file order, the model's SHAP reasons on flagged clicks."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tradewinds.cli.main import app

SAMPLE = (
    Path(__file__).resolve().parents[3]
    / "shared"
    / "data"
    / "click_fraud"
    / "talkingdata_train_sample.csv.gz"
)


@pytest.fixture(scope="module")
def td_file(tmp_path_factory) -> Path:
    if not SAMPLE.exists():
        pytest.skip("the TalkingData sample is not beside the checkout")
    with gzip.open(SAMPLE, "rt") as handle:
        lines = [next(handle) for _ in range(8001)]
    path = tmp_path_factory.mktemp("td") / "td.csv"
    path.write_text("".join(lines))
    return path


def test_score_prints_one_line_per_click_in_order(td_file):
    result = CliRunner().invoke(
        app, ["fraud", "score", "--clicks", str(td_file), "--format", "talkingdata", "--json"]
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [r["row"] for r in rows] == list(range(1, 8001))
    assert all(
        0 <= r["score"] <= 1 and set(r) == {"row", "score", "flagged", "reasons"} for r in rows
    )
    assert all(r["reasons"] for r in rows if r["flagged"])


@pytest.mark.slow
def test_score_with_training_explains_the_model(td_file):
    result = CliRunner().invoke(
        app,
        [
            "fraud",
            "score",
            "--clicks",
            str(td_file),
            "--format",
            "talkingdata",
            "--train",
            str(td_file),
            "--json",
            "--explain",
            "200",
        ],
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    model = [x for r in rows for x in r["reasons"] if x["source"] == "model"]
    assert model and all(x["contribution"] < 0 for x in model)
    assert "makes a genuine click less likely" in model[0]["text"]


def test_bad_file_is_a_clear_error(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("ip,app\n1,2\n")
    result = CliRunner().invoke(
        app, ["fraud", "score", "--clicks", str(path), "--format", "talkingdata", "--json"]
    )
    assert result.exit_code == 1
    assert "lacks device, os, channel, click_time" in json.loads(result.output)["error"]["message"]
