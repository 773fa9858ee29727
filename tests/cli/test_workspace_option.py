"""Every command that works in a workspace takes one ``--workspace`` option: the same flags,
help, environment variable and resolution."""

from __future__ import annotations

import json
from typing import Any

import typer
from typer.testing import CliRunner

from tradewinds.cli.context import WORKSPACE_ENV, WORKSPACE_HELP
from tradewinds.cli.main import app

runner = CliRunner()


def _commands(group: Any, prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, command in group.commands.items():
        path = f"{prefix} {name}".strip()
        if hasattr(command, "commands"):
            out.update(_commands(command, path))
        else:
            out[path] = command
    return out


def _workspace_options() -> dict[str, Any]:
    root = typer.main.get_command(app)
    found = {}
    for path, command in _commands(root).items():
        for param in command.params:
            if getattr(param, "param_type_name", "") == "option" and "--workspace" in param.opts:
                found[path] = param
    return found


def test_every_workspace_option_is_the_same():
    options = _workspace_options()
    assert len(options) >= 20, sorted(options)
    for path, option in options.items():
        assert option.opts == ["--workspace", "-w"], path
        assert option.envvar == WORKSPACE_ENV, path
        assert option.help == WORKSPACE_HELP, path
        assert option.metavar == "WORKSPACE", path


def test_no_command_names_a_workspace_otherwise():
    root = typer.main.get_command(app)
    for path, command in _commands(root).items():
        for param in command.params:
            if getattr(param, "param_type_name", "") == "option" and param.name == "workspace":
                assert "--workspace" in param.opts, path


def test_the_workspace_comes_from_the_environment(tenants, monkeypatch):
    monkeypatch.setenv(WORKSPACE_ENV, tenants.a.workspace_key)
    result = runner.invoke(app, ["source", "list", "--json"])
    assert result.exit_code == 0, result.output
    assert isinstance(json.loads(result.stdout), list | dict)


def test_an_unknown_workspace_says_how_to_create_one(tenants):
    result = runner.invoke(app, ["source", "list", "--workspace", "no-such-shop", "--json"])
    assert result.exit_code != 0
    assert "tradewinds workspace create" in result.output
