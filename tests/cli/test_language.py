"""The command speaks the language its environment asks for; --json stays as it is."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import typer

from tradewinds.cli import language
from tradewinds.cli.output import fail
from tradewinds.i18n_markers import Text


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"TRADEWINDS_LANG": "de", "LANG": "fr_FR.UTF-8"}, "de"),
        ({"LC_ALL": "zh_TW.UTF-8", "LANG": "de_DE.UTF-8"}, "zh_Hant"),
        ({"LC_MESSAGES": "zh_CN.GB18030"}, "zh_Hans"),
        ({"LANG": "pt_PT.UTF-8"}, "pt_BR"),
        ({"LANG": "ar_EG.UTF-8"}, "ar"),
        ({"LANG": "ja_JP.eucJP@euro"}, "ja"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "sw_KE.UTF-8"}, "en"),  # a language the interface is not written in
        ({}, "en"),
    ],
)
def test_the_language_comes_from_the_environment(environ, expected) -> None:
    assert language.chosen(environ) == expected


def test_an_error_is_printed_in_the_commands_language(monkeypatch, capsys) -> None:
    monkeypatch.setenv("TRADEWINDS_LANG", "de")
    with pytest.raises(typer.Exit):
        fail(Text("this key is already revoked"))
    assert capsys.readouterr().err.strip() == "Fehler: dieser Schlüssel ist bereits widerrufen"


def test_json_errors_stay_in_english(monkeypatch, capsys) -> None:
    monkeypatch.setenv("TRADEWINDS_LANG", "zh_Hans")
    with pytest.raises(typer.Exit):
        fail(Text("this key is already revoked"), as_json=True)
    body = json.loads(capsys.readouterr().out)
    assert body["error"]["message"] == "this key is already revoked"


def test_the_help_is_translated() -> None:
    env = {**os.environ, "TRADEWINDS_LANG": "", "LC_ALL": "ja_JP.UTF-8"}
    shown = subprocess.run(
        [sys.executable, "-m", "tradewinds.cli.main", "--help"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    assert "マーケティングデータ" in shown
    assert "デモ用ワークスペースを読み込み" in shown  # a command's help
    assert "Serve the web app" not in shown


def test_init_says_it_is_ready_in_the_commands_language(tmp_path) -> None:
    env = {**os.environ, "TRADEWINDS_HOME": str(tmp_path), "TRADEWINDS_LANG": "de"}
    env.pop("TRADEWINDS_DATABASE_URL", None)
    shown = subprocess.run(
        [sys.executable, "-m", "tradewinds.cli.main", "init"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    assert shown.startswith(f"Tradewinds ist bereit in {tmp_path} (Datenbank sqlite:")


def test_a_groups_help_and_its_options_are_translated() -> None:
    env = {**os.environ, "TRADEWINDS_LANG": "de"}

    def shown(*args: str) -> str:
        return subprocess.run(
            [sys.executable, "-m", "tradewinds.cli.main", *args],
            env=env,
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        ).stdout

    assert "API-Schlüssel." in shown("apikey", "--help")  # the group's help
    listing = shown("apikey", "list", "--help")
    assert "auch widerrufene Schlüssel zeigen" in listing  # an option's help
    assert "include revoked keys" not in listing
