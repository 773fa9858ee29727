from __future__ import annotations

import gzip
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tradewinds.markets.fx import FxRate
from tradewinds.markets.fx_files import (
    FxFileError,
    detect_format,
    import_fx_file,
    parse_ecb,
    parse_fx_text,
    parse_pairs,
    read_text,
)
from tradewinds.warehouse.duckdb_backend import DuckDBWarehouse

DATA = Path(__file__).parent / "data"
HIST = DATA / "eurofxref-hist-sample.csv"
DAILY = DATA / "eurofxref-daily-sample.csv"
PAIRS = DATA / "pairs-sample.csv"


def test_ecb_history_file() -> None:
    rates = parse_ecb(HIST.read_text())
    header = HIST.read_text().splitlines()[0].split(",")
    codes = [c for c in header[1:] if c]
    lines = [line.split(",") for line in HIST.read_text().splitlines()[1:]]
    expected = sum(1 for row in lines for cell in row[1 : len(codes) + 1] if cell != "N/A")
    assert len(rates) == expected
    assert {r.base for r in rates} == {"EUR"}
    assert FxRate(date(2024, 1, 2), "EUR", "USD", Decimal("1.0956"), "ecb") in rates
    assert not any(r.quote in {"CYP", "RUB", "HRK"} for r in rates)  # N/A columns
    assert all(isinstance(r.rate, Decimal) for r in rates)


def test_ecb_daily_file_with_spaces_and_long_dates() -> None:
    rates = parse_ecb(DAILY.read_text())
    assert {r.date for r in rates} == {date(2024, 1, 5)}
    jpy = next(r for r in rates if r.quote == "JPY")
    assert jpy.rate == Decimal("158.08")
    assert len(rates) == 30


def test_pairs_file() -> None:
    rates = parse_pairs(PAIRS.read_text())
    assert rates[0] == FxRate(date(2024, 1, 2), "USD", "CAD", Decimal("1.3297"))
    assert rates[-1].base == "GBP" and rates[-1].quote == "EUR"


def test_format_is_detected_from_the_header() -> None:
    assert detect_format(HIST.read_text()) == "ecb"
    assert detect_format(DAILY.read_text()) == "ecb"
    assert detect_format(PAIRS.read_text()) == "pairs"
    with pytest.raises(FxFileError):
        detect_format("InvoiceNo,StockCode\n1,2\n")


def test_compressed_files_are_read(tmp_path: Path) -> None:
    gz = tmp_path / "eurofxref-hist.csv.gz"
    gz.write_bytes(gzip.compress(HIST.read_bytes()))
    archive = tmp_path / "eurofxref-hist.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(HIST, "eurofxref-hist.csv")
    assert read_text(gz) == read_text(archive) == HIST.read_text()


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("Date,USD,\n2024-13-01,1.09,\n", "line 2"),
        ("Date,USD,\n2024-01-02,abc,\n", "column 'USD'"),
        ("Date,USD,\n2024-01-02,-1.0,\n", "positive"),
        ("Date,XXY,\n2024-01-02,1.0,\n", "XXY"),
        ("", "empty"),
    ],
)
def test_malformed_ecb_files_name_line_column_and_value(text: str, where: str) -> None:
    with pytest.raises(FxFileError) as excinfo:
        parse_ecb(text, file="rates.csv")
    assert where in str(excinfo.value)


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("date,base,quote\n2024-01-02,USD,CAD\n", "missing column"),
        ("date,base,quote,rate\n2024-01-02,USD,CAD,0\n", "line 2"),
        ("date,base,quote,rate\n2024-01-02,USD,XXQ,1.3\n", "column 'quote'"),
        ("date,base,quote,rate\n02/01/2024,USD,CAD,1.3\n", "column 'date'"),
        ("date,base,quote,rate\n2024-01-02,USD,USD,1\n", "same currency"),
    ],
)
def test_malformed_pair_files(text: str, where: str) -> None:
    with pytest.raises(FxFileError) as excinfo:
        parse_pairs(text, file="pairs.csv")
    assert where in str(excinfo.value) and "pairs.csv" in str(excinfo.value)


def test_import_is_idempotent(tmp_path: Path) -> None:
    with DuckDBWarehouse(tmp_path / "fx.duckdb") as wh:
        wh.ensure_tables()
        first = import_fx_file(wh, path=HIST)
        second = import_fx_file(wh, path=HIST)
        pairs = import_fx_file(wh, path=PAIRS)
        assert first.inserted == first.rates > 0
        assert (second.inserted, second.duplicates) == (0, first.rates)
        assert pairs.format == "pairs" and pairs.inserted == 5
        assert first.first_date == date(2023, 12, 21) and first.last_date == date(2024, 1, 5)
        assert wh.count("fx_rates") == first.rates + 5


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.dates(min_value=date(1999, 1, 4), max_value=date(2030, 12, 31)),
            st.one_of(
                st.none(),
                st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("99999"), places=4),
            ),
            st.one_of(
                st.none(),
                st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("99999"), places=4),
            ),
        ),
        max_size=20,
        unique_by=lambda t: t[0],
    ),
    st.booleans(),
)
def test_ecb_parser_round_trips_what_it_reads(rows, long_dates) -> None:  # noqa: ANN001
    lines = ["Date, USD, JPY, " if long_dates else "Date,USD,JPY,"]
    for day, usd, jpy in rows:
        shown = day.strftime("%d %B %Y") if long_dates else day.isoformat()
        cells = [shown, "N/A" if usd is None else str(usd), "N/A" if jpy is None else str(jpy)]
        lines.append((", " if long_dates else ",").join(cells) + ",")
    fmt, rates = parse_fx_text("\n".join(lines) + "\n")
    assert fmt == "ecb"
    expected = {
        (day, code, value)
        for day, usd, jpy in rows
        for code, value in (("USD", usd), ("JPY", jpy))
        if value is not None
    }
    assert {(r.date, r.quote, r.rate) for r in rates} == expected
