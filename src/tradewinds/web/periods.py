"""The date-range control of the pages that report on a period (Overview, Attribution,
Customers): the query string's ``preset`` / ``from`` / ``to`` / ``compare`` turned into the
period shown and the one it is compared with, and what the control and titles show.

The URL holds the state: ``?preset=last_7_days&compare=year`` or
``?preset=custom&from=2011-11-01&to=2011-11-30``. A preset other than ``custom`` wins over
``from``/``to``; ``from``/``to`` without a preset are a custom period; nothing at all is the
default (``periods.DEFAULT_PRESET``). Presets count back from the workspace's reference day
(``analytics/periods.py``). A route that uses a period passes ``period=`` to its template;
the frame (``base.html``) shows the control only then.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from babel.dates import format_interval

from tradewinds.analytics import periods
from tradewinds.analytics.filters import MAX_DAYS, parse_date
from tradewinds.analytics.periods import DataDays
from tradewinds.errors import InvalidInput
from tradewinds.web import numbers
from tradewinds.web.i18n import N_
from tradewinds.web.i18n import gettext as _

if TYPE_CHECKING:
    from tradewinds.warehouse.backend import Warehouse

#: the control's words for each preset (translated in the template)
PRESET_LABELS = {
    "today": N_("Today"),
    "yesterday": N_("Yesterday"),
    "last_7_days": N_("Last 7 days"),
    "last_30_days": N_("Last 30 days"),
    "last_90_days": N_("Last 90 days"),
    "this_month": N_("This month"),
    "last_month": N_("Last month"),
    "quarter_to_date": N_("Quarter to date"),
    "year_to_date": N_("Year to date"),
    "all_time": N_("All time"),
    "custom": N_("Custom"),
}
COMPARE_LABELS = {
    "": N_("No comparison"),
    "previous": N_("Previous period"),
    "year": N_("Same period last year"),
}
#: the query parameters the control owns; a page's others are kept as hidden fields
OWN = ("preset", "from", "to", "compare")


@dataclass(frozen=True)
class Period:
    """The period a page shows, the one it is compared with (``compare`` "" for none) and
    the data's days (``days``) they were resolved from."""

    start: date
    end: date
    preset: str
    compare: str
    days: DataDays
    compare_start: date | None = None
    compare_end: date | None = None

    #: what the control offers (``_period.html``)
    presets: ClassVar[dict[str, str]] = PRESET_LABELS
    comparisons: ClassVar[dict[str, str]] = COMPARE_LABELS
    own: ClassVar[tuple[str, ...]] = OWN

    @property
    def length(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def words(self) -> str:
        """The period as people read it in the page's language (``10 Nov – 9 Dec 2011``)."""
        return words(self.start, self.end)

    @property
    def compare_words(self) -> str:
        if self.compare_start is None or self.compare_end is None:
            return ""
        return words(self.compare_start, self.compare_end)

    @property
    def compare_days_with_data(self) -> int:
        if self.compare_start is None or self.compare_end is None:
            return 0
        return periods.days_with_data(self.compare_start, self.compare_end, self.days)

    @property
    def compare_empty(self) -> bool:
        """A comparison was asked for and its days hold no orders or ad spend at all."""
        return bool(self.compare) and self.compare_days_with_data == 0

    @property
    def compare_partial(self) -> bool:
        """Only part of the comparison period holds data (it starts before the first day
        with data, or ends after the last): its figures cover fewer days."""
        if not self.compare or self.compare_empty or self.compare_start is None:
            return False
        assert self.compare_end is not None
        return self.compare_days_with_data < (self.compare_end - self.compare_start).days + 1

    def query(self) -> dict[str, str]:
        """The query parameters that give this period and comparison again."""
        out = {"preset": self.preset}
        if self.preset == "custom":
            out.update({"from": self.start.isoformat(), "to": self.end.isoformat()})
        if self.compare:
            out["compare"] = self.compare
        return out

    def query_string(self, **others: str) -> str:
        return urlencode({**self.query(), **{k: v for k, v in others.items() if v}})


def words(start: date, end: date) -> str:
    """``10 Nov – 9 Dec 2011`` (``2011年11月10日至12月9日``) in the page's language (Babel)."""
    return format_interval(start, end, "yMMMd", locale=numbers.current_locale())


def _one(query: Mapping[str, Any], name: str) -> str:
    value = query.get(name)
    if isinstance(value, list | tuple):
        value = value[-1] if value else ""
    return str(value or "").strip()


def read(query: Mapping[str, Any], *, days: DataDays, default_compare: str = "") -> Period:
    """The period and comparison a page's query string asks for; InvalidInput naming the
    field (``preset``, ``from``, ``to``, ``compare``) when it cannot be read."""
    preset = _one(query, "preset")
    start = parse_date(_one(query, "from"), name="from")
    end = parse_date(_one(query, "to"), name="to")
    if preset and preset != "custom":
        start, end = periods.resolve(preset, days)
    elif preset == "custom" or start or end:
        preset = "custom"
        end = end or days.reference
        start = start or periods.last_days(end, periods.DEFAULT_DAYS)[0]
        if start > end:
            raise InvalidInput(
                _("from (%(start)s) is after to (%(end)s)", start=start, end=end),
                details={"field": "from"},
            )
        if (end - start).days + 1 > MAX_DAYS:
            raise InvalidInput(
                _("a period may cover at most %(days)s days", days=numbers.number(MAX_DAYS)),
                details={"field": "from"},
            )
    else:
        preset = periods.DEFAULT_PRESET
        start, end = periods.resolve(preset, days)
    assert start is not None and end is not None
    compare = _one(query, "compare") if "compare" in query else default_compare
    if compare == "none":
        compare = ""
    if compare not in ("", *periods.COMPARISONS):
        raise InvalidInput(
            _("compare must be previous, year or none, not %(value)r", value=compare),
            details={"field": "compare"},
        )
    before = periods.comparison_period(start, end, compare) if compare else (None, None)
    return Period(
        start=start,
        end=end,
        preset=preset,
        compare=compare,
        days=days,
        compare_start=before[0],
        compare_end=before[1],
    )


def data_days(warehouse: Warehouse, timezone: str) -> DataDays:
    """The workspace's data days (``service.data_days``), kept while orders and ad spend
    are unchanged (``analytics/versioned.py``)."""
    from tradewinds.analytics import service
    from tradewinds.analytics.versioned import cached

    today = datetime.now(ZoneInfo(timezone)).date()
    return cached(
        warehouse,
        ("orders", "ad_spend_daily"),
        ("data_days", timezone, today),
        lambda: service.data_days(warehouse=warehouse, timezone=timezone),
    )


def from_request(
    request: Any, warehouse: Warehouse, timezone: str, *, default_compare: str = ""
) -> Period:
    """:func:`read` on a request's query string, with the workspace's data days."""
    query = {k: request.query_params.getlist(k) for k in request.query_params}
    return read(query, days=data_days(warehouse, timezone), default_compare=default_compare)


def change(value: float | None, *, lower_is_better: bool = False) -> dict[str, str] | None:
    """A change (0.1 = +10 %) as the tiles show it, and whether it is better or worse."""
    if value is None:
        return None
    up = value > 0
    better = (not up) if lower_is_better else up
    return {
        "text": f"{'+' if up else ''}{numbers.percent(value)}",
        "cls": "better" if better else "worse" if value != 0 else "",
    }


def no_data_text(period: Period) -> str:
    """What replaces the change of every figure when the comparison period is empty."""
    return _("no data in the comparison period (%(days)s)", days=period.compare_words)
