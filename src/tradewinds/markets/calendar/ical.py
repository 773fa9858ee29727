"""Calendar events as an iCalendar (RFC 5545) file, for Google Calendar, Outlook, Apple
Calendar: one all-day VEVENT per event, with an alarm on the day the ads should start.

The output is byte-for-byte the same for the same events and ``generated_at`` (DTSTAMP),
so a subscribed feed only changes when the calendar does. UIDs are built from the key,
the market and the year (``lunar_new_year:CN:2026@tradewinds``; a public holiday's key
already holds both), not from the dates, so a lunar date corrected in a later release of
the data updates the same event in the subscriber's calendar.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from icalendar import Alarm, Calendar, Event

from tradewinds.markets.calendar.models import CalendarEvent

PRODID = "-//Tradewinds//Market calendar//EN"


def _uids(events: list[CalendarEvent]) -> list[str]:
    """One UID per event; the second Ramadan of 2030 gets ``ramadan:SA:2030:2``."""
    seen: dict[str, int] = {}
    out: list[str] = []
    for event in events:
        if event.kind == "public_holiday":
            base = event.key
        else:
            base = f"{event.key}:{event.market}:{event.start.year}"
        seen[base] = seen.get(base, 0) + 1
        out.append(f"{base}:{seen[base]}" if seen[base] > 1 else base)
    return [f"{uid}@tradewinds" for uid in out]


def _description(event: CalendarEvent) -> str:
    lines: list[str] = []
    if event.local_name and event.local_name != event.name:
        lines.append(event.local_name)
    if event.lead_days > 0:
        unit = "day" if event.lead_days == 1 else "days"
        lines.append(f"Start ads {event.lead_days} {unit} before.")
    if event.note:
        lines.append(event.note)
    return "\n".join(lines)


def to_ics(
    events: Iterable[CalendarEvent],
    *,
    calendar_name: str,
    generated_at: datetime | None = None,
) -> bytes:
    """The events as an ``.ics`` file. ``generated_at`` (timezone-aware; default now) is
    every event's DTSTAMP: pass it for output that is the same on every call."""
    stamp = generated_at if generated_at is not None else datetime.now(UTC)
    if stamp.tzinfo is None:
        raise ValueError("generated_at must be timezone-aware (e.g. datetime.now(UTC))")
    stamp = stamp.astimezone(UTC).replace(microsecond=0)
    # same-start events in a stable order, so the ordinal of a repeated UID is too
    ordered = sorted(events, key=lambda e: (e.start, e.market, e.kind, e.key, e.name, e.end))
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", calendar_name)
    for event, uid in zip(ordered, _uids(ordered), strict=True):
        entry = Event()
        entry.add("uid", uid)
        entry.add("dtstamp", stamp)
        entry.add("dtstart", event.start)
        entry.add("dtend", event.end + timedelta(days=1))  # exclusive, as RFC 5545 wants
        entry.add("summary", event.name)
        entry.add("categories", [event.kind])
        entry.add("transp", "TRANSPARENT")  # a festival does not make anyone busy
        description = _description(event)
        if description:
            entry.add("description", description)
        if event.lead_days > 0:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("trigger", timedelta(days=-event.lead_days))
            alarm.add("description", f"Start ads for {event.name}")
            entry.add_component(alarm)
        calendar.add_component(entry)
    return calendar.to_ical()
