"""The visit rollup answers exactly what the events answer, and is never read stale."""

from __future__ import annotations

import random
import re
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from tradewinds.analytics import visit_rollup
from tradewinds.analytics.filters import make_scope
from tradewinds.analytics.funnels import STEPS, funnel, funnel_sql
from tradewinds.analytics.kpis import events_sql, visits_sql
from tradewinds.analytics.service import metrics_report
from tradewinds.warehouse.writes import writes, written_table

COUNTRIES = ("FR", "DE", "GB", None)
SOURCES = (("google", "cpc"), ("facebook", "paid_social"), ("newsletter", "email"), (None, None))


def _events(seed: int, n: int = 500, *, first: int = 0) -> list[dict]:
    rnd = random.Random(seed)
    out = []
    for i in range(first, first + n):
        source, medium = rnd.choice(SOURCES)
        context: dict = {
            "location": {"country": rnd.choice(COUNTRIES)},
            "device": {"type": rnd.choice(["mobile", "desktop"])},
        }
        if source:
            context["campaign"] = {"source": source, "medium": medium, "name": "spring"}
        who = rnd.choice([f"v{rnd.randrange(40)}", None])
        out.append(
            {
                "message_id": f"{seed}-{i}",
                "type": rnd.choice(["track", "track", "page"]),
                "event": rnd.choice([*STEPS, "Signed Up", None]),
                "anonymous_id": who,
                "user_id": None if who else rnd.choice([f"u{rnd.randrange(5)}", None]),
                # any second of 60 days: events on the minute before and after midnight too
                "timestamp": datetime(2024, 3, 1) + timedelta(seconds=rnd.randrange(60 * 86400)),
                "context": context,
            }
        )
    return out


def _rows(warehouse, sql: str, params: dict) -> list[tuple]:
    used = {k: v for k, v in params.items() if re.search(rf"\${k}\b", sql)}
    return sorted(tuple(str(v) for v in r) for r in warehouse.query(sql, used).rows)


def _scopes(seed: int, timezone: str):
    rnd = random.Random(seed)
    for _ in range(5):
        start = date(2024, 2, 25) + timedelta(days=rnd.randrange(60))
        end = start + timedelta(days=rnd.randrange(40))
        yield make_scope(start=start, end=end, default_end=end, timezone=timezone)


@pytest.mark.parametrize(
    ("seed", "timezone"),
    [(1, "UTC"), (2, "Europe/London"), (3, "Asia/Kathmandu"), (4, "America/St_Johns")],
)
def test_rollup_equals_the_events(duckdb_warehouse, seed: int, timezone: str) -> None:
    """Funnel and visitor counts from the rollup equal those from the events, for ranges
    across a change of clocks, in zones a quarter or half an hour off UTC, grouped and
    filtered."""
    wh = duckdb_warehouse
    wh.load("events", _events(seed))
    assert visit_rollup.ensure(wh)
    for scope in _scopes(seed, timezone):
        assert visit_rollup.usable(wh, scope.window, timezone)
        for group_by, filters in (
            ((), {}),
            (("channel",), {}),
            (("country", "device"), {}),
            (("channel",), {"country": ("France", "Germany")}),
        ):
            s = replace(scope, group_by=group_by, filters=filters)
            live = _rows(wh, *funnel_sql(s, one_parse=True))
            rolled = _rows(wh, *funnel_sql(s, rollup=True))
            assert rolled == live, (scope.start, scope.end, group_by, filters)
        for group_by in ((), ("day",), ("week",), ("channel", "month"), ("campaign",)):
            s = replace(scope, group_by=group_by)
            assert _rows(wh, *visits_sql(s)) == _rows(wh, *events_sql(s)), (s, group_by)


def _visitors_by_hand(events: list[dict], start: datetime, end: datetime) -> int:
    return len(
        {
            e["anonymous_id"] or e["user_id"]
            for e in events
            if start <= e["timestamp"] < end and (e["anonymous_id"] or e["user_id"])
        }
    )


def _viewers_by_hand(events: list[dict], start: datetime, end: datetime) -> int:
    return len(
        {
            e["anonymous_id"] or e["user_id"]
            for e in events
            if start <= e["timestamp"] < end and e["event"] == STEPS[0]
        }
    )


def test_reports_stay_exact_after_new_rows_are_imported(warehouse) -> None:
    """On both warehouses the figures equal a count by hand; after an import the stale
    rollup is not read (the events are), and once rebuilt it is read again."""
    events = _events(7, 300)
    warehouse.load("events", events)
    visit_rollup.ensure(warehouse)  # builds on DuckDB, nothing to do on PostgreSQL
    scope = make_scope(start=date(2024, 3, 1), end=date(2024, 4, 29), default_end=date(2024, 4, 29))
    start, end = scope.window

    def figures() -> tuple[int | None, int]:
        visitors = metrics_report(
            warehouse=warehouse, currency="GBP", scope=scope, metrics=("visitors",)
        ).rows[0]["visitors"]
        _, total = funnel(warehouse=warehouse, scope=scope)
        return visitors, total.reached[0]

    duck = warehouse.dialect == "duckdb"
    assert visit_rollup.usable(warehouse, scope.window, "UTC") is duck
    assert figures() == (
        _visitors_by_hand(events, start, end),
        _viewers_by_hand(events, start, end),
    )
    more = _events(8, 200, first=1000)
    warehouse.load("events", more)
    assert not visit_rollup.usable(warehouse, scope.window, "UTC")  # stale: events read
    assert figures() == (
        _visitors_by_hand(events + more, start, end),
        _viewers_by_hand(events + more, start, end),
    )
    visit_rollup.ensure(warehouse)
    assert visit_rollup.usable(warehouse, scope.window, "UTC") is duck
    assert figures() == (
        _visitors_by_hand(events + more, start, end),
        _viewers_by_hand(events + more, start, end),
    )


def test_every_kind_of_write_makes_the_rollup_stale(duckdb_warehouse) -> None:
    wh = duckdb_warehouse
    wh.load("events", _events(9, 50))
    assert visit_rollup.ensure(wh) and visit_rollup.fresh(wh)
    changed = _events(9, 1)
    changed[0]["context"] = {"campaign": {"source": "tiktok", "medium": "cpc"}}
    wh.load("events", changed)  # the same event, changed in place: the row count stays
    assert not visit_rollup.fresh(wh)
    visit_rollup.ensure(wh)
    wh.load("events", changed)  # the same again: nothing written, nothing to rebuild
    assert visit_rollup.fresh(wh)
    wh.execute("UPDATE events SET event = 'Product Added' WHERE message_id = '9-3'")
    assert not visit_rollup.fresh(wh)
    visit_rollup.ensure(wh)
    wh.delete_where("events", "message_id", ["9-4"])
    assert not visit_rollup.fresh(wh)
    visit_rollup.ensure(wh)
    before = writes(wh, "events")
    wh.execute("DELETE FROM events WHERE message_id = 'none such'")
    assert writes(wh, "events") == before + 1  # counted even when no row matched


def test_written_table_names_the_table_a_statement_changes() -> None:
    assert written_table("INSERT INTO events SELECT 1") == "events"
    assert written_table('  insert or replace into "orders" VALUES (1)') == "orders"
    assert written_table("UPDATE main.orders SET total = 1") == "orders"
    assert written_table("DELETE FROM touchpoints") == "touchpoints"
    assert written_table("TRUNCATE TABLE events") == "events"
    assert written_table("SELECT * FROM events") is None
    assert written_table("CREATE TABLE x AS SELECT 1") is None


def test_ranges_off_the_quarter_hour_read_the_events() -> None:
    day = (datetime(2024, 3, 1), datetime(2024, 3, 2))
    assert visit_rollup.aligned(day, "UTC")
    assert visit_rollup.aligned(
        (datetime(2024, 3, 1, 18, 15), datetime(2024, 3, 2, 18, 15)), "Asia/Kathmandu"
    )
    assert not visit_rollup.aligned((datetime(2024, 3, 1, 0, 5), day[1]), "UTC")
    # Liberia kept UTC-0:44:30 until 1972: its local days do not start on quarter hours
    assert not visit_rollup.aligned((datetime(1971, 3, 1), datetime(1971, 4, 1)), "Africa/Monrovia")


def _visits(seed: int, n: int = 120) -> list[dict]:
    """Bursts of events as storefronts send them: gaps of up to 40 minutes (some over the
    session gap), events at the same instant with different fields, a session id sent by
    some storefronts (and changed mid-visit by a few), visits around midnight and the
    change of clocks."""
    rnd = random.Random(seed)
    out = []
    for visit in range(n):
        who = rnd.choice([f"v{rnd.randrange(30)}", None])
        user = None if who else rnd.choice([f"u{rnd.randrange(4)}", None])
        session = rnd.choice([None, None, f"s{rnd.randrange(20)}"])
        at = datetime(2024, 3, 1) + timedelta(seconds=rnd.randrange(60 * 86400))
        for i in range(rnd.randrange(1, 8)):
            at += timedelta(seconds=rnd.choice([0, 0, 60, 600, 1799, 1800, 1801, 2400]))
            if rnd.random() < 0.1:
                session = f"s{rnd.randrange(20)}"
            source, medium = rnd.choice(SOURCES)
            context: dict = {"location": {"country": rnd.choice(COUNTRIES)}}
            if source:
                context["campaign"] = {"source": source, "medium": medium, "name": "spring"}
            if session:
                context["sessionId"] = session
            out.append(
                {
                    "message_id": f"{seed}-{visit}-{i}",
                    "type": "track",
                    "event": rnd.choice(STEPS),
                    "anonymous_id": who,
                    "user_id": user,
                    "timestamp": at,
                    "context": context,
                }
            )
    return out


def _session_scopes(seed: int, timezone: str):
    rnd = random.Random(seed)
    for _ in range(6):
        start = date(2024, 3, 1) + timedelta(days=rnd.randrange(55))
        end = start + timedelta(days=rnd.randrange(10))
        yield make_scope(start=start, end=end, default_end=end, timezone=timezone)


@pytest.mark.parametrize(
    ("seed", "timezone"),
    [(11, "UTC"), (12, "Europe/London"), (13, "Asia/Kathmandu"), (14, "America/St_Johns")],
)
def test_session_starts_equal_the_events(duckdb_warehouse, seed: int, timezone: str) -> None:
    """Visitors and sessions from the rollups equal those from the events: sessions begun
    before the period are not counted in it, a changed session id starts a new one, and a
    session counts in the group of its first event."""
    wh = duckdb_warehouse
    wh.load("events", _visits(seed))
    assert visit_rollup.ensure(wh)
    for scope in _session_scopes(seed, timezone):
        assert visit_rollup.usable(wh, scope.window, timezone)
        for group_by, filters in (
            ((), {}),
            (("day",), {}),
            (("channel",), {}),
            (("country", "week"), {}),
            ((), {"country": ("France", "Germany")}),
            (("channel",), {"channel": ("google",)}),
        ):
            s = replace(scope, group_by=group_by, filters=filters)
            live = _rows(wh, *events_sql(s, sessions=True))
            rolled = _rows(wh, *visits_sql(s, sessions=True))
            assert rolled == live, (scope.start, scope.end, group_by, filters)


def _sessions_by_hand(events: list[dict], start: datetime, end: datetime) -> int:
    last: dict[str, datetime] = {}
    count = 0
    for e in sorted(events, key=lambda e: (e["timestamp"], e["message_id"])):
        sid = e["context"].get("sessionId") or e["anonymous_id"] or e["user_id"]
        if sid is None:
            continue
        before = last.get(sid)
        if (before is None or e["timestamp"] - before > timedelta(minutes=30)) and (
            start <= e["timestamp"] < end
        ):
            count += 1
        last[sid] = e["timestamp"]
    return count


def test_sessions_stay_exact_after_new_rows_are_imported(duckdb_warehouse) -> None:
    """The report's sessions equal a count by hand from the rollup, from the events while
    the rollup is out of date, and from the rollup again once rebuilt."""
    wh = duckdb_warehouse
    events = _visits(21)
    wh.load("events", events)
    visit_rollup.ensure(wh)
    scope = make_scope(
        start=date(2024, 3, 10), end=date(2024, 4, 20), default_end=date(2024, 4, 20)
    )
    start, end = scope.window

    def sessions() -> int:
        return metrics_report(
            warehouse=wh, currency="GBP", scope=scope, metrics=("sessions",)
        ).rows[0]["sessions"]

    assert visit_rollup.usable(wh, scope.window, "UTC")
    assert sessions() == _sessions_by_hand(events, start, end)
    more = _visits(22, 60)
    wh.load("events", more)
    assert not visit_rollup.usable(wh, scope.window, "UTC")
    assert sessions() == _sessions_by_hand(events + more, start, end)
    visit_rollup.ensure(wh)
    assert visit_rollup.usable(wh, scope.window, "UTC")
    assert sessions() == _sessions_by_hand(events + more, start, end)


def test_a_rollup_built_without_session_starts_is_out_of_date(duckdb_warehouse) -> None:
    wh = duckdb_warehouse
    wh.load("events", _visits(23, 10))
    assert visit_rollup.ensure(wh)
    wh.execute(f"DROP TABLE {visit_rollup.SESSIONS}")
    wh.execute(
        f"UPDATE {visit_rollup.STATE} SET fingerprint = replace(fingerprint, '|sessions', '') "
        "WHERE name = $name",
        {"name": visit_rollup.TABLE},
    )
    assert not visit_rollup.fresh(wh)
    assert visit_rollup.ensure(wh) and visit_rollup.fresh(wh)
    assert wh.query(f"SELECT SUM(sessions) FROM {visit_rollup.SESSIONS}").rows[0][0] > 0
