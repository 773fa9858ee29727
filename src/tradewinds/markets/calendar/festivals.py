"""The festival data (``data/festivals.yaml``): its schema and its loader.

Each festival names the markets it applies to and one date rule; a festival whose rule
differs between markets (Mother's Day) is several entries sharing a key, with markets
that do not overlap. The loader checks that, and that every market named is listed in
``markets``.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

WEEKDAYS: tuple[str, ...] = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)
Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
Market = Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
MonthDay = Annotated[str, Field(pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_month_day(month: int, day: int) -> None:
    # 2001 is not a leap year: 29 February would be missing in most years
    date(2001, month, day)


class FixedRule(_Strict):
    """The same Gregorian day every year (11 November)."""

    type: Literal["fixed"]
    month: int = Field(ge=1, le=12)
    day: int = Field(ge=1, le=31)

    @model_validator(mode="after")
    def _real_day(self) -> FixedRule:
        _check_month_day(self.month, self.day)
        return self


class RangeRule(_Strict):
    """The same run of Gregorian days every year (``04-29`` to ``05-05``)."""

    type: Literal["fixed_range"]
    start: MonthDay
    end: MonthDay

    @model_validator(mode="after")
    def _ordered(self) -> RangeRule:
        for value in (self.start, self.end):
            _check_month_day(int(value[:2]), int(value[3:]))
        if self.end < self.start:
            raise ValueError(f"range {self.start}..{self.end} ends before it starts")
        return self


class NthWeekdayRule(_Strict):
    """The ``n``-th weekday of a month (``n = -1``: the last), moved by ``offset_days``
    (Black Friday: the 4th Thursday of November + 1). When the day falls on Easter +
    ``avoid_easter_offset`` (France's Mother's Day and Pentecost) it moves by
    ``avoid_shift_days``."""

    type: Literal["nth_weekday"]
    month: int = Field(ge=1, le=12)
    weekday: Weekday
    n: int = Field(ge=-1, le=5)
    offset_days: int = 0
    avoid_easter_offset: int | None = None
    avoid_shift_days: int = 7

    @field_validator("n")
    @classmethod
    def _not_zero(cls, value: int) -> int:
        if value == 0:
            raise ValueError("n counts from 1 (or -1 for the last)")
        return value


class EasterRule(_Strict):
    """Days from Western (Gregorian) Easter Sunday (UK Mothering Sunday: -21)."""

    type: Literal["easter"]
    offset_days: int


class HijriRule(_Strict):
    """A day of the Umm al-Qura Hijri calendar (``hijridate``); ``whole_month`` makes the
    event last to the month's end (Ramadan)."""

    type: Literal["hijri"]
    month: int = Field(ge=1, le=12)
    day: int = Field(ge=1, le=30)
    whole_month: bool = False


class HolidayRule(_Strict):
    """A lunisolar day taken from one country's public holidays in the ``holidays``
    package: the first day of the year whose English (en_US) name is ``name`` exactly."""

    type: Literal["holiday_of"]
    country: Market
    name: str = Field(min_length=1)
    subdiv: str | None = None


Rule = Annotated[
    FixedRule | RangeRule | NthWeekdayRule | EasterRule | HijriRule | HolidayRule,
    Field(discriminator="type"),
]


class Festival(_Strict):
    key: str = Field(pattern=r"^[a-z0-9_]+$")
    name: str = Field(min_length=1, description="English name")
    kind: Literal["festival", "season"]
    markets: list[Market] = Field(min_length=1)
    rule: Rule
    duration_days: int = Field(default=1, ge=1, le=366)
    lead_days: int = Field(ge=0, le=365)
    note: str | None = None
    source: str = Field(min_length=1, description="where the rule comes from, and why")
    # the market_calendar() argument that replaces the rule's dates when given
    override: Literal["prime_day"] | None = None
    override_note: str | None = Field(default=None, description="the note when overridden")

    @model_validator(mode="after")
    def _duration_fits_rule(self) -> Festival:
        spans = isinstance(self.rule, RangeRule) or (
            isinstance(self.rule, HijriRule) and self.rule.whole_month
        )
        if spans and self.duration_days != 1:
            raise ValueError(f"{self.key}: the rule sets the length; drop duration_days")
        if len(set(self.markets)) != len(self.markets):
            raise ValueError(f"{self.key}: a market is listed twice")
        return self


class HolidayLead(_Strict):
    """A lead time for a public holiday (public holidays have none unless listed here)."""

    name: str = Field(min_length=1, description="the holiday's en_US name in the package")
    markets: list[Market] = Field(min_length=1)
    lead_days: int = Field(ge=0, le=365)
    reason: str = Field(min_length=1)


class FestivalData(_Strict):
    version: Literal[1]
    markets: list[Market] = Field(min_length=1)
    aliases: dict[str, Market] = Field(default_factory=dict)
    # the note on a public holiday the holidays package marks "(estimated)"
    estimated_note: str | None = None
    holiday_leads: list[HolidayLead] = Field(default_factory=list)
    festivals: list[Festival] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> FestivalData:
        known = set(self.markets)
        if len(known) != len(self.markets):
            raise ValueError("markets: a market is listed twice")
        for alias, target in self.aliases.items():
            if target not in known:
                raise ValueError(f"alias {alias!r} points at {target!r}, not a listed market")
        seen: dict[tuple[str, str], int] = {}
        for index, festival in enumerate(self.festivals):
            unknown = sorted(set(festival.markets) - known)
            if unknown:
                raise ValueError(f"{festival.key}: markets {unknown} are not listed in markets")
            for market in festival.markets:
                if (festival.key, market) in seen:
                    raise ValueError(
                        f"{festival.key}: {market} appears in entries "
                        f"{seen[(festival.key, market)]} and {index}"
                    )
                seen[(festival.key, market)] = index
        for lead in self.holiday_leads:
            unknown = sorted(set(lead.markets) - known)
            if unknown:
                raise ValueError(f"holiday lead {lead.name!r}: markets {unknown} not listed")
        return self

    def for_market(self, market: str) -> list[Festival]:
        return [f for f in self.festivals if market in f.markets]

    def holiday_lead(self, market: str, english_name: str) -> int:
        for lead in self.holiday_leads:
            if market in lead.markets and lead.name == english_name:
                return lead.lead_days
        return 0


def parse_festival_data(text: str) -> FestivalData:
    return FestivalData.model_validate(yaml.safe_load(text))


@lru_cache(maxsize=1)
def festival_data() -> FestivalData:
    """The festival data shipped with Tradewinds, validated once per process."""
    text = (
        resources.files("tradewinds.markets.calendar")
        .joinpath("data/festivals.yaml")
        .read_text(encoding="utf-8")
    )
    return parse_festival_data(text)
