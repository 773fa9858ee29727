from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tradewinds.attribution.models.catalog import MODEL_NAMES
from tradewinds.cli.main import app

runner = CliRunner()


@pytest.mark.parametrize("model", MODEL_NAMES)
def test_paths_json_on_channelattribution_data(shared_data: Path, model: str) -> None:
    file = shared_data / "attribution" / "ChannelAttribution_Data.csv"
    result = runner.invoke(app, ["attribution", "paths", str(file), "--model", model, "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["channels"]
    assert {"channel", "conversions", "value"} == set(rows[0])
    total_conversions = sum(r["conversions"] for r in rows)
    text = file.read_text().splitlines()[1:]
    expected = sum(float(line.split(";")[1]) for line in text)
    assert total_conversions == pytest.approx(expected)


def test_markov_order_and_separator(tmp_path: Path) -> None:
    file = tmp_path / "p.csv"
    file.write_text(
        "path,total_conversions,total_conversion_value,total_null\n"
        "a > b > c,3,30,1\nb > c,1,5,4\nc,0,0,2\n"
    )
    result = runner.invoke(
        app,
        [
            "attribution",
            "paths",
            str(file),
            "--model",
            "markov",
            "--order",
            "2",
            "--sep",
            ",",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["channels"]
    assert sum(r["value"] for r in rows) == pytest.approx(35)


def test_bad_input_is_a_clear_error(tmp_path: Path) -> None:
    file = tmp_path / "p.csv"
    file.write_text("path;total_conversions\na > b;1\nc;lots\n")
    result = runner.invoke(app, ["attribution", "paths", str(file), "--json"])
    assert result.exit_code == 1
    error = json.loads(result.stdout)["error"]
    assert error["code"] == "bad_input"
    assert "line 3" in error["message"] and "total_conversions" in error["message"]


def test_unknown_model(tmp_path: Path) -> None:
    file = tmp_path / "p.csv"
    file.write_text("path;total_conversions\na;1\n")
    result = runner.invoke(app, ["attribution", "paths", str(file), "--model", "magic"])
    assert result.exit_code != 0


def test_ordered_shapley_adds_positions(tmp_path: Path) -> None:
    file = tmp_path / "p.csv"
    file.write_text("path;total_conversions\na > b > a;2\nb;1\n")
    result = runner.invoke(
        app,
        ["attribution", "paths", str(file), "--model", "shapley", "--shapley", "ordered", "--json"],
    )
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    credit = {r["channel"]: r["conversions"] for r in answer["channels"]}
    assert credit == pytest.approx({"a": 1.0, "b": 2.0})
    assert answer["positions"]["a"] == pytest.approx([1.0, 0.0])  # a opened the journey
    assert answer["positions"]["b"] == pytest.approx([1.0, 1.0])
