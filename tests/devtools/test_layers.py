"""The layering of tradewinds holds, and the check catches what it is meant to catch."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from tradewinds.devtools.layers import Outcome, check

# one module per layer the contracts require (optional ones left out)
PACKAGES = (
    "api",
    "web",
    "cli",
    "jobs",
    "demo",
    "content",
    "devtools",
    "ingest",
    "analytics",
    "attribution",
    "audiences",
    "compliance",
    "markets",
    "recommend",
    "experiments",
    "budget",
    "fraud",
    "explain",
    "workspaces",
    "auth",
    "warehouse",
    "db",
)
MODULES = ("app", "errors", "observability", "config", "hooks")


def _explain(outcome: Outcome, capsys: pytest.CaptureFixture[str]) -> str:
    from importlinter.application.rendering import render_report

    render_report(outcome.report)
    return capsys.readouterr().out


def test_tradewinds_keeps_its_layers_and_has_no_package_cycle(
    capsys: pytest.CaptureFixture[str],
) -> None:
    outcome = check()
    assert outcome.kept, _explain(outcome, capsys)
    assert {c.name for c in outcome.report.contracts} == {
        "Edges -> services -> pure core -> stores -> settings and hooks",
        "No cycle between the packages of tradewinds",
    }


def _throwaway(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, str]) -> str:
    """A package shaped like tradewinds, each module empty unless ``files`` gives it text."""
    root = f"twlayers_{uuid.uuid4().hex[:8]}"
    base = tmp_path / root
    base.mkdir()
    (base / "__init__.py").write_text("")
    for name in PACKAGES:
        (base / name).mkdir()
        (base / name / "__init__.py").write_text("")
    for name in MODULES:
        (base / f"{name}.py").write_text("")
    for relative, text in files.items():
        path = base / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.replace("ROOT", root))
    monkeypatch.syspath_prepend(str(tmp_path))
    return root


def test_a_package_shaped_like_tradewinds_passes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _throwaway(
        tmp_path,
        monkeypatch,
        {
            "api/routes.py": "from ROOT.analytics import kpis\n",
            "analytics/kpis.py": "from ROOT.warehouse import backend\nfrom ROOT import errors\n",
            "warehouse/backend.py": "from ROOT import config, hooks\n",
        },
    )
    outcome = check(root=root)
    assert outcome.kept, _explain(outcome, capsys)


def test_a_store_importing_a_feature_inside_a_function_is_caught(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _throwaway(
        tmp_path,
        monkeypatch,
        {
            "markets/fx.py": "RATES = {}\n",
            "warehouse/factory.py": "def open_warehouse():\n    from ROOT.markets import fx\n"
            "    return fx.RATES\n",
        },
    )
    outcome = check(root=root)
    assert not outcome.kept
    assert outcome.broken == ("Edges -> services -> pure core -> stores -> settings and hooks",)


def test_a_cycle_between_two_services_is_caught(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _throwaway(
        tmp_path,
        monkeypatch,
        {
            "analytics/metrics.py": "def revenue():\n    from ROOT.attribution import service\n",
            "attribution/service.py": "from ROOT.analytics import metrics\n",
        },
    )
    outcome = check(root=root)
    assert outcome.broken == ("No cycle between the packages of tradewinds",)


def test_a_package_without_a_layer_is_caught(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _throwaway(tmp_path, monkeypatch, {"journeys/__init__.py": ""})
    outcome = check(root=root)
    assert not outcome.kept
    assert "Edges -> services -> pure core -> stores -> settings and hooks" in outcome.broken


def test_no_import_is_let_through() -> None:
    """Background work runs on the task queue, declared in each package's ``plugin.py``:
    no feature imports ``jobs``, and the contracts ignore no import at all."""
    from tradewinds.devtools.layers import options

    for contract in options().contracts_options:
        assert not contract.get("ignore_imports")
