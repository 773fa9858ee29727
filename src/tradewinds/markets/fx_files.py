"""Reading exchange-rate files and storing them in the warehouse's ``fx_rates`` table.

Two layouts are recognised from their header:

* ECB euro foreign exchange reference rates (``eurofxref.csv``, ``eurofxref-hist.csv``, or
  the ``.zip`` files the ECB serves): ``Date, USD, JPY, …`` with one row per business day,
  dates as ``2024-01-05`` (history) or ``5 January 2024`` (daily file), ``N/A`` where a
  currency was not quoted, and a trailing comma on every line. Rates are EUR-based.
* A plain ``date,base,quote,rate`` CSV (an optional ``source`` column is kept), for any
  other provider: 1 ``base`` = ``rate`` ``quote`` on ``date``.
"""

from __future__ import annotations

import csv
import gzip
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Literal

from tradewinds.markets.currencies import UnknownCurrency, normalize_currency
from tradewinds.markets.fx import FxRate

FxFormat = Literal["ecb", "pairs"]
_MISSING = {"", "N/A", "NA", "-", "#N/A"}


class FxFileError(ValueError):
    """A rate file could not be read; names the file, line, column and value."""

    def __init__(
        self,
        message: str,
        *,
        file: str = "",
        line: int | None = None,
        column: str = "",
        value: str = "",
    ):
        self.file, self.line, self.column, self.value = file, line, column, value
        where = ", ".join(
            part
            for part in (
                file,
                f"line {line}" if line is not None else "",
                f"column {column!r}" if column else "",
                f"value {value!r}" if value else "",
            )
            if part
        )
        super().__init__(f"{where}: {message}" if where else message)


@dataclass
class FxImportResult:
    file: str
    format: FxFormat
    rates: int
    inserted: int = 0
    updated: int = 0
    duplicates: int = 0
    first_date: date | None = None
    last_date: date | None = None
    currencies: list[str] = field(default_factory=list)


def read_text(path: Path) -> str:
    """The text of a rate file, unpacking ``.gz`` and ``.zip`` (first CSV inside)."""
    data = path.read_bytes()
    if path.suffix.lower() == ".gz" or data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    elif path.suffix.lower() == ".zip" or data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = [n for n in archive.namelist() if n.lower().endswith(".csv")]
            if not names:
                raise FxFileError("the zip archive holds no .csv file", file=path.name)
            data = archive.read(names[0])
    return data.decode("utf-8-sig")


def detect_format(text: str) -> FxFormat:
    header = next(csv.reader(io.StringIO(text.lstrip())), [])
    names = [h.strip().lower() for h in header if h.strip()]
    if names[:1] == ["date"] and len(names) > 1 and {"base", "quote", "rate"} <= set(names):
        return "pairs"
    if names[:1] == ["date"] and len(names) > 1:
        return "ecb"
    raise FxFileError(
        "unrecognised rate file: expected an ECB 'Date, USD, JPY, …' header "
        "or 'date,base,quote,rate'"
    )


def _parse_date(text: str) -> date:
    value = text.strip()
    for fmt in ("%Y-%m-%d", "%d %B %Y", "%d %b %Y"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError("not a date (expected 2024-01-05 or 5 January 2024)")


def _parse_rate(text: str) -> Decimal:
    try:
        rate = Decimal(text.strip())
    except InvalidOperation:
        raise ValueError("not a number") from None
    if not rate.is_finite() or rate <= 0:
        raise ValueError("a rate must be a positive number")
    return rate


def parse_ecb(text: str, *, file: str = "", source: str = "ecb") -> list[FxRate]:
    """EUR-based rates from an ECB reference-rate CSV; ``N/A`` cells are skipped."""
    rows = csv.reader(io.StringIO(text))
    header: list[str] | None = None
    rates: list[FxRate] = []
    for line_no, row in enumerate(rows, start=1):
        if not any(cell.strip() for cell in row):
            continue
        if header is None:
            header = [cell.strip() for cell in row]
            if not header or header[0].lower() != "date":
                raise FxFileError("the first line must start with 'Date'", file=file, line=line_no)
            for code in header[1:]:
                if code:
                    try:
                        normalize_currency(code)
                    except UnknownCurrency as exc:
                        raise FxFileError(str(exc), file=file, line=line_no, column=code) from None
            continue
        try:
            day = _parse_date(row[0])
        except ValueError as exc:
            raise FxFileError(
                str(exc), file=file, line=line_no, column="Date", value=row[0]
            ) from None
        for code, cell in zip(header[1:], row[1:], strict=False):
            if not code or cell.strip().upper() in _MISSING:
                continue
            try:
                rate = _parse_rate(cell)
            except ValueError as exc:
                raise FxFileError(
                    str(exc), file=file, line=line_no, column=code, value=cell
                ) from None
            rates.append(FxRate(day, "EUR", code.upper(), rate, source))
    if header is None:
        raise FxFileError("the file is empty", file=file)
    return rates


def parse_pairs(text: str, *, file: str = "", source: str = "") -> list[FxRate]:
    """Rates from a ``date,base,quote,rate[,source]`` CSV."""
    reader = csv.DictReader(io.StringIO(text), skipinitialspace=True)
    if reader.fieldnames is None:
        raise FxFileError("the file is empty", file=file)
    reader.fieldnames = [f.strip().lower() for f in reader.fieldnames]
    missing = {"date", "base", "quote", "rate"} - set(reader.fieldnames)
    if missing:
        raise FxFileError(f"missing column(s): {', '.join(sorted(missing))}", file=file, line=1)
    rates = []
    for line_no, row in enumerate(reader, start=2):
        if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            continue
        column, value = "date", row.get("date") or ""
        try:
            day = _parse_date(value)
            column, value = "base", row.get("base") or ""
            base = normalize_currency(value)
            column, value = "quote", row.get("quote") or ""
            quote = normalize_currency(value)
            column, value = "rate", row.get("rate") or ""
            rate = _parse_rate(value)
        except (ValueError, UnknownCurrency) as exc:
            raise FxFileError(
                str(exc), file=file, line=line_no, column=column, value=value
            ) from None
        if base == quote:
            raise FxFileError(
                "base and quote are the same currency",
                file=file,
                line=line_no,
                column="quote",
                value=quote,
            )
        rates.append(FxRate(day, base, quote, rate, (row.get("source") or "").strip() or source))
    return rates


def parse_fx_text(
    text: str, *, file: str = "", fmt: FxFormat | None = None
) -> tuple[FxFormat, list[FxRate]]:
    kind = fmt or detect_format(text)
    if kind == "ecb":
        return kind, parse_ecb(text, file=file, source=f"ecb:{file}" if file else "ecb")
    return kind, parse_pairs(text, file=file, source=f"file:{file}" if file else "")


def iter_rows(rates: list[FxRate]) -> Iterator[dict[str, object]]:
    for r in rates:
        yield {"date": r.date, "base": r.base, "quote": r.quote, "rate": r.rate, "source": r.source}


def import_fx_file(warehouse: object, *, path: Path, fmt: FxFormat | None = None) -> FxImportResult:
    """Read a rate file and upsert it into ``fx_rates`` (idempotent: a second import of the
    same file inserts nothing)."""
    text = read_text(path)
    kind, rates = parse_fx_text(text, file=path.name, fmt=fmt)
    result = FxImportResult(file=path.name, format=kind, rates=len(rates))
    if rates:
        loaded = warehouse.load("fx_rates", list(iter_rows(rates)))  # type: ignore[attr-defined]
        result.inserted, result.updated, result.duplicates = (
            loaded.inserted,
            loaded.updated,
            loaded.duplicates,
        )
        result.first_date = min(r.date for r in rates)
        result.last_date = max(r.date for r in rates)
        result.currencies = sorted({r.quote for r in rates} | {r.base for r in rates})
    return result
