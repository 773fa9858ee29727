"""Experiment definitions: validated YAML per workspace; a defined experiment is assigned
by its key and its exposures read with its order and weights."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from tradewinds.cli.main import app
from tradewinds.experiments.assignment import assign
from tradewinds.experiments.definitions import DefinitionError, parse
from tradewinds.experiments.exposures import ExposureRow, experiments_of

YAML = """version: 1
experiments:
  - key: free-shipping
    salt: fs-2026
    variations:
      - {key: "1", weight: 0.25}
      - {key: "0", weight: 0.75}
    metrics: [purchase rate]
"""


def test_parse_and_errors_name_the_place():
    defs = parse(YAML)
    assert defs.get("free-shipping").hash_salt == "fs-2026"
    with pytest.raises(DefinitionError) as caught:
        parse("experiments:\n  - key: x\n    variations: [{key: a}]\n", name="d.yaml")
    assert caught.value.file == "d.yaml" and caught.value.where == "experiments.0.variations"
    with pytest.raises(DefinitionError, match="must differ"):
        parse("experiments:\n  - {key: x, variations: [{key: a}, {key: a}]}\n")


def test_defined_order_and_weights_and_an_unseen_variation():
    defs = parse(YAML)
    rows = [ExposureRow("free-shipping", "0", 300, 9, 9, 9.0, 90.0, 900.0, 0)]
    [exp] = experiments_of(rows, definitions=defs)
    assert exp.variations == ("1", "0") and exp.weights == (0.25, 0.75)
    assert exp.units == (0, 300)  # the control nobody saw: the SRM check flags it


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_define_then_assign_by_key(client, tenants, tmp_path):
    path = tmp_path / "defs.yaml"
    path.write_text(YAML)
    runner = CliRunner()
    out = runner.invoke(
        app, ["experiments", "define", "-w", tenants.a.workspace_key, "--file", str(path)]
    )
    assert out.exit_code == 0, out.output
    assert out.stdout.startswith("free-shipping\tfs-2026")
    listed = client.get("/api/v1/experiments/definitions", headers=tenants.a.headers)
    assert listed.json()["experiments"][0]["key"] == "free-shipping"
    for unit in ("u1", "u2", "u3"):
        got = client.get(
            "/api/v1/experiments/assign",
            params={"experiment": "free-shipping", "unit_id": unit},
            headers=tenants.a.headers,
        ).json()
        assert got["salt"] == "fs-2026"
        assert got["variation"] == ["1", "0"][assign("fs-2026", unit, [0.25, 0.75])]
    bad = tmp_path / "bad.yaml"
    bad.write_text("experiments: [{key: x}]\n")
    refused = runner.invoke(
        app, ["experiments", "define", "-w", tenants.a.workspace_key, "--file", str(bad)]
    )
    assert refused.exit_code == 1 and "bad.yaml" in refused.stderr
