"""Fixtures of the tax tests: a converter with fixed test rates (no FX table, no network)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

#: units of each currency per euro (test rates, not market rates)
PER_EUR = {
    "EUR": Decimal("1"),
    "USD": Decimal("1.10"),
    "GBP": Decimal("0.85"),
    "AUD": Decimal("1.65"),
    "NZD": Decimal("1.80"),
    "NOK": Decimal("11.50"),
    "SGD": Decimal("1.45"),
    "CHF": Decimal("0.95"),
    "JPY": Decimal("160"),
    "KRW": Decimal("1450"),
}


class FixedRates:
    """``convert(amount, from, to, on)`` at :data:`PER_EUR`; remembers each call."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, date]] = []

    def __call__(self, amount: Decimal, src: str, dst: str, on: date) -> Decimal:
        self.calls.append((src, dst, on))
        return amount / PER_EUR[src] * PER_EUR[dst]


@pytest.fixture
def convert() -> FixedRates:
    return FixedRates()
