"""`tradewinds compliance …` explains findings in the command's language; --json stays
English."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tradewinds.cli.main import app
from tradewinds.compliance.loader import builtin_packs

runner = CliRunner()
CHECK = ["compliance", "check", "--market", "DE", "--sponsored", "Die billigste Creme"]


@pytest.fixture
def german(monkeypatch):
    monkeypatch.setenv("TRADEWINDS_LANG", "de")


def test_findings_are_explained_in_german(german) -> None:
    result = runner.invoke(app, CHECK)
    assert result.exit_code == 1, result.output
    shown = result.stdout
    assert shown.startswith("Ergebnis: gesperrt\n")
    assert "In Deutschland müssen gesponserte oder Influencer-Inhalte deutlich" in shown
    assert "Preis-Superlative („am günstigsten“, „niedrigster Preis“)" in shown
    assert "  sperrt " in shown and "Grundlage: UCPD" in shown  # references stay as cited
    english = builtin_packs()["de"].rules[0].message
    assert english not in shown and "verdict:" not in shown


def test_json_stays_english(german) -> None:
    result = runner.invoke(app, [*CHECK[:-1], "--json", CHECK[-1]])
    data = json.loads(result.stdout)
    assert data["verdict"] == "block"
    messages = {f["rule_id"]: f["message"] for f in data["findings"]}
    assert messages["de.sponsored.anzeige-missing"] == builtin_packs()["de"].rules[0].message


def test_the_engines_note_and_an_unknown_pack_in_german(german) -> None:
    result = runner.invoke(app, ["compliance", "check", "--market", "NZ", "Sofas"])
    assert "Kein Regelpaket für den Markt 'NZ': Es wurden nur die Regeln" in result.stdout
    assert "Grundlage: Abdeckung der Tradewinds-Regelpakete" in result.stdout
    missing = runner.invoke(app, ["compliance", "packs", "xx"])
    assert missing.exit_code == 1
    assert missing.stderr.startswith("Fehler: Kein Regelpaket 'xx'; Regelpakete: amazon")


def test_fix_and_the_pack_list_in_german(german) -> None:
    fixed = runner.invoke(
        app, ["compliance", "fix", "--market", "US", "--platform", "google", "FREE sofas!!"]
    )
    assert "korrigiert: Free sofas!\n" in fixed.stdout
    assert "2 sichere Korrekturen angewendet" in fixed.stdout
    listed = runner.invoke(app, ["compliance", "packs"]).stdout
    assert "Regeln für alle Märkte" in listed and "alle Märkte" in listed
    assert "Rules for every market" not in listed
    one = runner.invoke(app, ["compliance", "packs", "uk"]).stdout
    assert one.startswith("uk: Vereinigtes Königreich\n")
    assert "Gesponserte Inhalte im Vereinigten Königreich brauchen" in one


def test_a_bad_pack_is_refused_in_german(german, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "id: x\ntitle: t\nscope: user\nrules:\n  - id: a\n    kind: terms\n"
        "    severity: loud\n    message: m m\n    reference: r r\n"
        "    terms: {xx: [a]}\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["compliance", "validate", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}: Zeile 7 (rules.0.severity): Der Wert muss 'block', 'warn' or 'info'" in (
        result.stderr
    )
    assert "Ungültiger Wert: Unbekannte(r) Sprachcode(s): xx" in result.stderr
    good = tmp_path / "good.yaml"
    good.write_text(bad.read_text().replace("loud", "warn").replace("xx", "en"))
    valid = runner.invoke(app, ["compliance", "validate", str(good)])
    assert valid.stdout == f"{good}: gültig (1 Regel)\n"
    checked = runner.invoke(app, ["compliance", "check", "--market", "US", "--pack", str(bad), "x"])
    assert checked.stderr.startswith(f"Fehler: {bad}: Zeile 7 (rules.0.severity):")


def test_an_own_pack_is_printed_as_written(german, tmp_path: Path) -> None:
    pack = tmp_path / "brand.yaml"
    pack.write_text(
        "id: brand\ntitle: Brand\nscope: user\nrules:\n  - id: competitor\n"
        "    kind: terms\n    severity: block\n"
        "    message: Headlines may not contain exclamation marks.\n"
        "    reference: brand guide\n    terms: {en: [globex]}\n",
        encoding="utf-8",
    )
    result = runner.invoke(
        app, ["compliance", "check", "--market", "US", "--pack", str(pack), "Globex"]
    )
    assert "        Headlines may not contain exclamation marks.\n" in result.stdout
    assert "Grundlage: brand guide" in result.stdout
