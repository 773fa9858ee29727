"""docs/warehouse.md is what users read to write SQL: it must name every table and column."""

from __future__ import annotations

from pathlib import Path

from tradewinds.warehouse.schema import TABLES

DOC = Path(__file__).resolve().parents[2] / "docs" / "warehouse.md"


def test_every_table_and_column_is_documented() -> None:
    text = DOC.read_text()
    missing = [
        f"{t.name}.{c.name}"
        for t in TABLES.values()
        for c in t.columns
        if f"### `{t.name}`" not in text or f"| `{c.name}` |" not in text
    ]
    assert missing == [], f"add to docs/warehouse.md: {', '.join(missing)}"
