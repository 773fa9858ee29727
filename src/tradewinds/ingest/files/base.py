"""What every file format shares: options, the parse result, cell conversion with errors."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, ClassVar

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from tradewinds.i18n_markers import N_, Text
from tradewinds.ingest import parsing
from tradewinds.ingest.files.reading import RawFile, Sample, find_column
from tradewinds.ingest.hints import DATE_ORDER_HINT, hint
from tradewinds.ingest.spec import FileError, RowError, Source, Stream, message_of, table


@dataclass(frozen=True)
class ImportOptions:
    """What the user can tell an importer that the file does not say."""

    currency: str | None = None
    timezone: str | None = None
    decimal: parsing.DecimalSep | None = None
    date_order: parsing.DateOrder | None = None
    #: import the good lines of an order some of whose lines are bad (default: hold the
    #: whole order back, so no order is stored with lines missing)
    partial_orders: bool = False


@dataclass
class Parsed:
    """A whole file read: one canonical DataFrame per table, the row errors, rows read.

    ``warnings`` are rows imported as they are but worth a look (a negative quantity that
    is not a return, a date in 2099); ``notes`` are file-level remarks. ``primary_table``
    names the line-level table of this file when it is not the format's usual one (a
    Google Ads report without a day column fills ``ad_spend_period``)."""

    frames: dict[str, pd.DataFrame]
    errors: list[RowError]
    rows_read: int
    notes: list[str] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    primary_table: str | None = None


#: dates before this year, or after tomorrow, are imported with a warning
EARLIEST_PLAUSIBLE_YEAR = 1990
#: words for fields in row messages ("price 1e30 is too large")
_FIELD_WORDS = {
    "unit_price": N_("price"),
    "order_total": N_("order total"),
    "line_no": N_("line number"),
    "quantity": N_("quantity"),
}


def field_word(name: str) -> str:
    """A field as the row messages name it: our word for a canonical field (translated
    where it is shown), else the column's name as the file writes it."""
    word = _FIELD_WORDS.get(name)
    return Text(word) if word else name


class FileFormat(ABC):
    """One export layout: how to recognise it and how to read it into canonical tables."""

    name: ClassVar[str]
    label: ClassVar[str]
    #: tables filled, in load order; the first "line-level" one is ``primary_table``
    tables: ClassVar[tuple[str, ...]]
    primary_table: ClassVar[str]

    @abstractmethod
    def score(self, sample: Sample) -> float:
        """0 (not this layout) .. 1 (certainly this layout)."""

    @abstractmethod
    def parse(self, raw: RawFile, options: ImportOptions) -> Parsed:
        """Read the whole file."""

    def open(self, raw: RawFile, options: ImportOptions | None = None) -> FileSource:
        return FileSource(self, raw, options or ImportOptions())


class FileSource(Source):
    """A file read by a :class:`FileFormat`, offered as one stream per canonical table."""

    def __init__(self, fmt: FileFormat, raw: RawFile, options: ImportOptions) -> None:
        self.format = fmt
        self.raw = raw
        self.options = options
        self.name = fmt.name

    @cached_property
    def parsed(self) -> Parsed:
        parsed = self.format.parse(self.raw, self.options)
        # rows name the layout they came from, not the file: the same row in two
        # overlapping downloads is the same row (which file brought it is in the audit log)
        label = pa.scalar(f"file:{self.format.name}")
        for frame in parsed.frames.values():
            if "source" in frame.columns:
                frame["source"] = pd.arrays.ArrowExtensionArray(pa.repeat(label, len(frame)))
        return parsed

    def streams(self) -> list[Stream]:
        out = []
        for name in self.format.tables:

            def items(name: str = name) -> list[Any]:
                frame = self.parsed.frames.get(name)
                batch: list[Any] = [] if frame is None else [frame]
                if name == self.primary_table:
                    batch.extend(self.parsed.errors)
                return batch

            out.append(Stream(name=name, table=table(name), read_items=items))
        return out

    @property
    def primary_table(self) -> str:
        """The table whose rows the import counts as imported (and where errors go)."""
        return self.parsed.primary_table or self.format.primary_table

    @property
    def rows_read(self) -> int:
        return self.parsed.rows_read

    def errors(self) -> list[RowError]:
        return self.parsed.errors


class Cells:
    """Converts the string columns of one file, collecting a RowError per bad cell.

    Every conversion is vectorised; rows with at least one error are flagged in ``bad``
    and left out of the result by the format.
    """

    def __init__(self, frame: pd.DataFrame, file: str, options: ImportOptions) -> None:
        self.frame = frame.reset_index(drop=True)
        self.file = file
        self.options = options
        self.lines = self.frame["__line__"].to_numpy()
        self.bad = np.zeros(len(self.frame), dtype=bool)
        self.errors: list[RowError] = []
        self.warnings: list[tuple[int, RowError]] = []  # (row position, warning)
        self.notes: list[str] = []
        self._sep: parsing.DecimalSep | None = options.decimal

    def __len__(self) -> int:
        return len(self.frame)

    # --- bookkeeping

    def reject(
        self,
        mask: Any,
        column: str | None,
        reasons: str | Iterable[str],
        values: pd.Series | None = None,
    ) -> None:
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        idx = np.flatnonzero(mask)
        if isinstance(reasons, str):
            reasons = [reasons] * len(idx)
        vals = self.frame[column] if values is None and column in self.frame else values
        for i, reason in zip(idx, reasons, strict=True):
            value = None if vals is None else str(vals.iloc[i])
            self.errors.append(RowError(self.file, int(self.lines[i]), column, value, reason))
        self.bad |= mask

    def warn(
        self,
        mask: Any,
        column: str | None,
        reasons: str | Iterable[str],
        values: pd.Series | None = None,
    ) -> None:
        """Rows imported as they are, listed in the import report with the reason."""
        mask = np.asarray(mask, dtype=bool) & ~self.bad
        if not mask.any():
            return
        idx = np.flatnonzero(mask)
        if isinstance(reasons, str):
            reasons = [reasons] * len(idx)
        vals = self.frame[column] if values is None and column in self.frame else values
        for i, reason in zip(idx, reasons, strict=True):
            value = None if vals is None else str(vals.iloc[i])
            self.warnings.append(
                (int(i), RowError(self.file, int(self.lines[i]), column, value, reason))
            )

    def sorted_errors(self) -> list[RowError]:
        return sorted(self.errors, key=lambda e: (e.row or 0, e.field or ""))

    def parsed(
        self,
        frames: dict[str, pd.DataFrame],
        rows_read: int,
        notes: Iterable[str] = (),
        primary_table: str | None = None,
    ) -> Parsed:
        """The result of a format's ``parse``: frames, errors, warnings and notes."""
        warnings = [w for i, w in self.warnings if not self.bad[i]]  # rows left out: errors
        return Parsed(
            frames,
            self.sorted_errors(),
            rows_read,
            [*notes, *self.notes],
            sorted(warnings, key=lambda e: (e.row or 0, e.field or "")),
            primary_table,
        )

    # --- columns

    def col(self, *names: str) -> str | None:
        return find_column(self.frame, *names)

    def raw(self, column: str | None) -> pd.Series:
        if column is None:
            return pd.Series([""] * len(self.frame), dtype="object")
        return self.frame[column]

    def text(self, column: str | None) -> pd.Series:
        """Stripped strings; empty cells and ``--`` become None."""
        t = pc.utf8_trim_whitespace(parsing.arrow_text(self.raw(column)))
        missing = pc.is_in(t, value_set=pa.array(sorted(parsing.MISSING)))
        t = pc.if_else(missing, pa.scalar(None, pa.string()), t)
        return pd.Series(t.to_pandas(), dtype="object")

    def text_arrow(self, column: str | None) -> pd.Series:
        """Like :meth:`text`, kept in Arrow (fast for large files)."""
        if column is None:
            return pd.Series(pd.arrays.ArrowExtensionArray(pa.nulls(len(self.frame), pa.string())))
        t = pc.utf8_trim_whitespace(parsing.arrow_text(self.raw(column)))
        missing = pc.is_in(t, value_set=pa.array(sorted(parsing.MISSING)))
        t = pc.if_else(missing, pa.scalar(None, pa.string()), t)
        return pd.Series(pd.arrays.ArrowExtensionArray(t))

    def decimal_sep(self, columns: Iterable[str | None]) -> parsing.DecimalSep:
        """The file's decimal mark, decided once from all its numeric columns."""
        if self._sep is None:
            values: list[str] = []
            for c in columns:
                if c is not None:
                    values.extend(self.frame[c].tolist())
            self._sep = parsing.infer_decimal_separator(values)
        return self._sep

    def _no_numbers(self) -> pd.Series:
        n = len(self.frame)
        return pd.Series(
            pd.arrays.IntegerArray(np.zeros(n, dtype=np.int64), np.ones(n, dtype=bool))
        )

    def money(self, column: str | None, label: str | None = None) -> pd.Series:
        """Exact ``Int64`` units of 10**-4 (None where empty)."""
        if column is None:
            return self._no_numbers()
        sep = self._sep or "."
        units, bad = parsing.decimal_units_column(self.frame[column], sep)
        what = field_word(label or column)
        raw = self.frame[column]
        self.reject(
            bad,
            label or column,
            [parsing.number_problem(str(t), sep, what=what) for t in raw[bad.to_numpy()]],
            values=raw,
        )
        return units

    def integer(
        self,
        column: str | None,
        *,
        label: str | None = None,
        max_digits: int = parsing.MAX_AMOUNT_DIGITS,
    ) -> pd.Series:
        """Whole numbers (``Int64``); more than ``max_digits`` digits is "too large"."""
        if column is None:
            return self._no_numbers()
        sep = self._sep or "."
        values, bad = parsing.int_column(self.frame[column], sep)
        bad = bad.fillna(False).to_numpy(dtype=bool)
        what = field_word(label or column)
        limit = 10**max_digits
        big = (values.abs() >= limit).fillna(False).to_numpy(dtype=bool) & ~bad
        raw = self.frame[column]
        self.reject(
            bad,
            column,
            [
                parsing.number_problem(str(t), sep, what=what, whole=True, max_digits=max_digits)
                for t in raw[bad]
            ],
        )
        self.reject(
            big,
            column,
            [
                Text(
                    "%(what)s %(value)s is too large (at most %(limit)s)",
                    what=what,
                    value=str(t).strip(),
                    limit=limit - 1,
                )
                for t in raw[big]
            ],
        )
        return values.where(~big, pd.NA)

    def quantity(self, column: str | None) -> pd.Series:
        """Item counts: whole numbers of at most nine digits."""
        return self.integer(column, label="quantity", max_digits=parsing.MAX_QUANTITY_DIGITS)

    def timestamp(
        self,
        column: str | None,
        *,
        default_zone: str = "UTC",
        fmt: str | None = None,
        required: bool = False,
        day_first_default: bool = True,
    ) -> pd.Series:
        if column is None:
            return pd.Series([pd.NaT] * len(self.frame), dtype="datetime64[us, UTC]")
        zone = self.options.timezone or default_zone
        try:
            parsing.zone(zone)
        except parsing.ParseError as exc:
            raise FileError(message_of(exc)) from exc
        raw = self.frame[column]
        order = self.options.date_order
        if fmt is None and raw.str.match(r"^\s*\d{1,2}[./-]\d{1,2}[./-]\d{2,4}").any():
            try:
                order = order or parsing.infer_date_order(
                    raw.tolist(), default="dmy" if day_first_default else "mdy"
                )
            except parsing.MixedDateOrder as exc:
                raise FileError(self._mixed_dates(column, exc)) from exc
            except parsing.ParseError as exc:
                raise FileError(_in_column(column, exc)) from exc
        values, bad = parsing.timestamp_column(raw, fmt=fmt, default_zone=zone, order=order)
        if order in ("dmy", "mdy") and bad.any():
            reasons = []
            for text in raw[bad]:
                try:
                    parsing.parse_date(text, order)
                    reasons.append(Text("not a date and time the file's other rows agree with"))
                except parsing.ParseError as exc:
                    reasons.append(message_of(exc))
            self.reject(bad, column, reasons)
        else:
            self.reject(bad, column, Text("not a date and time"))
        if required:
            self.reject(values.isna() & ~bad, column, Text("a date is required"))
        self._warn_unlikely_years(values, column)
        return values

    def _mixed_dates(self, column: str, exc: parsing.MixedDateOrder) -> Text:
        day_line = int(self.lines[exc.day_first])
        month_line = int(self.lines[exc.month_first])
        return Text(
            "%(file)s, column %(column)s: dates mix day-first and month-first order, so "
            "none can be read safely: line %(day_line)s reads %(day_value)s (day "
            "first) but line %(month_line)s reads %(month_value)s (month first). If "
            "one order is right, %(hint)s; the "
            "rows written the other way are then listed as errors",
            file=self.file,
            column=column,
            day_line=str(day_line),
            day_value=exc.day_first_value,
            month_line=str(month_line),
            month_value=exc.month_first_value,
            hint=hint(DATE_ORDER_HINT),
        )

    def _warn_unlikely_years(self, values: pd.Series, column: str) -> None:
        """Dates that read fine but are unlikely: before 1990 or after tomorrow."""
        if not len(values):
            return
        stamps = values.dt.tz_localize(None) if values.dt.tz is not None else values
        tomorrow = pd.Timestamp.now().normalize() + pd.Timedelta(days=2)
        early = (stamps < pd.Timestamp(EARLIEST_PLAUSIBLE_YEAR, 1, 1)).fillna(False)
        late = (stamps >= tomorrow).fillna(False)
        raw = self.frame[column]
        for mask, why in (
            (early, N_("the date %(date)s is before %(year)s; imported as it is, check the year")),
            (late, N_("the date %(date)s is in the future; imported as it is, check the year")),
        ):
            m = mask.to_numpy(dtype=bool)
            if m.any():
                self.warn(
                    m,
                    column,
                    [
                        Text(why, date=str(t).strip(), year=str(EARLIEST_PLAUSIBLE_YEAR))
                        for t in raw[m]
                    ],
                )

    def date(
        self, column: str | None, *, required: bool = True, day_first_default: bool = False
    ) -> pd.Series:
        if column is None:
            return pd.Series([pd.NaT] * len(self.frame), dtype="datetime64[us]")
        raw = self.frame[column].astype(str)
        present = ~raw.str.strip().isin(parsing.MISSING)
        if present.any() and not raw[present].str.match(r"^\s*\d{1,4}[./-]\d").any():
            return self._named_month_dates(column, raw, required)
        try:
            order = self.options.date_order or parsing.infer_date_order(
                raw.tolist(), default="dmy" if day_first_default else "mdy"
            )
        except parsing.MixedDateOrder as exc:
            raise FileError(self._mixed_dates(column, exc)) from exc
        except parsing.ParseError as exc:
            raise FileError(_in_column(column, exc)) from exc
        values, bad, reasons = parsing.date_column(raw, order)
        self.reject(bad, column, reasons)
        if required:
            self.reject(values.isna() & ~bad, column, Text("a date is required"))
        self._warn_unlikely_years(values, column)
        return values

    def _named_month_dates(self, column: str, raw: pd.Series, required: bool) -> pd.Series:
        """``May 18, 2025`` style dates (small report files only)."""
        values, bad, reasons = [], [], []
        for text in raw:
            t = text.strip()
            if t in parsing.MISSING:
                values.append(pd.NaT)
                bad.append(required)
                if required:
                    reasons.append(Text("a date is required"))
                continue
            try:
                values.append(pd.Timestamp(parsing.parse_month_name_date(t)))
                bad.append(False)
            except parsing.ParseError as exc:
                values.append(pd.NaT)
                bad.append(True)
                reasons.append(message_of(exc))
        self.reject(np.array(bad, dtype=bool), column, reasons)
        return pd.Series(values, dtype="datetime64[us]")

    def currency(self, column: str | None, constant: str | None = None) -> pd.Series:
        """ISO 4217 codes per row: from a column, the user's option, or the layout's constant."""
        n = len(self.frame)
        if column is not None:
            s = self.text(column).str.upper()
            fallback = self.options.currency or constant
            if fallback:
                s = s.fillna(fallback.upper())
            ok = s.isin(parsing.currency_codes()) | s.isna()
            self.reject(~ok.to_numpy(dtype=bool), column, Text("not an ISO 4217 currency code"))
            return s.where(ok, None)
        code = self.options.currency or constant
        if not code and not n:  # no rows: nothing is in a currency
            return pd.Series(pd.arrays.ArrowExtensionArray(pa.nulls(0, pa.string())))
        if not code:
            raise FileError(
                Text(
                    "%(file)s does not say its currency; give it with --currency (ISO 4217)",
                    file=self.file,
                )
            )
        try:
            code = parsing.validate_currency(code)
        except parsing.ParseError as exc:
            raise FileError(message_of(exc)) from exc
        return pd.Series(pd.arrays.ArrowExtensionArray(pa.repeat(pa.scalar(code), n)))

    def require(self, values: pd.Series, column: str, what: str) -> None:
        """Reject the rows without ``what`` (a ``Text``: "an order id")."""
        missing = values.isna().to_numpy() & ~self.bad  # a bad cell is reported once
        self.reject(missing, column, Text("%(what)s is required", what=what))


def _in_column(column: str, exc: Exception) -> Text:
    return Text("%(column)s: %(reason)s", column=column, reason=message_of(exc))


def first_matching(columns: Iterable[str], predicate: Callable[[str], bool]) -> str | None:
    for c in columns:
        if predicate(c):
            return c
    return None
