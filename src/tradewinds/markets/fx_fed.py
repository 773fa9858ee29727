"""The US Federal Reserve's H.10 noon buying rates shipped inside the install.

``data/fed_h10_cny_brl.csv`` holds the Fed's daily dollar rates of the renminbi (series
DEXCHUS) and the real (DEXBZUS) from December 1999 until the European Central Bank
started quoting them, so that amounts in CNY or BRL from 2000 on convert offline. The
Fed's rates are a work of the US government, in the public domain. The file's layout is
``date,currency,per_usd`` (units of the currency for one US dollar; empty on a day without
a quote), after a few ``#`` lines naming the source. :mod:`tradewinds.markets.fx_bundled`
turns them into euro rates.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

import pandas as pd

HEADER = ["date", "currency", "per_usd"]


def fed_file() -> Path:
    """The shipped Fed rate file."""
    return Path(__file__).parent / "data" / "fed_h10_cny_brl.csv"


def read_fed_rates(path: Path) -> pd.DataFrame:
    """``date, currency, per_usd`` (a :class:`~decimal.Decimal`) of every quoted day in
    ``path``; raises :class:`~tradewinds.markets.fx_files.FxFileError` naming the line,
    column and value of a bad row."""
    from tradewinds.markets.currencies import UnknownCurrency, normalize_currency
    from tradewinds.markets.fx_files import FxFileError

    name = path.name
    rows: list[tuple[date, str, Decimal]] = []
    header_seen = False
    seen: set[tuple[date, str]] = set()
    for number, line in enumerate(io.StringIO(path.read_text(encoding="utf-8")), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = [f.strip() for f in next(csv.reader([line]))]
        if not header_seen:
            if fields != HEADER:
                raise FxFileError(
                    f"expected the header {','.join(HEADER)!r}", file=name, line=number
                )
            header_seen = True
            continue
        if len(fields) != len(HEADER):
            raise FxFileError(
                f"expected {len(HEADER)} fields, found {len(fields)}", file=name, line=number
            )
        day_text, code, value = fields
        try:
            day = date.fromisoformat(day_text)
        except ValueError:
            raise FxFileError(
                "not a date (YYYY-MM-DD)", file=name, line=number, column="date", value=day_text
            ) from None
        try:
            code = normalize_currency(code)
        except UnknownCurrency:
            raise FxFileError(
                "not a currency code", file=name, line=number, column="currency", value=code
            ) from None
        if (day, code) in seen:
            raise FxFileError(
                f"a second {code} rate for {day_text}", file=name, line=number, column="date"
            )
        seen.add((day, code))
        if not value:
            continue  # no quote that day
        try:
            rate = Decimal(value)
        except InvalidOperation:
            rate = Decimal(0)
        if not rate.is_finite() or rate <= 0:
            raise FxFileError(
                "a rate must be a positive number",
                file=name,
                line=number,
                column="per_usd",
                value=value,
            )
        rows.append((day, code, rate))
    if not header_seen:
        raise FxFileError(f"expected the header {','.join(HEADER)!r}", file=name)
    return pd.DataFrame(rows, columns=HEADER)


@lru_cache(maxsize=1)
def _fed_rates() -> pd.DataFrame:
    return read_fed_rates(fed_file())


def fed_rates() -> pd.DataFrame:
    """The shipped Fed rates (read once per process)."""
    return _fed_rates().copy()
