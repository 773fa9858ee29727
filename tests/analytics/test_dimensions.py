"""Local times in SQL: the cheap per-offset shift equals AT TIME ZONE and Python's zoneinfo,
across daylight-saving changes (DuckDB and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.analytics.fixtures import order
from tradewinds.analytics.dimensions import local_time, offset_segments


def test_offset_segments_find_each_change_to_the_second() -> None:
    assert offset_segments("Europe/London", datetime(2023, 1, 1), datetime(2024, 1, 1)) == [
        (datetime(2023, 3, 26, 1, 0), 0),
        (datetime(2023, 10, 29, 1, 0), 3600),
        (datetime(2024, 1, 1), 0),
    ]
    assert offset_segments("Asia/Tokyo", datetime(2023, 1, 1), datetime(2023, 2, 1)) == [
        (datetime(2023, 2, 1), 9 * 3600)
    ]


@pytest.mark.parametrize(
    "zone", ["Europe/London", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata"]
)
def test_shifted_local_time_equals_at_time_zone(warehouse, zone: str) -> None:
    edges = [
        datetime(2024, 3, 31, 1),
        datetime(2024, 10, 27, 1),
        datetime(2024, 3, 10, 7),
        datetime(2024, 11, 3, 6),
        datetime(2024, 4, 6, 15),
        datetime(2024, 10, 5, 15, 30),
    ]
    times = sorted(
        {e + timedelta(seconds=s) for e in edges for s in (-61, -1, 0, 1, 3600)}
        | {datetime(2023, 12, 31, 23, 59), datetime(2025, 6, 1, 12)}
    )
    warehouse.load("orders", [order(str(i), "c", "2024-01-01", "1") for i in range(len(times))])
    for i, t in enumerate(times):
        warehouse.execute(
            "UPDATE orders SET ordered_at = $t WHERE order_id = $i", {"t": t, "i": str(i)}
        )
    window = (datetime(2024, 1, 1), datetime(2025, 1, 1))  # one time before, one after it
    rows = warehouse.query(
        f"SELECT ordered_at, {local_time('ordered_at', zone, window)}, "
        f"{local_time('ordered_at', zone)} FROM orders ORDER BY ordered_at"
    ).rows
    assert len(rows) == len(times)
    for stored, shifted, exact in rows:
        utc = stored.astimezone(UTC) if stored.tzinfo else stored.replace(tzinfo=UTC)
        expected = utc.astimezone(ZoneInfo(zone)).replace(tzinfo=None)
        assert _naive(shifted) == _naive(exact) == expected, stored


def _naive(value: datetime) -> datetime:
    return value.replace(tzinfo=None) if value.tzinfo else value
