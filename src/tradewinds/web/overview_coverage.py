"""What the Overview says when its period holds no orders or no ad spend (a view model).

Reads :mod:`tradewinds.analytics.coverage` and turns it into what the page shows: the
period, the tables that do have data (rows, first and last month, the months themselves)
and links that open the Overview on them. Words are the template's; this module gives
numbers and dates formatted for the viewer (:mod:`tradewinds.web.numbers`) and links.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from tradewinds.analytics import coverage
from tradewinds.analytics.filters import ReportScope
from tradewinds.web import numbers

if TYPE_CHECKING:
    from tradewinds.warehouse.backend import Warehouse

#: months listed per table; earlier ones are summed up as "and N earlier months"
MONTHS_SHOWN = 12


@dataclass(frozen=True)
class Jump:
    """A link that opens the Overview on ``start`` – ``end``, and those days as text."""

    href: str
    text: str


@dataclass(frozen=True)
class TableView:
    table: str
    rows: str
    first: str
    last: str
    latest: Jump
    #: (month or period, its rows, link) — the latest :data:`MONTHS_SHOWN`
    spans: list[tuple[Jump, str]]
    earlier: int
    monthly: bool


@dataclass(frozen=True)
class CoverageView:
    """``state``: "" (orders and spend in the period), "empty" (neither), "no_orders" or
    "no_spend"; ``fresh``: the workspace holds nothing at all yet."""

    state: str
    period: str
    tables: list[TableView] = field(default_factory=list)
    orders: Jump | None = None
    spend: Jump | None = None
    fresh: bool = False


def days_text(start: date, end: date) -> str:
    """``10 Nov 2011 – 9 Dec 2011``, or one day when both are the same."""
    if start == end:
        return numbers.day(start)
    return f"{numbers.day(start)} – {numbers.day(end)}"


def _jump(start: date, end: date, compare: str, text: str | None = None) -> Jump:
    query = {"from": start.isoformat(), "to": end.isoformat()}
    if compare and compare != "previous":
        query["compare"] = compare
    return Jump(href="/?" + urlencode(query), text=text or days_text(start, end))


def _table(found: coverage.TableCoverage, compare: str) -> TableView:
    monthly = found.table != coverage.PERIOD_TABLE
    spans = [
        (
            _jump(
                s.start,
                s.end,
                compare,
                numbers.month(s.start) if monthly else days_text(s.start, s.end),
            ),
            numbers.number(s.rows),
        )
        for s in found.spans[-MONTHS_SHOWN:]
    ]
    fmt = numbers.month if monthly else numbers.day
    return TableView(
        table=found.table,
        rows=numbers.number(found.rows),
        first=fmt(found.first),
        last=fmt(found.last),
        latest=_jump(*found.latest, compare),
        spans=spans,
        earlier=max(0, len(found.spans) - MONTHS_SHOWN),
        monthly=monthly,
    )


def build(
    *,
    warehouse: Warehouse,
    scope: ReportScope,
    compare: str = "previous",
    totals: Mapping[str, Any] | None = None,
) -> CoverageView:
    """What the page must say about the data of ``scope``'s days (filters aside).

    ``totals``, the page's own tiles when it has them: orders and ad spend above zero there
    (filters or not) mean both tables have rows in the period, and the tables need not be
    looked at again."""
    period = days_text(scope.start, scope.end)
    if totals is not None and (totals.get("orders") or 0) > 0 and (totals.get("spend") or 0) > 0:
        return CoverageView(state="", period=period)
    present = coverage.in_period(warehouse=warehouse, scope=scope)
    if present.has_orders and present.has_spend:
        return CoverageView(state="", period=period)
    found = coverage.coverage(warehouse=warehouse, timezone=scope.timezone)
    by_table = {t.table: t for t in found}
    orders = by_table.get("orders")
    spend = sorted((t for t in found if t.table in coverage.SPEND_TABLES), key=lambda t: t.last)
    state = "empty" if present.empty else "no_orders" if present.has_spend else "no_spend"
    return CoverageView(
        state=state,
        period=period,
        tables=[_table(t, compare) for t in found],
        orders=_jump(*orders.latest, compare) if orders else None,
        spend=_jump(*spend[-1].latest, compare) if spend else None,
        fresh=not found,
    )
