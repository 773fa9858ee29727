"""Services name the warehouse by its type: ``Warehouse``, not ``Any``."""

from __future__ import annotations

import re
from pathlib import Path

import tradewinds

SRC = Path(tradewinds.__file__).parent
#: below the stores, a module may not name the warehouse's type (it would import a store)
BELOW_THE_STORES = {"hooks.py"}


def test_no_warehouse_is_typed_any() -> None:
    untyped = [
        f"{path.relative_to(SRC)}:{n}"
        for path in SRC.rglob("*.py")
        if path.name not in BELOW_THE_STORES
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if re.search(r"\bwarehouse: Any\b", line)
    ]
    assert not untyped, untyped
