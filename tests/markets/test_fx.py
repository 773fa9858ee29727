from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tradewinds.markets.fx import FxRate, FxTable, MissingRate


def ecb(day: date, **quotes: str) -> list[FxRate]:
    return [FxRate(day, "EUR", code, Decimal(rate)) for code, rate in quotes.items()]


FRI = date(2024, 1, 5)
TABLE = FxTable(
    ecb(date(2024, 1, 4), USD="1.0953", GBP="0.86295", JPY="158.21")
    + ecb(FRI, USD="1.0921", GBP="0.86033", JPY="158.08")
    + [FxRate(date(2024, 1, 5), "USD", "CAD", Decimal("1.3374"))]
)


def test_rate_of_the_day() -> None:
    assert TABLE.rate("EUR", "USD", FRI) == Decimal("1.0921")
    assert TABLE.rate("EUR", "USD", datetime(2024, 1, 4, 23, 59)) == Decimal("1.0953")


def test_weekend_uses_the_latest_earlier_business_day() -> None:
    saturday, sunday = FRI + timedelta(days=1), FRI + timedelta(days=2)
    assert (
        TABLE.rate("EUR", "GBP", saturday) == TABLE.rate("EUR", "GBP", sunday) == Decimal("0.86033")
    )


def test_lookback_is_bounded() -> None:
    assert TABLE.rate("EUR", "USD", FRI + timedelta(days=7)) == Decimal("1.0921")
    with pytest.raises(MissingRate) as excinfo:
        TABLE.rate("EUR", "USD", FRI + timedelta(days=8))
    assert excinfo.value.currency == "USD"
    assert excinfo.value.date == FRI + timedelta(days=8)


def test_missing_rate_is_never_one() -> None:
    with pytest.raises(MissingRate) as excinfo:
        TABLE.convert(Decimal("10"), from_currency="CHF", to_currency="EUR", on=FRI)
    assert excinfo.value == MissingRate("CHF", FRI)
    with pytest.raises(MissingRate):
        TABLE.rate("EUR", "USD", date(2024, 1, 3))  # before the first rate


def test_inverse_and_cross_rates() -> None:
    tiny = Decimal("1e-26")  # the right-hand sides use the default 28-digit context
    back = TABLE.convert(Decimal("1.0921"), from_currency="USD", to_currency="EUR", on=FRI)
    assert abs(back - 1) < tiny
    gbp_per_usd = TABLE.rate("USD", "GBP", FRI)
    assert abs(gbp_per_usd - Decimal("0.86033") / Decimal("1.0921")) < tiny
    # direct pair wins over the cross rate
    assert TABLE.rate("USD", "CAD", FRI) == Decimal("1.3374")
    assert abs(TABLE.rate("CAD", "USD", FRI) - 1 / Decimal("1.3374")) < tiny


def test_money_rounds_to_minor_units() -> None:
    assert TABLE.convert_money(
        Decimal("100"), from_currency="EUR", to_currency="JPY", on=FRI
    ) == Decimal("15808")
    assert TABLE.convert_money(
        Decimal("100"), from_currency="USD", to_currency="GBP", on=FRI
    ) == Decimal("78.78")


def test_same_currency_needs_no_rate() -> None:
    assert TABLE.convert(
        Decimal("5.55"), from_currency="CHF", to_currency="CHF", on=date(1999, 1, 1)
    ) == Decimal("5.55")


def test_only_decimals_are_converted() -> None:
    with pytest.raises(TypeError):
        TABLE.convert(1.5, from_currency="EUR", to_currency="USD", on=FRI)  # type: ignore[arg-type]


# -- properties ------------------------------------------------------------------------

rates = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("50000"), places=6)
amounts = st.decimals(min_value=Decimal("-1000000"), max_value=Decimal("1000000"), places=2)
currencies = st.sampled_from(["EUR", "USD", "GBP", "JPY", "SEK"])


@settings(max_examples=200, deadline=None)
@given(usd=rates, gbp=rates, jpy=rates, sek=rates, amount=amounts, a=currencies, b=currencies)
def test_round_trip_within_rounding(usd, gbp, jpy, sek, amount, a, b) -> None:  # noqa: ANN001
    day = date(2024, 3, 1)
    table = FxTable(ecb(day, USD=str(usd), GBP=str(gbp), JPY=str(jpy), SEK=str(sek)))
    there = table.convert(amount, from_currency=a, to_currency=b, on=day)
    back = table.convert(there, from_currency=b, to_currency=a, on=day)
    assert abs(back - amount) <= abs(amount) * Decimal("1e-25") + Decimal("1e-25")
    # rounded to 4 places on the way there, the error back is at most half a unit times the rate
    rounded = table.convert(amount, from_currency=a, to_currency=b, on=day, places=4)
    back_rounded = table.convert(rounded, from_currency=b, to_currency=a, on=day)
    tolerance = Decimal("0.00005") * table.rate(b, a, day) + Decimal("1e-20")
    assert abs(back_rounded - amount) <= tolerance


@settings(max_examples=200, deadline=None)
@given(
    published=st.dictionaries(
        st.integers(min_value=0, max_value=60), rates, min_size=1, max_size=30
    ),
    query_day=st.integers(min_value=-5, max_value=75),
    lookback=st.integers(min_value=0, max_value=10),
)
def test_rate_is_the_latest_not_after_the_date(published, query_day, lookback) -> None:  # noqa: ANN001
    start = date(2024, 1, 1)
    table = FxTable(
        [FxRate(start + timedelta(days=d), "EUR", "USD", r) for d, r in published.items()],
        lookback_days=lookback,
    )
    on = start + timedelta(days=query_day)
    eligible = [d for d in published if d <= query_day]
    if eligible and query_day - max(eligible) <= lookback:
        assert table.rate("EUR", "USD", on) == published[max(eligible)]
        assert table.published("EUR", "USD", on) == (
            start + timedelta(days=max(eligible)),
            published[max(eligible)],
        )
    else:
        with pytest.raises(MissingRate):
            table.rate("EUR", "USD", on)


def test_convert_column_per_row_date_and_reports_missing() -> None:
    import pandas as pd

    from tradewinds.markets.fx import convert_column

    frame = pd.DataFrame(
        {
            "total": [Decimal("10.00"), Decimal("10.00"), Decimal("7"), Decimal("1")],
            "currency": ["USD", "USD", "EUR", "CHF"],
            "ordered_at": pd.to_datetime(
                [
                    "2024-01-04T23:00:00Z",
                    "2024-01-06T10:00:00Z",
                    "2024-01-05T12:00:00Z",
                    "2024-01-05T12:00:00Z",
                ],
                utc=True,
            ),
        }
    )
    converted, missing = convert_column(
        frame, fx=TABLE, amount="total", currency="currency", on="ordered_at", to="GBP", places=2
    )
    expected_thu = TABLE.convert(
        Decimal("10"), from_currency="USD", to_currency="GBP", on=date(2024, 1, 4), places=2
    )
    expected_sat = TABLE.convert(
        Decimal("10"), from_currency="USD", to_currency="GBP", on=date(2024, 1, 5), places=2
    )
    assert list(converted) == [expected_thu, expected_sat, Decimal("6.02"), None]
    assert missing == [MissingRate("CHF", date(2024, 1, 5))]
