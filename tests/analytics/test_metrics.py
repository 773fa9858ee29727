"""The metrics registry: one definition per figure, and the figures it defines."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.analytics.fixtures import order
from tradewinds.analytics import calculations as calc
from tradewinds.analytics.filters import ReportScope
from tradewinds.analytics.metrics import DEFINITIONS
from tradewinds.analytics.service import kpi_summary, metrics_report

DAY = date(2024, 3, 5)


def test_every_metric_has_one_definition_and_the_layer_reads_it() -> None:
    assert set(calc.METRICS) <= set(DEFINITIONS)
    for name in calc.METRICS:
        d = DEFINITIONS[name]
        assert calc.LABELS[name] == d.label
        assert (name in calc.MONEY) == d.money, name
        assert d.formula and d.counts
    assert calc.RATIOS["conversion_rate"][:2] == ("storefront_orders", "sessions")
    assert calc.derive({"storefront_orders": 3, "sessions": 40, "orders": 100})[
        "conversion_rate"
    ] == pytest.approx(0.075)
    # all orders imported, none from the storefront: the rate is unknown, not 0 %
    assert (
        calc.derive({"storefront_orders": 0, "sessions": 40, "orders": 100})["conversion_rate"]
        is None
    )
    # a storefront without sales in a quiet period does convert at 0 %
    assert (
        calc.derive({"storefront_orders": 0, "sessions": 40, "orders": 0})["conversion_rate"] == 0.0
    )


def _event(n: int, who: str, at: datetime, *, session: str | None = None) -> dict[str, Any]:
    context: dict[str, Any] = {"sessionId": session} if session else {}
    return {
        "message_id": f"m{n}",
        "type": "track",
        "event": "Product Viewed",
        "anonymous_id": who,
        "user_id": None,
        "timestamp": at,
        "properties": {},
        "context": context,
    }


def test_orders_sessions_and_conversion_rate_as_defined(warehouse) -> None:
    web = order("web:1", "c1", "2024-03-05", "40", storefront="web")
    web["source"] = "events"
    cancelled = order("x:2", "c2", "2024-03-05", "90")
    cancelled["status"] = "cancelled"
    warehouse.load(
        "orders",
        [
            web,
            order("shopify:3", "c3", "2024-03-05", "60"),  # imported: not a storefront order
            order("x:4", "c4", "2024-03-05", "0"),  # zero-value document: not an order
            cancelled,
        ],
    )
    t = datetime(2024, 3, 5, 9, 0)
    warehouse.load(
        "events",
        [
            _event(1, "a", t),
            _event(2, "a", t.replace(minute=29)),  # 29 minutes later: the same session
            _event(3, "a", t.replace(hour=10, minute=0)),  # 31 minutes later: a new one
            _event(4, "b", t, session="s1"),
            _event(5, "b", t.replace(minute=1), session="s2"),  # the storefront's own id
            _event(6, "c", datetime(2024, 3, 4, 23, 50)),  # begun the day before...
            _event(7, "c", datetime(2024, 3, 5, 0, 5)),  # ...so not a session of the 5th
        ],
    )
    scope = ReportScope(start=DAY, end=DAY)
    names = ("orders", "revenue", "storefront_orders", "sessions", "conversion_rate")
    report = metrics_report(warehouse=warehouse, currency="GBP", scope=scope, metrics=names)
    row = report.total
    assert (row["orders"], row["revenue"]) == (2, 100.0)
    assert (row["storefront_orders"], row["sessions"]) == (1, 4)
    assert row["conversion_rate"] == pytest.approx(0.25)
    (cover,) = report.coverage
    assert (cover.total, cover.counted, cover.left_out) == (2, 1, {"not_from_storefront": 1})
    summary = kpi_summary(warehouse=warehouse, currency="GBP", scope=scope, finance=False)
    assert {f.name for f in summary.figures}.isdisjoint(calc.MONEY)
    assert summary.value("conversion_rate") == pytest.approx(0.25)


def test_cli_metrics_names_a_bad_date(tw_home) -> None:
    from tradewinds.cli.main import app

    result = CliRunner().invoke(
        app, ["metrics", "--workspace", "nowhere", "--from", "2024-13-01", "--json"]
    )
    assert result.exit_code == 1
    error = json.loads(result.stdout)["error"]
    assert (
        error["code"] == "invalid_input" and "from: '2024-13-01' is not a date" in error["message"]
    )
