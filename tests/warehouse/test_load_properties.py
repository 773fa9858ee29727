"""Properties of Warehouse.load on the embedded engine (the query suite covers PostgreSQL)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from tradewinds.warehouse.duckdb_backend import DuckDBWarehouse

money = st.decimals(
    min_value=Decimal("-99999999999999.9999"),
    max_value=Decimal("99999999999999.9999"),
    places=4,
    allow_nan=False,
    allow_infinity=False,
)
lines = st.lists(
    st.tuples(st.integers(min_value=1, max_value=40), money, st.integers(-1000, 1000)),
    max_size=60,
)


def _rows(batch: list[tuple[int, Decimal, int]]) -> list[dict[str, object]]:
    return [
        {"order_id": "o", "line_no": n, "unit_price": price, "quantity": qty, "currency": "EUR"}
        for n, price, qty in batch
    ]


def test_load_keeps_the_last_value_per_key_and_counts_add_up() -> None:
    with DuckDBWarehouse(":memory:") as wh:
        wh.ensure_tables()

        @settings(max_examples=20, deadline=None)
        @given(first=lines, second=lines)
        def check(first, second) -> None:  # noqa: ANN001
            wh.execute("DELETE FROM order_lines")
            expected: dict[int, tuple[Decimal, int]] = {}
            for batch in (first, second):
                before = dict(expected)
                result = wh.load("order_lines", _rows(batch))
                latest = {n: (price, qty) for n, price, qty in batch}
                expected.update(latest)
                new = [n for n in latest if n not in before]
                changed = [n for n in latest if n in before and before[n] != latest[n]]
                assert result.inserted == len(new)
                assert result.updated == len(changed)
                assert result.inserted + result.updated + result.duplicates == len(batch)
            stored = wh.query("SELECT line_no, unit_price, quantity FROM order_lines").rows
            assert {n: (p, q) for n, p, q in stored} == expected
            again = wh.load("order_lines", _rows([(n, p, q) for n, (p, q) in expected.items()]))
            assert (again.inserted, again.updated) == (0, 0)

        check()
