"""Days without a published rate: the latest earlier one within 7 days, said so; never 1."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from tradewinds.markets.fx import FxRate, FxTable, MissingRate
from tradewinds.markets.fx_sql import convert_sql, missing_rates

FRI = date(2024, 3, 1)


def _rates(warehouse) -> None:
    warehouse.load(
        "fx_rates",
        [
            {
                "date": FRI,
                "base": "EUR",
                "quote": "USD",
                "rate": Decimal("1.0838"),
                "source": "ecb-bundled",
            },
            {
                "date": FRI,
                "base": "EUR",
                "quote": "GBP",
                "rate": Decimal("0.8564"),
                "source": "ecb-bundled",
            },
            {
                "date": date(2024, 3, 4),
                "base": "EUR",
                "quote": "GBP",
                "rate": Decimal("0.8551"),
                "source": "ecb-bundled",
            },
        ],
    )


SOURCE = (
    "SELECT * FROM (VALUES ('USD', DATE '2024-03-01', 100), ('USD', DATE '2024-03-02', 100), "
    "('USD', DATE '2024-03-08', 100), ('USD', DATE '2024-03-09', 100), "
    "('EUR', DATE '2024-03-09', 100)) AS t(currency, day, amount)"
)


def test_carried_rates_say_their_day_and_beyond_seven_days_nothing_converts(warehouse) -> None:
    _rates(warehouse)
    sql = convert_sql(
        SOURCE, amount="amount", currency="currency", on="day", to="GBP", rate_date_as="rate_date"
    )
    rows = {
        (c, d): (v, r)
        for c, d, _a, v, r in warehouse.query(
            f"SELECT currency, day, amount, amount_converted, rate_date FROM ({sql}) AS x"
        ).rows
    }
    same_day = (Decimal(100) * Decimal("0.8564") / Decimal("1.0838")).quantize(Decimal("0.0001"))
    assert rows[("USD", FRI)] == (same_day, FRI)
    assert rows[("USD", date(2024, 3, 2))] == (same_day, FRI)  # Saturday: Friday's rate
    # Friday + 7: the USD rate is carried, the GBP one is Monday's; the older day is named
    monday_gbp = (Decimal(100) * Decimal("0.8551") / Decimal("1.0838")).quantize(Decimal("0.0001"))
    assert rows[("USD", date(2024, 3, 8))] == (monday_gbp, FRI)
    assert rows[("USD", date(2024, 3, 9))] == (None, None)  # 8 days: unconverted, not 1
    assert rows[("EUR", date(2024, 3, 9))] == (
        (Decimal(100) * Decimal("0.8551")).quantize(Decimal("0.0001")),
        date(2024, 3, 4),
    )
    missing = missing_rates(warehouse, SOURCE, currency="currency", on="day", to="GBP")
    assert missing == [MissingRate("USD", date(2024, 3, 9))]


def test_the_sql_console_view_names_the_rate_day(warehouse) -> None:
    _rates(warehouse)
    rows = warehouse.query(
        "SELECT day, per_eur, rate_date FROM fx_daily WHERE currency = 'USD' ORDER BY day"
    ).rows
    assert rows[0] == (FRI, Decimal("1.0838"), FRI)
    assert [r[0] for r in rows] == [date(2024, 3, d) for d in range(1, 9)]  # 7 days, no more
    assert all(r[2] == FRI for r in rows)
    eur = warehouse.query(
        "SELECT rate_date FROM fx_daily WHERE currency = 'EUR' AND day = DATE '2024-03-02'"
    ).scalar()
    assert eur == date(2024, 3, 2)


def test_the_more_recent_of_a_rate_and_its_inverse_wins() -> None:
    table = FxTable(
        [
            FxRate(date(2024, 3, 1), "USD", "CAD", Decimal("1.35")),
            FxRate(date(2024, 3, 4), "CAD", "USD", Decimal("0.8")),
        ]
    )
    quote = table.quote("USD", "CAD", date(2024, 3, 5))
    assert quote.rate == Decimal(1) / Decimal("0.8") and quote.rate_date == date(2024, 3, 4)
    assert quote.carried and quote.describe() == "rate of 2024-03-04 (Monday)"
    assert not table.quote("USD", "CAD", date(2024, 3, 4)).carried
