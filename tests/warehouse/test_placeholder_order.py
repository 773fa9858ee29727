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


def test_a_limit_keeps_its_place_among_the_values(warehouse) -> None:
    """``LIMIT ?`` after a subquery's and the outer ``WHERE``'s values, and ``LIKE ? ESCAPE ?``:
    each value goes to the ``?`` at its place in the text."""
    digits = ", ".join(f"({n})" for n in range(10))
    sql = (
        f"SELECT n FROM (SELECT n FROM (VALUES {digits}) AS v(n) WHERE n >= ?) AS t "
        "WHERE CAST(n AS VARCHAR) LIKE ? ESCAPE ? ORDER BY n LIMIT ?"
    )
    rows = warehouse.query(sql, [3, "%", "!", 2]).rows
    assert [r[0] for r in rows] == [3, 4]
    sql2, values = to_postgres("SELECT a FROM t WHERE b = '?' AND c = ? /* ? */ LIMIT ?", [1, 2])
    assert values == [2, 1] and sql2.index("c = $2") < sql2.index("LIMIT $1")
