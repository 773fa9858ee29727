from __future__ import annotations

import pytest

from tradewinds.warehouse.dialect import to_postgres
from tradewinds.warehouse.errors import WarehouseError


def test_positional_placeholders_become_numbered() -> None:
    sql, params = to_postgres("SELECT * FROM orders WHERE a = ? AND b LIKE '%x%' AND c = ?", [1, 2])
    assert "$1" in sql and "$2" in sql and "'%x%'" in sql
    assert params == [1, 2]


def test_named_placeholders_follow_their_order_of_use() -> None:
    sql, params = to_postgres("SELECT $b AS b, $a AS a, $b AS again", {"a": 1, "b": 2})
    assert "$1" in sql and "$3" in sql
    assert params == [2, 1, 2]


def test_json_arrows_are_kept_for_postgres() -> None:
    sql, _ = to_postgres("SELECT properties->>'revenue' AS r, properties->'x' AS x FROM events")
    assert "->>" in sql and "->" in sql


def test_no_parameters_for_placeholders_is_an_error() -> None:
    with pytest.raises(WarehouseError):
        to_postgres("SELECT ?", None)


def test_unparseable_sql_is_an_error() -> None:
    with pytest.raises(WarehouseError):
        to_postgres("SELECT FROM WHERE (")
