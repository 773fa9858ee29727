"""The EU OSS tracker (tradewinds.markets.tax.schemes.OssTracker)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from tradewinds.markets.tax.schemes import NoSchemeOnRecord, OssTracker


def test_crossing_10000_euros_in_a_year() -> None:
    tracker = OssTracker()
    tracker.add(date(2025, 3, 1), D("6000"))
    tracker.add(date(2025, 6, 1), D("3500"))
    june = tracker.status(date(2025, 6, 30))
    assert (june.total, june.threshold, june.currency) == (D(9500), D(10000), "EUR")
    assert june.share == D("0.9500") and june.nearly and not june.reached
    tracker.add(date(2025, 8, 1), D("600.00"))
    assert not tracker.status(date(2025, 7, 31)).reached  # the year to that day only
    august = tracker.status(date(2025, 8, 1))
    assert august.total == D("10100.00") and august.reached and not august.nearly
    assert august.destination_vat


def test_exactly_10000_has_not_exceeded_the_threshold() -> None:
    tracker = OssTracker()
    tracker.add(date(2025, 2, 1), D("10000"))
    status = tracker.status(date(2025, 2, 1))
    assert not status.reached and status.nearly and status.share == 1


def test_the_count_resets_on_1_january_but_last_year_still_counts() -> None:
    tracker = OssTracker()
    tracker.add(date(2025, 11, 1), D("12000"))
    new_year = tracker.status(date(2026, 1, 1))
    assert new_year.total == 0 and not new_year.reached and not new_year.nearly
    assert new_year.previous_year_total == D(12000) and new_year.destination_vat
    assert not tracker.status(date(2027, 1, 1)).destination_vat


def test_the_warning_share_is_configurable() -> None:
    tracker = OssTracker(nearly_at=D("0.5"))
    tracker.add(date(2025, 5, 1), D("5000"))
    assert tracker.status(date(2025, 5, 1)).nearly
    assert not OssTracker().status(date(2025, 5, 1)).nearly


def test_no_threshold_before_the_2021_package_and_no_negative_sales() -> None:
    with pytest.raises(NoSchemeOnRecord, match="EU OSS on 2021-06-30"):
        OssTracker().status(date(2021, 6, 30))
    with pytest.raises(ValueError):
        OssTracker().add(date(2025, 1, 1), D("-1"))
