"""The Source/Stream contract every file format and live connector implements.

Shaped like a Singer tap: a *source* (one file, one API account) offers *streams*; each
stream names the canonical warehouse table it fills (see ``warehouse/schema.py``), its
primary key, an optional cursor for incremental reads, and ``read()``.

``read()`` yields, in any mix:

* ``dict`` rows keyed by canonical column names (money as ``Decimal``, timestamps as
  timezone-aware UTC ``datetime``, dates as ``date``);
* ``pandas.DataFrame`` batches with exactly the canonical columns and the dtypes given by
  :func:`canonical_dtype` (fast path for large files);
* :class:`RowError` values for input that could not be used. Errors are data, not
  exceptions: a bad row never stops the good ones.

A source also reports how many input rows it read (``rows_read``) so an import can say
``read = imported + duplicates + rejected``.
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any, ClassVar

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from tradewinds.i18n_markers import Text
from tradewinds.warehouse.schema import TABLES, Column, Table

#: digits kept after the decimal point for money (the warehouse stores DECIMAL(18,4))
DECIMAL_SCALE = 4
DECIMAL_PRECISION = 18
DECIMAL_TYPE = pa.decimal128(DECIMAL_PRECISION, DECIMAL_SCALE)


@dataclass(frozen=True)
class RowError:
    """One unusable input value: where it is and why it was rejected.

    ``row`` is the 1-based line number in the file as a spreadsheet shows it (the header
    line included), or ``None`` for a problem with the whole file.
    """

    file: str
    row: int | None
    field: str | None
    value: str | None
    #: the English reason; a ``Text`` (translatable) where the reader wrote one
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def __str__(self) -> str:
        where = self.file if self.row is None else f"{self.file}:{self.row}"
        what = f" column {self.field!r}" if self.field else ""
        value = f" value {self.value!r}" if self.value is not None else ""
        return f"{where}{what}{value}: {self.reason}"


class FileError(Exception):
    """The file as a whole cannot be read (unknown format, unreadable, wrong layout).

    Its message is a :class:`~tradewinds.i18n_markers.Text`: ``str(exc)`` is the English
    sentence (logs, CSV, JSON, ``--json``); :attr:`message` keeps the message id and values
    so the pages, the API and the CLI show it in their reader's language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)

    @property
    def message(self) -> str:
        """The reason: a ``Text`` where the reader wrote one, else the plain string."""
        return message_of(self)


def message_of(exc: BaseException) -> str:
    """An exception's message as it was raised: the ``Text`` itself when it is one (so it
    stays translatable), else ``str(exc)``."""
    first = exc.args[0] if len(exc.args) == 1 else None
    return first if isinstance(first, Text) else str(exc)


Item = dict[str, Any] | pd.DataFrame | RowError


@dataclass
class Stream:
    """One kind of record a source produces, bound for one canonical table."""

    name: str
    table: Table
    read_items: Any = field(repr=False, default=None)  # Callable[[], Iterable[Item]]
    cursor: str | None = None

    @property
    def primary_key(self) -> tuple[str, ...]:
        return self.table.primary_key

    @property
    def schema(self) -> tuple[Column, ...]:
        return self.table.columns

    def read(self) -> Iterator[Item]:
        if self.read_items is None:
            return iter(())
        return iter(self.read_items())


class Source(ABC):
    """A file or an API account that offers streams of canonical records.

    The load pipeline (``ingest/pipeline.py``) reads what a source declares on its class:
    ``origin`` names the kind of source in the "rows changed" event (``file``,
    ``connector``, ``events``), and ``read_before_load`` says whether every stream is read
    before the warehouse transaction opens (live connectors: their reads are requests).
    """

    #: short identifier, e.g. ``google_ads`` or ``shopify_orders``
    name: str = ""
    origin: ClassVar[str] = "file"
    read_before_load: ClassVar[bool] = False

    @abstractmethod
    def streams(self) -> list[Stream]:
        """The streams this source offers, in load order (parents before children)."""

    @property
    def rows_read(self) -> int:
        """Input rows read so far (data rows; headers, titles and total lines excluded)."""
        return 0

    def errors(self) -> list[RowError]:
        """Row errors found while reading (each reported once for the whole source)."""
        return []


# ---------------------------------------------------------------- canonical columns


def canonical_dtype(column: Column) -> Any:
    """The pandas dtype a canonical column has in a DataFrame batch."""
    return {
        "string": pd.ArrowDtype(pa.string()),
        "int": "Int64",
        "decimal": pd.ArrowDtype(DECIMAL_TYPE),
        "double": "float64",
        "bool": "boolean",
        "date": pd.ArrowDtype(pa.date32()),
        "timestamp": "datetime64[us, UTC]",
        "json": "object",
    }[column.type]


def empty_frame(table: Table) -> pd.DataFrame:
    return pd.DataFrame({c.name: pd.Series([], dtype=canonical_dtype(c)) for c in table.columns})


def frame_from_rows(table: Table, rows: Iterable[dict[str, Any]]) -> pd.DataFrame:
    """Canonical DataFrame from dict rows (missing columns become nulls)."""
    rows = list(rows)
    data: dict[str, pd.Series] = {}
    for col in table.columns:
        values = [r.get(col.name) for r in rows]
        data[col.name] = series_for(col, values)
    return pd.DataFrame(data)


def series_for(column: Column, values: list[Any]) -> pd.Series:
    dtype = canonical_dtype(column)
    if column.type == "decimal":
        arr = pa.array(
            [None if v is None else Decimal(v) for v in values], type=pa.decimal128(38, 12)
        ).cast(DECIMAL_TYPE)
        return pd.Series(pd.arrays.ArrowExtensionArray(arr), dtype=dtype)
    if column.type == "date":
        return pd.Series(pd.arrays.ArrowExtensionArray(pa.array(values, type=pa.date32())))
    if column.type == "timestamp":
        return pd.Series(pd.to_datetime(pd.Series(values, dtype="object"), utc=True)).astype(dtype)
    if column.type == "string":
        try:
            arr = pa.array(values, type=pa.string(), from_pandas=True)
            return pd.Series(pd.arrays.ArrowExtensionArray(arr))
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            pass
        texts = [None if v is None or _isna(v) else str(v) for v in values]
        return pd.Series(pd.arrays.ArrowExtensionArray(pa.array(texts, type=pa.string())))
    return pd.Series(values, dtype=dtype)


def conform(table: Table, frame: pd.DataFrame) -> pd.DataFrame:
    """Reorder to the table's columns, add missing ones as nulls, cast to canonical dtypes."""
    n = len(frame)
    out: dict[str, Any] = {}
    for col in table.columns:
        dtype = canonical_dtype(col)
        if col.name not in frame.columns:
            out[col.name] = series_for(col, [None] * n)
            continue
        s = frame[col.name].reset_index(drop=True)
        if col.type == "json":
            s = s.astype("object")
            s = s.where(s.notna(), None)
        elif col.type == "string" and isinstance(s.dtype, pd.ArrowDtype):
            if s.dtype != dtype:
                s = pd.Series(
                    pd.arrays.ArrowExtensionArray(pc.cast(s.array._pa_array, pa.string()))
                )  # noqa: SLF001
        elif str(s.dtype) != str(dtype):
            s = (
                series_for(col, s.tolist())
                if col.type in ("decimal", "date", "string")
                else s.astype(dtype)
            )
        out[col.name] = s
    return pd.DataFrame(out)


def rows_from_frame(frame: pd.DataFrame) -> Iterator[dict[str, Any]]:
    """Dict rows with Python values (Decimal, datetime, date, None) from a canonical batch."""
    columns = list(frame.columns)
    converted = []
    for name in columns:
        s = frame[name]
        if isinstance(s.dtype, pd.ArrowDtype):
            converted.append(s.array._pa_array.to_pylist())  # noqa: SLF001
        elif str(s.dtype).startswith("datetime64"):
            converted.append([None if pd.isna(v) else v.to_pydatetime() for v in s])
        else:
            converted.append([None if _isna(v) else _py(v) for v in s])
    for values in zip(*converted, strict=True):
        yield dict(zip(columns, values, strict=True))


def _isna(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _py(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


def check_row(table: Table, row: dict[str, Any]) -> list[str]:
    """Problems with a dict row against the canonical table (empty when it conforms)."""
    problems = []
    for name in row:
        if name not in table.column_names:
            problems.append(f"unknown column {name!r}")
    for col in table.columns:
        value = row.get(col.name)
        if value is None:
            if not col.nullable:
                problems.append(f"{col.name} is required")
            continue
        expected = {
            "string": str,
            "int": int,
            "decimal": Decimal,
            "double": float,
            "bool": bool,
            "date": dt.date,
            "timestamp": dt.datetime,
            "json": (dict, list, str),
        }[col.type]
        if not isinstance(value, expected) or (col.type == "int" and isinstance(value, bool)):
            problems.append(f"{col.name} should be {col.type}, got {type(value).__name__}")
        if col.type == "timestamp" and isinstance(value, dt.datetime) and value.tzinfo is None:
            problems.append(f"{col.name} has no time zone")
    return problems


def table(name: str) -> Table:
    return TABLES[name]
