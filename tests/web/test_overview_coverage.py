"""The Overview's coverage note trusts the page's own tiles before it queries the tables."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tradewinds.analytics import coverage
from tradewinds.analytics.filters import make_scope
from tradewinds.web import overview_coverage

SCOPE = make_scope(
    start=date(2011, 11, 10), end=date(2011, 12, 9), default_end=date(2011, 12, 9), timezone="UTC"
)


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    calls: list[Any] = []

    def in_period(**kw: Any) -> coverage.PeriodContents:
        calls.append(kw)
        return coverage.PeriodContents(frozenset({"orders"}))

    monkeypatch.setattr(coverage, "in_period", in_period)
    monkeypatch.setattr(coverage, "coverage", lambda **kw: [])
    return calls


def test_orders_and_spend_in_the_tiles_need_no_query(asked: list[Any]) -> None:
    view = overview_coverage.build(
        warehouse=None, scope=SCOPE, totals={"orders": 3054, "spend": 104_600.0}
    )
    assert view.state == "" and asked == []


@pytest.mark.parametrize(
    "totals", [None, {"orders": 3054, "spend": 0}, {"orders": 0, "spend": 5.0}, {"orders": 3}]
)
def test_otherwise_the_tables_are_asked(asked: list[Any], totals: Any) -> None:
    view = overview_coverage.build(warehouse=None, scope=SCOPE, totals=totals)
    assert len(asked) == 1
    assert view.state == "no_spend"  # what the tables say: orders, no spend
