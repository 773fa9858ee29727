"""Check the layering: ``python -m tradewinds.devtools.layers`` (exit status 1 when broken).

The contracts are the ``[tool.importlinter]`` table of ``pyproject.toml``, checked by
import-linter over the import graph grimp builds from the source: every ``import``
statement counts, those inside functions too (a lazy import is a dependency all the same).

* ``layers``: edges (``app``, ``api``, ``web``, ``cli``, ``jobs``) → services (the
  capabilities) → pure core (``errors``, ``observability``) → stores (``warehouse``,
  ``db``) → settings and hooks (``config``, ``hooks``). A module imports only from its own
  layer or the ones below; every package of ``tradewinds`` must be given a layer.
* ``no-cycles``: no two packages of ``tradewinds`` import each other, directly or through
  others.

``docs/development.md`` explains the layers and where a new package goes.
"""

from __future__ import annotations

import copy
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PYPROJECT = Path(__file__).resolve().parents[3] / "pyproject.toml"
ROOT = "tradewinds"


@dataclass(frozen=True)
class Outcome:
    """What the check found: ``kept`` is True when every contract holds."""

    kept: bool
    broken: tuple[str, ...]
    report: Any  # importlinter's Report, for rendering


def options(config: Path = PYPROJECT, *, root: str = ROOT) -> Any:
    """The contracts as import-linter reads them; ``root`` renames the checked package (a
    test checks a throw-away package against the same contracts)."""
    from importlinter.application.use_cases import read_user_options

    _configure()
    if not config.is_file():
        raise FileNotFoundError(
            f"{config} not found: run the layering check from a source checkout of Tradewinds"
        )
    read = read_user_options(str(config))
    if root == ROOT:
        return read
    renamed = copy.deepcopy(read)
    renamed.session_options = _renamed(renamed.session_options, root)
    renamed.contracts_options = [_renamed(c, root) for c in renamed.contracts_options]
    return renamed


def _renamed(value: Any, root: str) -> Any:
    if isinstance(value, str):
        return value.replace(f"{ROOT}.", f"{root}.") if value != ROOT else root
    if isinstance(value, list):
        return [_renamed(v, root) for v in value]
    if isinstance(value, dict):
        return {k: _renamed(v, root) for k, v in value.items()}
    return value


def _configure() -> None:
    from importlinter.configuration import configure

    configure()


def check(config: Path = PYPROJECT, *, root: str = ROOT) -> Outcome:
    """Check every contract of ``config`` against package ``root`` (importable from sys.path)."""
    return check_options(options(config, root=root))


def check_options(user_options: Any) -> Outcome:
    """Check contracts already read (:func:`options`, perhaps changed)."""
    from importlinter.application.use_cases import _register_built_in_contract_types, create_report

    _configure()
    _register_built_in_contract_types()
    report = create_report(user_options, cache_dir=None)
    broken = tuple(
        contract.name for contract, result in report.get_contracts_and_checks() if not result.kept
    )
    invalid = tuple(f"{name}: invalid options" for name in report.invalid_contract_options)
    return Outcome(not report.contains_failures, broken + invalid, report)


def main(argv: list[str] | None = None) -> int:
    del argv
    try:
        from importlinter.application.rendering import render_report
    except ImportError:
        print("the layering check needs import-linter: pip install -e '.[dev]'", file=sys.stderr)
        return 2
    outcome = check()
    render_report(outcome.report)
    return 0 if outcome.kept else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
