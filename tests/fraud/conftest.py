"""Constructed click streams: ordinary shoppers, and one of each kind of invalid click."""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd
import pytest

from tradewinds.fraud import clicks

START = datetime(2026, 11, 2, 9, 0, 0)
CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
)


def ordinary(n: int = 40) -> list[dict[str, object]]:
    """People: one click each from home addresses, minutes apart, who read the page."""
    rows = []
    for i in range(n):
        rows.append(
            {
                "click_id": f"g-{i}",
                "click_time": (START + timedelta(minutes=7 * i, seconds=13 * i)).isoformat(),
                "ip": f"81.{100 + i % 50}.{i % 7}.{10 + i}",
                "user_agent": CHROME if i % 2 else SAFARI,
                "referrer": "https://www.google.com/",
                "country": "GB" if i % 3 else "DE",
                "campaign": "Shopping - gifts",
                "placement": "google.com",
                "network": "google",
                "conversion_time": (START + timedelta(minutes=7 * i + 9)).isoformat()
                if i % 5 == 0
                else "",
                "dwell_seconds": 30 + i,
                "scroll_depth": 0.6,
                "page_views": 2,
            }
        )
    return rows


def stream(extra: list[dict[str, object]]) -> clicks.ClickLog:
    rows = ordinary() + extra
    frame = pd.DataFrame(rows).astype("string")
    return clicks.clicks_from_frame(frame, source="stream.csv")


@pytest.fixture
def make_stream():
    return stream


def click(**changes: object) -> dict[str, object]:
    row = ordinary(1)[0] | {"click_id": "", "ip": "86.12.40.7", "conversion_time": ""}
    return row | changes


@pytest.fixture
def make_click():
    return click
