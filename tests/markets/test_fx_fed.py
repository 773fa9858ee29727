"""The Fed's H.10 rate file shipped with the install, and the errors a bad copy gets."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from tradewinds.markets.fx_fed import fed_file, fed_rates, read_fed_rates
from tradewinds.markets.fx_files import FxFileError

HEAD = "# a note\ndate,currency,per_usd\n"


def test_the_shipped_file_names_its_source_and_covers_2000() -> None:
    text = fed_file().read_text()
    assert "DEXCHUS" in text and "DEXBZUS" in text and "public domain" in text
    rates = fed_rates()
    assert set(rates["currency"]) == {"CNY", "BRL"}
    first = rates.groupby("currency")["date"].min()
    assert first["CNY"] <= date(2000, 1, 3) and first["BRL"] <= date(2000, 1, 3)
    jan3 = rates[rates["date"] == date(2000, 1, 3)].set_index("currency")["per_usd"]
    assert jan3["CNY"] == Decimal("8.2798") and jan3["BRL"] == Decimal("1.8050")
    # 17 January 2000 (Martin Luther King Day) has no quote in the file: it is left out
    assert not (rates["date"] == date(2000, 1, 17)).any()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("2000-01-03,CNY,-8.27\n", "line 3, column 'per_usd', value '-8.27': a rate must be"),
        ("2000-01-03,CNY,abc\n", "line 3, column 'per_usd', value 'abc'"),
        ("2000-13-03,CNY,8.27\n", "line 3, column 'date', value '2000-13-03': not a date"),
        ("2000-01-03,XXY,8.27\n", "line 3, column 'currency', value 'XXY': not a currency"),
        ("2000-01-03,CNY\n", "line 3: expected 3 fields, found 2"),
        ("2000-01-03,CNY,8.27\n2000-01-03,CNY,8.28\n", "line 4, column 'date': a second CNY"),
    ],
)
def test_a_bad_row_is_named(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "fed.csv"
    path.write_text(HEAD + body)
    with pytest.raises(FxFileError) as error:
        read_fed_rates(path)
    assert str(error.value).startswith("fed.csv, ") and message in str(error.value)


def test_a_file_without_the_header_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "fed.csv"
    path.write_text("day,code,rate\n2000-01-03,CNY,8.27\n")
    with pytest.raises(FxFileError, match="fed.csv, line 1: expected the header"):
        read_fed_rates(path)
