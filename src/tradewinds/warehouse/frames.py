"""Turn what callers hand to ``Warehouse.load`` into a frame shaped like the target table.

Whatever the caller gives (dicts, a DataFrame with extra or missing columns, ``Decimal``
objects, aware or naive datetimes, dicts for JSON columns), the result has exactly the
table's columns in order, with:

* money as exact text (``Decimal`` -> ``'12.3400'``) or floats, cast to DECIMAL by the backend;
* timestamps as naive UTC (aware values converted, naive values taken as UTC);
* JSON values serialised to text;
* missing text parts of the primary key as ``''``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pandas as pd

from tradewinds.warehouse.errors import WarehouseError
from tradewinds.warehouse.schema import Table


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def _to_json_text(value: Any) -> Any:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, float) and pd.isna(value):
        return None
    return json.dumps(value, ensure_ascii=False, default=_json_default, separators=(",", ":"))


def _decimal_text(value: Any) -> Any:
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise WarehouseError(f"not a finite amount: {value}")
        return format(value, "f")
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    return value if isinstance(value, str) else str(value)


def _utc_naive(series: pd.Series) -> pd.Series:
    if isinstance(series.dtype, pd.DatetimeTZDtype):
        return series.dt.tz_convert("UTC").dt.tz_localize(None)
    if pd.api.types.is_datetime64_dtype(series.dtype):
        return series
    converted = pd.to_datetime(series, utc=True, format="mixed")
    return converted.dt.tz_localize(None)


def to_frame(data: Iterable[dict[str, Any]] | pd.DataFrame) -> pd.DataFrame:
    if isinstance(data, pd.DataFrame):
        return data
    records = data if isinstance(data, list) else list(data)
    return pd.DataFrame.from_records(records) if records else pd.DataFrame()


def prepare(table: Table, data: Iterable[dict[str, Any]] | pd.DataFrame) -> pd.DataFrame:
    """A new frame with exactly ``table``'s columns, ready for staging."""
    frame = to_frame(data)
    unknown = [c for c in frame.columns if c not in table.column_names]
    if unknown:
        raise WarehouseError(
            f"table {table.name!r} has no column(s) {', '.join(map(str, unknown))}"
        )
    missing_keys = [k for k in table.primary_key if k not in frame.columns]
    if missing_keys and len(frame):
        key_types = {table.column(k).type for k in missing_keys}
        if key_types != {"string"}:
            raise WarehouseError(
                f"rows for {table.name!r} lack primary-key column(s) {', '.join(missing_keys)}"
            )
    n = len(frame)
    out: dict[str, Any] = {}
    for column in table.columns:
        if column.name not in frame.columns:
            out[column.name] = ("" if column.name in table.primary_key else None) if n else []
            continue
        series = frame[column.name]
        if column.type == "decimal" and series.dtype == object:
            series = series.map(_decimal_text, na_action=None)
        elif column.type == "timestamp" and n:
            try:
                series = _utc_naive(series)
            except (ValueError, TypeError) as exc:
                raise WarehouseError(
                    f"{table.name}.{column.name}: not a timestamp ({exc})"
                ) from exc
        elif column.type == "int" and pd.api.types.is_float_dtype(series.dtype):
            # integers with gaps arrive as floats (1.0, NaN): back to nullable integers
            series = series.round().astype("Int64")
        elif column.type == "json" and n:
            series = series.map(_to_json_text).astype(object)
        if column.name in table.primary_key and column.type == "string" and n:
            series = series.astype(object).where(series.notna(), "")
        out[column.name] = (
            series.reset_index(drop=True) if isinstance(series, pd.Series) else series
        )
    if not n:
        return pd.DataFrame({c.name: pd.Series([], dtype=object) for c in table.columns})
    return pd.DataFrame(out, columns=list(table.column_names))
