"""One entry of a market calendar: a public holiday, a shopping festival or a season."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

EventKind = Literal["public_holiday", "festival", "season"]
KINDS: frozenset[str] = frozenset({"public_holiday", "festival", "season"})


@dataclass(frozen=True, slots=True)
class CalendarEvent:
    """A day or a run of days in one market (``start`` and ``end`` inclusive).

    ``key`` is stable across years: the festival's key from ``data/festivals.yaml``
    (``singles_day``), or ``holiday:<market>:<first day>`` for a public holiday.
    ``lead_days`` is how many days before ``start`` the ads should begin.
    """

    name: str
    key: str
    start: date
    end: date
    kind: str
    market: str
    lead_days: int = 0
    note: str | None = None
    local_name: str | None = None

    @property
    def ads_start(self) -> date:
        """The day the ads for this event should begin."""
        return self.start - timedelta(days=self.lead_days)
