"""House rule: only the warehouse package talks to DuckDB directly."""

from __future__ import annotations

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "tradewinds"
IMPORT = re.compile(r"^\s*(import duckdb|from duckdb\b)", re.MULTILINE)
# a feature asking which engine a warehouse is, instead of what it can do
DIALECT_TEST = re.compile(
    r"""warehouse\.dialect\b|getattr\(\s*\w*warehouse\w*,\s*["']dialect["']"""
)


def test_nothing_outside_the_warehouse_imports_duckdb() -> None:
    offenders = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if "warehouse" not in path.relative_to(SRC).parts and IMPORT.search(path.read_text())
    ]
    assert offenders == [], f"use tradewinds.warehouse instead of duckdb in: {offenders}"


def test_features_test_capability_flags_not_dialects() -> None:
    offenders = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if "warehouse" not in path.relative_to(SRC).parts and DIALECT_TEST.search(path.read_text())
    ]
    assert offenders == [], f"test a capability flag of the backend (backend.py) in: {offenders}"
