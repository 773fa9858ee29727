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
from typing import Any, Literal

from tradewinds.markets.currencies import UnknownCurrency, normalize_currency
from tradewinds.markets.fx import FxRate
from tradewinds.markets.fx_bundled import SHIPPED_SOURCES

FxFormat = Literal["ecb", "pairs"]
MANUAL_SOURCE = "manual"  # rates given without a file name (and rows without a source)
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
        self.reason = message
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


def decode(data: bytes, *, name: str = "") -> str:
    """The text of a rate file's bytes, unpacking gzip and zip (the first CSV inside)."""
    if name.lower().endswith(".gz") or data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise FxFileError(f"not a readable gzip file ({exc})", file=name) from None
    elif name.lower().endswith(".zip") or data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = [n for n in archive.namelist() if n.lower().endswith(".csv")]
                if not names:
                    raise FxFileError("the zip archive holds no .csv file", file=name)
                data = archive.read(names[0])
        except zipfile.BadZipFile as exc:
            raise FxFileError(f"not a readable zip file ({exc})", file=name) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FxFileError(
            f"not UTF-8 text (byte {exc.start}): save the file as CSV in UTF-8", file=name
        ) from None


def read_text(path: Path) -> str:
    """The text of a rate file, unpacking ``.gz`` and ``.zip`` (first CSV inside)."""
    return decode(path.read_bytes(), name=path.name)


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
        return kind, parse_ecb(text, file=file, source=f"file:{file}" if file else MANUAL_SOURCE)
    return kind, parse_pairs(text, file=file, source=f"file:{file}" if file else MANUAL_SOURCE)


def iter_rows(rates: list[FxRate]) -> Iterator[dict[str, object]]:
    for r in rates:
        yield {"date": r.date, "base": r.base, "quote": r.quote, "rate": r.rate, "source": r.source}


def _known_ecb_rates(warehouse: object, rates: list[FxRate]) -> set[tuple[date, str, str]]:
    """Keys of ``rates`` the workspace already holds from the shipped rates (the ECB's, the
    Fed's before the ECB quoted a currency) at the same rate."""
    first, last = min(r.date for r in rates), max(r.date for r in rates)
    rows = warehouse.query(  # type: ignore[attr-defined]
        'SELECT "date", base, quote, rate FROM fx_rates WHERE "date" >= ? AND "date" <= ? '
        f"AND source IN ({', '.join(repr(s) for s in SHIPPED_SOURCES)})",
        [first, last],
    ).rows
    held = {(d, b, q): Decimal(r) for d, b, q, r in rows}
    return {
        (r.date, r.base, r.quote) for r in rates if held.get((r.date, r.base, r.quote)) == r.rate
    }


def store_rates(warehouse: object, rates: list[FxRate], *, result: FxImportResult) -> None:
    """Upsert ``rates`` into ``fx_rates``: a file's rate replaces the stored one, except
    that a rate the ECB already gave (bundled or fetched) at the same value is left as
    it is and counted as already known."""
    if not rates:
        return
    known = _known_ecb_rates(warehouse, rates)
    todo = [r for r in rates if (r.date, r.base, r.quote) not in known]
    if todo:
        loaded = warehouse.load("fx_rates", list(iter_rows(todo)))  # type: ignore[attr-defined]
        result.inserted, result.updated = loaded.inserted, loaded.updated
        result.duplicates = loaded.duplicates
    result.duplicates += len(known)
    result.first_date = min(r.date for r in rates)
    result.last_date = max(r.date for r in rates)
    result.currencies = sorted({r.quote for r in rates} | {r.base for r in rates})


def import_fx_bytes(
    warehouse: object, *, data: bytes, name: str, fmt: FxFormat | None = None
) -> FxImportResult:
    """Read an uploaded rate file and store it (see :func:`store_rates`); idempotent."""
    kind, rates = parse_fx_text(decode(data, name=name), file=name, fmt=fmt)
    result = FxImportResult(file=name, format=kind, rates=len(rates))
    store_rates(warehouse, rates, result=result)
    return result


def import_fx_file(warehouse: object, *, path: Path, fmt: FxFormat | None = None) -> FxImportResult:
    """Read a rate file and store it in ``fx_rates`` (idempotent: a second import of the
    same file inserts nothing)."""
    return import_fx_bytes(warehouse, data=path.read_bytes(), name=path.name, fmt=fmt)


def audit_import(session: Any, *, result: FxImportResult, actor: str, workspace_id: int) -> None:
    """The audit-log entry of one imported rate file (CLI and Data page alike)."""
    from tradewinds.auth import audit

    audit.record(
        session,
        action="data.import",
        actor=actor,
        workspace_id=workspace_id,
        target=f"fx:{result.file}",
        details={
            "format": result.format,
            "rates": result.rates,
            "inserted": result.inserted,
            "updated": result.updated,
        },
    )
