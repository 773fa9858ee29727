"""Positional ``?`` parameters keep their order on every backend."""

from __future__ import annotations

from tradewinds.warehouse.dialect import to_postgres


def test_placeholders_are_numbered_in_source_order() -> None:
    sql, values = to_postgres("SELECT 1 WHERE a = 'x' AND b >= ? AND c <= ?", [10, 20])
    assert sql.index("$1") < sql.index("$2") and values == [10, 20]


def test_nested_conditions_get_their_own_values(warehouse) -> None:
    sql = (
        "SELECT count(*) FROM (SELECT 1 AS a, 2 AS b, 3 AS c) AS t WHERE a = ? AND b = ? AND c = ?"
    )
    assert warehouse.query(sql, [1, 2, 3]).scalar() == 1
    assert warehouse.query(sql, [3, 2, 1]).scalar() == 0
