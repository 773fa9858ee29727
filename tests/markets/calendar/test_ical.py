"""The iCalendar export."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import icalendar
import pytest

from tradewinds.markets.calendar import CalendarEvent, market_calendar, to_ics

GENERATED = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def _parse(data: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(data)


@pytest.mark.parametrize("market", ["SA", "CN", "US", "GB"])
def test_round_trip(market: str) -> None:
    events = market_calendar(market, 2026) + market_calendar(market, 2027)
    calendar = _parse(to_ics(events, calendar_name=f"{market} 2026-27", generated_at=GENERATED))
    assert str(calendar["prodid"]) == "-//Tradewinds//Market calendar//EN"
    assert str(calendar["version"]) == "2.0"
    assert str(calendar["x-wr-calname"]) == f"{market} 2026-27"
    vevents = calendar.walk("VEVENT")
    assert len(vevents) == len(events)
    uids = [str(v["uid"]) for v in vevents]
    assert len(set(uids)) == len(uids)
    assert all(uid.endswith("@tradewinds") for uid in uids)
    parsed = sorted(
        (v.decoded("dtstart"), v.decoded("dtend") - timedelta(days=1), str(v["summary"]))
        for v in vevents
    )
    assert parsed == sorted((e.start, e.end, e.name) for e in events)
    for vevent in vevents:
        start = vevent.decoded("dtstart")
        assert type(start) is date  # all-day
        assert vevent.decoded("dtstamp") == GENERATED
        assert [str(c) for c in vevent["categories"].cats] in (
            ["public_holiday"],
            ["festival"],
            ["season"],
        )


def test_alarms_and_descriptions() -> None:
    events = market_calendar("SA", 2026)
    vevents = {
        str(v["uid"]): v
        for v in _parse(to_ics(events, calendar_name="SA", generated_at=GENERATED)).walk("VEVENT")
    }
    ramadan = vevents["ramadan:SA:2026@tradewinds"]
    [alarm] = ramadan.walk("VALARM")
    assert str(alarm["action"]) == "DISPLAY"
    assert alarm.decoded("trigger") == timedelta(days=-21)
    assert "-P21D" in alarm.to_ical().decode()
    description = str(ramadan["description"])
    assert "Start ads 21 days before." in description
    assert "Date depends on the moon sighting and may move by a day." in description
    holiday = vevents["holiday:SA:2026-03-19@tradewinds"]
    assert holiday.walk("VALARM") == []
    assert "عطلة عيد الفطر" in str(holiday["description"])
    with_lead = sum(1 for e in events if e.lead_days > 0)
    assert sum(1 for v in vevents.values() if v.walk("VALARM")) == with_lead


def test_byte_identical_on_two_calls() -> None:
    events = market_calendar("DE", 2026)
    first = to_ics(events, calendar_name="DE", generated_at=GENERATED)
    assert first == to_ics(list(events), calendar_name="DE", generated_at=GENERATED)
    # the order of the events passed in does not matter either
    assert first == to_ics(reversed(events), calendar_name="DE", generated_at=GENERATED)
    later = to_ics(events, calendar_name="DE", generated_at=GENERATED + timedelta(days=1))
    assert first != later


def test_generated_at_is_written_in_utc() -> None:
    tokyo = timezone(timedelta(hours=9))
    local = datetime(2026, 1, 2, 12, 4, 5, tzinfo=tokyo)
    data = to_ics(market_calendar("JP", 2026), calendar_name="JP", generated_at=local)
    assert b"DTSTAMP:20260102T030405Z" in data
    with pytest.raises(ValueError, match="timezone"):
        to_ics([], calendar_name="x", generated_at=datetime(2026, 1, 1))


def test_two_occurrences_in_one_year_get_distinct_uids() -> None:
    ramadans = [e for e in market_calendar("SA", 2030) if e.key == "ramadan"]
    vevents = _parse(to_ics(ramadans, calendar_name="SA", generated_at=GENERATED)).walk("VEVENT")
    assert sorted(str(v["uid"]) for v in vevents) == [
        "ramadan:SA:2030:2@tradewinds",
        "ramadan:SA:2030@tradewinds",
    ]
    december = next(v for v in vevents if v.decoded("dtstart") == date(2030, 12, 26))
    assert december.decoded("dtend") == date(2031, 1, 24)  # exclusive end


def test_markets_do_not_collide() -> None:
    events = market_calendar("GB", 2026) + market_calendar("DE", 2026)
    vevents = _parse(to_ics(events, calendar_name="EU", generated_at=GENERATED)).walk("VEVENT")
    uids = [str(v["uid"]) for v in vevents]
    assert len(set(uids)) == len(uids) == len(events)


def test_one_day_lead_and_empty_calendar() -> None:
    event = CalendarEvent(
        name="Test day",
        key="test_day",
        start=date(2026, 5, 1),
        end=date(2026, 5, 1),
        kind="festival",
        market="US",
        lead_days=1,
    )
    [vevent] = _parse(to_ics([event], calendar_name="x", generated_at=GENERATED)).walk("VEVENT")
    assert str(vevent["description"]) == "Start ads 1 day before."
    assert _parse(to_ics([], calendar_name="x", generated_at=GENERATED)).walk("VEVENT") == []
