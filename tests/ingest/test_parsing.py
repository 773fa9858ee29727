"""Property and example tests for locale-aware number, date and currency parsing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tradewinds.ingest import parsing

amounts = st.decimals(
    min_value=Decimal("-99999999"),
    max_value=Decimal("99999999"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)


def _format(value: Decimal, sep: str, grouped: bool) -> str:
    text = f"{abs(value):,.2f}" if grouped else f"{abs(value):.2f}"
    if sep == ",":
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    return ("-" if value < 0 else "") + text


@settings(deadline=None)
@given(amounts, st.sampled_from([".", ","]), st.booleans())
def test_decimal_round_trips_in_both_locales(value: Decimal, sep: str, grouped: bool) -> None:
    text = _format(value, sep, grouped)
    assert parsing.parse_decimal(text, sep) == value


@settings(deadline=None)
@given(
    st.lists(st.tuples(amounts, st.booleans()), min_size=1, max_size=30),
    st.sampled_from([".", ","]),
)
def test_vectorised_column_matches_scalar_parser(values: list, sep: str) -> None:
    texts = [_format(v, sep, g) for v, g in values]
    units, bad = parsing.decimal_units_column(pd.Series(texts), sep)
    assert not bad.any()
    expected = [parsing.parse_decimal(t, sep) * 10**parsing.DECIMAL_SCALE for t in texts]
    assert [Decimal(int(u)) for u in units] == expected


@settings(deadline=None)
@given(
    st.lists(amounts.filter(lambda v: abs(v) >= 1000), min_size=1, max_size=20),
    st.sampled_from([".", ","]),
)
def test_separator_is_decided_from_the_whole_file(values: list, sep: str) -> None:
    texts = [_format(v, sep, True) for v in values]
    assert parsing.infer_decimal_separator(texts) == sep


def test_ambiguous_thousands_follow_the_rest_of_the_file() -> None:
    assert parsing.infer_decimal_separator(["1,234", "1.234,56"]) == ","
    assert parsing.infer_decimal_separator(["1,234", "1,234.56"]) == "."
    assert parsing.parse_decimal("1,234", ",") == Decimal("1.234")
    assert parsing.parse_decimal("1,234", ".") == Decimal("1234")


def test_google_ads_cells() -> None:
    assert parsing.parse_decimal("1,414,877") == Decimal("1414877")
    assert parsing.parse_decimal(" --") is None
    assert parsing.parse_decimal("6.20%") == Decimal("0.062")
    with pytest.raises(parsing.ParseError):
        parsing.parse_decimal("12a")


dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2099, 12, 31))


@settings(deadline=None)
@given(st.lists(dates, min_size=1, max_size=40), st.sampled_from(["dmy", "mdy"]))
def test_date_order_decided_from_whole_file(values: list, order: str) -> None:
    fmt = "%d/%m/%Y" if order == "dmy" else "%m/%d/%Y"
    texts = [d.strftime(fmt) for d in values]
    proven = any(d.day > 12 for d in values)
    inferred = parsing.infer_date_order(texts, default=order)
    assert inferred == order
    if proven:  # the evidence wins over a wrong default
        other = "mdy" if order == "dmy" else "dmy"
        assert parsing.infer_date_order(texts, default=other) == order
    assert [parsing.parse_date(t, inferred) for t in texts] == values
    parsed, bad, _ = parsing.date_column(pd.Series(texts), inferred)
    assert not bad.any()
    assert [p.date() for p in parsed] == values


def test_impossible_date_is_named() -> None:
    with pytest.raises(parsing.ParseError, match="the date 31/02/2024 does not exist"):
        parsing.parse_date("31/02/2024", "dmy")
    _, bad, reasons = parsing.date_column(pd.Series(["31/02/2024", "28/02/2024"]), "dmy")
    assert bad.tolist() == [True, False]
    assert reasons == ["the date 31/02/2024 does not exist"]


def test_mixed_orders_are_refused() -> None:
    with pytest.raises(parsing.ParseError):
        parsing.infer_date_order(["25/01/2024", "01/25/2024"])


def test_time_zones_become_utc() -> None:
    values, bad = parsing.timestamp_column(
        pd.Series(
            ["2022-04-06 21:52:40 -0400", "2017-06-17T08:04:21+00:00", "2011-07-01 08:26:00"]
        ),
        default_zone="Europe/London",
    )
    assert not bad.any()
    assert [v.isoformat() for v in values] == [
        "2022-04-07T01:52:40+00:00",
        "2017-06-17T08:04:21+00:00",
        "2011-07-01T07:26:00+00:00",
    ]


def test_currency_codes() -> None:
    assert parsing.validate_currency(" eur ") == "EUR"
    with pytest.raises(parsing.ParseError):
        parsing.validate_currency("EURO")
    assert parsing.currency_in_text("Amount spent (EUR)") == "EUR"
    assert parsing.currency_in_text("CPM (cost per 1,000 impressions) (EGP)") == "EGP"
    assert parsing.currency_in_text("Impressions") is None


def test_impossible_and_ambiguous_local_times_are_rejected() -> None:
    values = pd.Series(["2011-02-30 10:00:00", "2011-10-30 01:30:00", "2011-06-01 10:00"])
    parsed, bad = parsing.timestamp_column(values, default_zone="Europe/London")
    assert bad.tolist() == [True, True, False]
    assert parsed.iloc[2].isoformat() == "2011-06-01T09:00:00+00:00"
    _, bad_fast = parsing.timestamp_column(values.iloc[[0, 2]], default_zone="Europe/London")
    assert bad_fast.tolist() == [True, False]


@settings(deadline=None)
@given(
    st.lists(
        st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2036, 12, 31)),
        min_size=1,
        max_size=30,
    ),
    st.sampled_from(["UTC", "Asia/Tokyo", "America/New_York"]),
)
def test_local_times_round_trip(values: list, zone_name: str) -> None:
    # (time-zone rules are compiled up to 2037 in Arrow; later dates differ between libraries)
    values = [v.replace(microsecond=0) for v in values]
    texts = pd.Series([v.strftime("%Y-%m-%d %H:%M:%S") for v in values])
    parsed, bad = parsing.timestamp_column(texts, default_zone=zone_name)
    zone = parsing.zone(zone_name)
    for value, got, is_bad in zip(values, parsed, bad, strict=True):
        local = value.replace(tzinfo=zone)
        if is_bad:  # only a repeated (ambiguous) hour may be refused
            assert local.utcoffset() != local.replace(fold=1).utcoffset()
            continue
        assert got.to_pydatetime().astimezone(zone).replace(tzinfo=None) == value or local.replace(
            tzinfo=None
        ) != local.astimezone(dt.UTC).astimezone(zone).replace(
            tzinfo=None
        )  # a non-existent (skipped) local time moves forward
