"""Named report periods ("last 30 days", "this month", "all time") and comparison periods.

Pure: every preset is resolved from the workspace's *data days* (:class:`DataDays`) — the
first and last day holding orders or ad spend, and the *reference day* the presets count
back from: the last day with orders, or today when there are none
(``service.default_end``). So "last 30 days" of a shop whose orders stop in December 2011
is the 30 days to that day, not 30 empty days to today; "today" and "yesterday" are the
reference day and the day before. Every page, the API and the CLI default to
:data:`DEFAULT_PRESET`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from tradewinds.analytics.filters import MAX_DAYS, ReportScope
from tradewinds.errors import InvalidInput

PRESETS = (
    "today",
    "yesterday",
    "last_7_days",
    "last_30_days",
    "last_90_days",
    "this_month",
    "last_month",
    "quarter_to_date",
    "year_to_date",
    "all_time",
)
#: the period of every report that names none
DEFAULT_PRESET = "last_30_days"
DEFAULT_DAYS = 30
#: what a period can be compared with
COMPARISONS = ("previous", "year")


@dataclass(frozen=True)
class DataDays:
    """``first``/``last``: the first and last day with orders or ad spend (None when the
    workspace holds neither); ``reference``: the day presets end on (last day with orders,
    today when there are none)."""

    first: date | None
    last: date | None
    reference: date


def last_days(reference: date, days: int) -> tuple[date, date]:
    """The ``days`` days ending on ``reference``."""
    return reference - timedelta(days=days - 1), reference


def _quarter_start(day: date) -> date:
    return day.replace(month=3 * ((day.month - 1) // 3) + 1, day=1)


def resolve(preset: str, days: DataDays) -> tuple[date, date]:
    """The first and last day of ``preset``; InvalidInput (field ``preset``) if unknown."""
    ref = days.reference
    if preset == "today":
        return ref, ref
    if preset == "yesterday":
        return ref - timedelta(days=1), ref - timedelta(days=1)
    if preset in ("last_7_days", "last_30_days", "last_90_days"):
        return last_days(ref, int(preset.split("_")[1]))
    if preset == "this_month":
        return ref.replace(day=1), ref
    if preset == "last_month":
        end = ref.replace(day=1) - timedelta(days=1)
        return end.replace(day=1), end
    if preset == "quarter_to_date":
        return _quarter_start(ref), ref
    if preset == "year_to_date":
        return ref.replace(month=1, day=1), ref
    if preset == "all_time":
        if days.first is None or days.last is None:
            return ref, ref
        end = max(days.last, days.first)
        return max(days.first, end - timedelta(days=MAX_DAYS - 1)), end
    raise InvalidInput(
        f"unknown period {preset!r}; use one of {', '.join(PRESETS)} or custom",
        details={"field": "preset"},
    )


def comparison_period(start: date, end: date, kind: str) -> tuple[date, date]:
    """The days ``start``–``end`` are compared with: ``previous`` — as many days just
    before; ``year`` — the same days a year before (29 February becomes 28 February)."""
    scope = ReportScope(start=start, end=end)
    if kind == "previous":
        other = scope.previous()
    elif kind == "year":
        other = scope.year_before()
    else:
        raise InvalidInput(
            f"compare must be one of {', '.join(COMPARISONS)} or none", details={"field": "compare"}
        )
    return other.start, other.end


def days_with_data(start: date, end: date, days: DataDays) -> int:
    """How many days of ``start``–``end`` lie within the data's first and last day."""
    if days.first is None or days.last is None:
        return 0
    lo, hi = max(start, days.first), min(end, days.last)
    return max((hi - lo).days + 1, 0)
