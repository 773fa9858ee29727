"""What a report covers: a date range, filters and how rows are grouped.

Pure: parsing query-string values and naming countries. Dimensions are read differently
from each source table (see ``dimensions.py``); this module only validates names and values.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tradewinds.errors import InvalidInput
from tradewinds.i18n_markers import N_

DIMENSIONS = (
    "channel",
    "campaign",
    "country",
    "customer_country",
    "ad_country",
    "storefront",
    "device",
)
TIME_GRAINS = ("day", "week", "month")
FILTER_NAMES = DIMENSIONS
MAX_DAYS = 3660

# names some exports use that are not ISO 3166 English names
COUNTRY_ALIASES = {
    "EIRE": "Ireland",
    "USA": "United States",
    "RSA": "South Africa",
    "UK": "United Kingdom",
}


@dataclass(frozen=True)
class ReportScope:
    """A date range (inclusive days in ``timezone``, the workspace's), filters (dimension ->
    allowed values) and grouping. Stored timestamps are UTC; days, weeks and months of
    orders and events are read in ``timezone``. Ad spend rows are already per day."""

    start: date
    end: date
    filters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    group_by: tuple[str, ...] = ()
    timezone: str = "UTC"
    #: several groupings answered by one query each side (each a subset of ``group_by``,
    #: ``()`` for the whole range); empty: the one grouping ``group_by``
    grouping_sets: tuple[tuple[str, ...], ...] = ()

    def utc_start(self, day: date | None = None) -> datetime:
        """Midnight at the start of ``day`` (default: the first day) in ``timezone``, as the
        naive UTC timestamp the warehouse stores."""
        local = datetime.combine(day or self.start, time.min, tzinfo=ZoneInfo(self.timezone))
        return local.astimezone(UTC).replace(tzinfo=None)

    def utc_end(self) -> datetime:
        """The first instant after the range (midnight after the last day), naive UTC."""
        return self.utc_start(self.end + timedelta(days=1))

    @property
    def window(self) -> tuple[datetime, datetime]:
        """The range as naive UTC [start, end) timestamps."""
        return self.utc_start(), self.utc_end()

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> ReportScope:
        """The period of the same length that ends the day before this one starts."""
        length = timedelta(days=self.days)
        return replace(self, start=self.start - length, end=self.end - length)

    def year_before(self) -> ReportScope:
        """The same days one year earlier (29 February becomes 28 February)."""
        return replace(self, start=_year_before(self.start), end=_year_before(self.end))

    def filter_values(self, name: str) -> tuple[str, ...]:
        return tuple(self.filters.get(name, ()))


def _year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def parse_date(value: str | None, *, name: str) -> date | None:
    if value is None or value == "":
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(
            f"{name}: {value!r} is not a date; write it as YYYY-MM-DD", details={"field": name}
        ) from None


def split_list(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """``"a,b"`` or ``["a", "b,c"]`` -> ``("a", "b", "c")``, blanks dropped, order kept."""
    if value is None:
        return ()
    items = [value] if isinstance(value, str) else list(value)
    out: list[str] = []
    for item in items:
        for part in str(item).split(","):
            part = part.strip()
            if part and part not in out:
                out.append(part)
    return tuple(out)


def make_scope(
    *,
    start: date | None,
    end: date | None,
    default_end: date,
    default_days: int = 30,
    filters: Mapping[str, str | Iterable[str] | None] | None = None,
    group_by: str | Iterable[str] | None = None,
    timezone: str = "UTC",
) -> ReportScope:
    """Validate a report's range, filters and grouping (errors name the field)."""
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(
            f"unknown time zone {timezone!r}", details={"field": "timezone"}
        ) from None
    end = end or default_end
    start = start or end - timedelta(days=default_days - 1)
    if start > end:
        raise InvalidInput("from must be on or before to", details={"field": "from"})
    if (end - start).days + 1 > MAX_DAYS:
        raise InvalidInput(
            f"the range may cover at most {MAX_DAYS} days", details={"field": "from"}
        )
    clean: dict[str, tuple[str, ...]] = {}
    for name, value in (filters or {}).items():
        if name not in FILTER_NAMES:
            raise InvalidInput(
                f"unknown filter {name!r}; use one of {', '.join(FILTER_NAMES)}",
                details={"field": name},
            )
        values = split_list(value)
        if values:
            clean[name] = values
    groups = split_list(group_by)
    for name in groups:
        if name not in DIMENSIONS + TIME_GRAINS:
            raise InvalidInput(
                f"cannot group by {name!r}; use {', '.join(DIMENSIONS + TIME_GRAINS)}",
                details={"field": "group_by"},
            )
    if sum(g in TIME_GRAINS for g in groups) > 1:
        raise InvalidInput(
            "group by at most one of day, week, month", details={"field": "group_by"}
        )
    return ReportScope(start=start, end=end, filters=clean, group_by=groups, timezone=timezone)


@lru_cache(maxsize=1)
def _territories() -> dict[str, str]:
    from babel import Locale

    names = dict(Locale("en").territories)
    return {code: name for code, name in names.items() if len(code) == 2 and code.isalpha()}


def country_name(value: object) -> str:
    """A country as people read it: ISO codes and export aliases become English names."""
    if value is None:
        return N_("(unknown)")
    text = str(value).strip()
    if not text:
        return N_("(not split)")
    if len(text) == 2 and text.upper() in _territories():
        return _territories()[text.upper()]
    return COUNTRY_ALIASES.get(text.upper(), text)


def country_values(names: Iterable[str]) -> tuple[str, ...]:
    """Every stored spelling that reads as one of ``names`` (``France`` -> ``FR``, ``France``)."""
    wanted = {country_name(n) for n in names}
    out = set(names) | wanted
    out |= {code for code, name in _territories().items() if name in wanted}
    out |= {alias for alias, name in COUNTRY_ALIASES.items() if name in wanted}
    return tuple(sorted(out))


def scope_from_query(
    query: Mapping[str, str | Iterable[str] | None],
    *,
    default_end: date,
    default_days: int = 30,
    group_by: str | None = None,
    timezone: str = "UTC",
) -> ReportScope:
    """A scope from query-string values: ``from``, ``to``, ``group_by`` and one per filter;
    days are ``timezone``'s (the workspace's)."""
    return make_scope(
        start=parse_date(_one(query.get("from")), name="from"),
        end=parse_date(_one(query.get("to")), name="to"),
        default_end=default_end,
        default_days=default_days,
        filters={n: query.get(n) for n in FILTER_NAMES if query.get(n)},
        group_by=group_by if group_by is not None else _one(query.get("group_by")),
        timezone=timezone,
    )


def _one(value: str | Iterable[str] | None) -> str | None:
    if value is None or isinstance(value, str):
        return value
    items = list(value)
    return ",".join(items) if items else None
