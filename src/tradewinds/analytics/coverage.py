"""What data a workspace holds, and when: rows per table and month, and what a period has.

A dashboard whose period holds no orders or no ad spend says which tables do have data and
in which months, so the seller can jump there. Orders, storefront events and touchpoints are
counted in the workspace's days (``timezone``); ad spend rows are already per day; period
reports (ad spend for a whole date range) are listed by their date ranges.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from tradewinds.analytics.dimensions import local_time
from tradewinds.analytics.filters import ReportScope

if TYPE_CHECKING:
    from tradewinds.warehouse.backend import Warehouse

#: table -> its time column and whether that column is a stored (UTC) timestamp
TIMED = {
    "orders": ("ordered_at", True),
    "ad_spend_daily": ('"date"', False),
    "events": ('"timestamp"', True),
    "touchpoints": ("occurred_at", True),
}
PERIOD_TABLE = "ad_spend_period"
#: the order tables are listed in (the page shows them in this order)
TABLES = ("orders", "ad_spend_daily", PERIOD_TABLE, "events", "touchpoints")
SPEND_TABLES = frozenset({"ad_spend_daily", PERIOD_TABLE})
#: how many days a jump to "the latest data" of a table shows
JUMP_DAYS = 30


@dataclass(frozen=True)
class Span:
    """Rows of one table in one stretch of days: a calendar month, or a period report's
    date range (both days included)."""

    start: date
    end: date
    rows: int


@dataclass(frozen=True)
class TableCoverage:
    """One table that has rows: how many, first and last day, and per month (or period)."""

    table: str
    rows: int
    first: date
    last: date
    spans: tuple[Span, ...]

    @property
    def latest(self) -> tuple[date, date]:
        """The last :data:`JUMP_DAYS` days of this table's data (fewer if it holds fewer)."""
        return max(self.first, self.last - timedelta(days=JUMP_DAYS - 1)), self.last

    def to_dict(self) -> dict[str, Any]:
        return {
            "table": self.table,
            "rows": self.rows,
            "first": self.first.isoformat(),
            "last": self.last.isoformat(),
            "spans": [
                {"from": s.start.isoformat(), "to": s.end.isoformat(), "rows": s.rows}
                for s in self.spans
            ],
        }


@dataclass(frozen=True)
class PeriodContents:
    """Which tables have rows in a report period."""

    tables: frozenset[str]

    @property
    def has_orders(self) -> bool:
        return "orders" in self.tables

    @property
    def has_spend(self) -> bool:
        return bool(self.tables & SPEND_TABLES)

    @property
    def empty(self) -> bool:
        """Neither orders nor ad spend: every business figure of the period is empty."""
        return not (self.has_orders or self.has_spend)


def _month_end(day: date) -> date:
    following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def _as_date(value: Any) -> date:
    return value.date() if isinstance(value, datetime) else value


def in_period(*, warehouse: Warehouse, scope: ReportScope) -> PeriodContents:
    """Which of :data:`TABLES` have at least one row in ``scope``'s days (filters aside).

    A period report counts when its date range overlaps the period."""
    lo, hi = scope.window
    checks = []
    for table, (column, stamped) in TIMED.items():
        bounds = ("$lo", "$hi") if stamped else ("$first", "$after")
        checks.append(
            f"EXISTS (SELECT 1 FROM {table} WHERE {column} >= {bounds[0]} "
            f"AND {column} < {bounds[1]}) AS {table}"
        )
    checks.append(
        f"EXISTS (SELECT 1 FROM {PERIOD_TABLE} WHERE period_start <= $last "
        f"AND period_end >= $first) AS {PERIOD_TABLE}"
    )
    row = warehouse.query(
        "SELECT " + ", ".join(checks),
        {
            "lo": lo,
            "hi": hi,
            "first": scope.start,
            "last": scope.end,
            "after": scope.end + timedelta(days=1),
        },
    ).as_dicts()[0]
    return PeriodContents(frozenset(t for t, present in row.items() if present))


def coverage(*, warehouse: Warehouse, timezone: str = "UTC") -> list[TableCoverage]:
    """Every table of :data:`TABLES` that has rows, with its rows per month (per date range
    for period reports), in :data:`TABLES` order. Months of orders, events and touchpoints
    are those of ``timezone``."""
    found: dict[str, TableCoverage] = {}
    bounds = warehouse.query(
        "SELECT "
        + ", ".join(
            f"(SELECT MIN({c}) FROM {t}) AS {t}_first, (SELECT MAX({c}) FROM {t}) AS {t}_last"
            for t, (c, _) in TIMED.items()
        )
    ).as_dicts()[0]
    for table, (column, stamped) in TIMED.items():
        first, last = bounds[f"{table}_first"], bounds[f"{table}_last"]
        if first is None:
            continue
        when = column
        if stamped:  # the zone's offsets between the first and last row: a cheap local time
            when = local_time(column, timezone, within=(first, last + timedelta(seconds=1)))
        rows = warehouse.query(
            f"SELECT CAST({when} AS DATE) AS day, COUNT(*) AS n FROM {table} GROUP BY 1"
        ).rows
        if not rows:
            continue
        per_month: dict[date, int] = {}
        for day, n in rows:
            month = _as_date(day).replace(day=1)
            per_month[month] = per_month.get(month, 0) + int(n)
        days = [_as_date(r[0]) for r in rows]
        spans = tuple(Span(m, _month_end(m), n) for m, n in sorted(per_month.items()))
        found[table] = TableCoverage(table, sum(per_month.values()), min(days), max(days), spans)
    periods = warehouse.query(
        f"SELECT period_start, period_end, COUNT(*) AS n FROM {PERIOD_TABLE} "
        "GROUP BY 1, 2 ORDER BY 1, 2"
    ).rows
    if periods:
        spans = tuple(Span(_as_date(a), _as_date(b), int(n)) for a, b, n in periods)
        found[PERIOD_TABLE] = TableCoverage(
            PERIOD_TABLE,
            sum(s.rows for s in spans),
            min(s.start for s in spans),
            max(s.end for s in spans),
            spans,
        )
    return [found[t] for t in TABLES if t in found]
