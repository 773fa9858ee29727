"""Read path files in ChannelAttribution's layout.

Columns ``path;total_conversions;total_conversion_value;total_null``; a path is channels
joined by ``>`` (``facebook > email > direct``). ``total_conversion_value`` and
``total_null`` may be left out (then they are 0). Every problem is reported with the
file, the line, the field and the reason.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from tradewinds.attribution.pathtable import PathTable

PATH = "path"
CONVERSIONS = "total_conversions"
VALUE = "total_conversion_value"
NULLS = "total_null"


class PathFileError(ValueError):
    """A path file that cannot be read, with where and why."""

    def __init__(self, file: str, line: int | None, field: str | None, reason: str) -> None:
        self.file, self.line, self.field, self.reason = file, line, field, reason
        where = file
        if line is not None:
            where += f", line {line}"
        if field is not None:
            where += f", field {field!r}"
        super().__init__(f"{where}: {reason}")


def _numbers(frame: pd.DataFrame, column: str, file: str) -> np.ndarray:
    raw = frame[column].str.strip()
    numbers = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(numbers)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        text = raw.iloc[i]
        reason = "is empty" if text == "" else f"{text!r} is not a number"
        raise PathFileError(file, i + 2, column, reason)
    negative = numbers < 0
    if negative.any():
        i = int(np.flatnonzero(negative)[0])
        raise PathFileError(file, i + 2, column, f"{raw.iloc[i]!r} is negative")
    return numbers


def parse_paths(
    paths: pd.Series, *, path_sep: str = ">", file: str = "<paths>", first_line: int = 2
) -> tuple[tuple[str, ...], np.ndarray, np.ndarray]:
    """Split ``a > b > c`` strings into (channel names, offsets, touch codes)."""
    texts = paths.astype(str).tolist()
    lengths = paths.astype(str).str.count(re.escape(path_sep)).to_numpy() + 1
    parts = path_sep.join(texts).split(path_sep)
    codes, uniques = pd.factorize(pd.Series(parts, dtype=object), sort=False)
    stripped = [str(u).strip() for u in uniques]
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    empty = [i for i, name in enumerate(stripped) if name == ""]
    if empty:
        touch = int(np.flatnonzero(np.isin(codes, empty))[0])
        row = int(np.searchsorted(offsets, touch, side="right")) - 1
        reason = (
            "path is empty" if texts[row].strip() == "" else f"empty channel name in {texts[row]!r}"
        )
        raise PathFileError(file, row + first_line, PATH, reason)
    final, names = pd.factorize(pd.Series(stripped, dtype=object), sort=False)
    touches = final[codes].astype(np.int64)
    return tuple(str(n) for n in names), offsets, touches


def _read_fast(file: Path | str, *, sep: str, path_sep: str) -> PathTable | None:
    """Arrow's multithreaded reader for well-formed files; None sends the file to the
    careful reader, which finds and explains the problem."""
    try:
        data = pacsv.read_csv(
            file,
            parse_options=pacsv.ParseOptions(delimiter=sep),
            convert_options=pacsv.ConvertOptions(
                column_types={PATH: pa.string()}, strings_can_be_null=False
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError, UnicodeDecodeError, OSError):
        return None
    data = data.rename_columns([c.strip().lstrip("\ufeff").strip() for c in data.column_names])
    if PATH not in data.column_names or CONVERSIONS not in data.column_names:
        return None
    if data.num_rows == 0 or len(set(data.column_names)) != len(data.column_names):
        return None
    numbers = {}
    for column in (CONVERSIONS, VALUE, NULLS):
        if column not in data.column_names:
            numbers[column] = np.zeros(data.num_rows)
            continue
        col = data.column(column)
        if not (pa.types.is_integer(col.type) or pa.types.is_floating(col.type)):
            return None
        if col.null_count:
            return None
        values = col.to_numpy().astype(float)
        if not np.all(np.isfinite(values)) or np.any(values < 0):
            return None
        numbers[column] = values
    paths = data.column(PATH).combine_chunks()
    if paths.null_count:
        return None
    lists = pc.split_pattern(paths, pattern=path_sep)
    flat = pc.utf8_trim_whitespace(pc.list_flatten(lists))
    if pc.any(pc.equal(flat, "")).as_py():
        return None
    lengths = pc.list_value_length(lists).to_numpy(zero_copy_only=False).astype(np.int64)
    encoded = pc.dictionary_encode(flat)
    return PathTable(
        channels=tuple(encoded.dictionary.to_pylist()),
        offsets=np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64),
        touches=encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64),
        conversions=numbers[CONVERSIONS],
        value=numbers[VALUE],
        nulls=numbers[NULLS],
    )


def read_path_file(file: Path | str, *, sep: str = ";", path_sep: str = ">") -> PathTable:
    """Read a ChannelAttribution-style path file into a :class:`PathTable`."""
    name = str(file)
    if not Path(file).is_file():
        raise PathFileError(name, None, None, "no such file")
    fast = _read_fast(file, sep=sep, path_sep=path_sep)
    if fast is not None:
        return fast
    try:
        frame = pd.read_csv(
            file,
            sep=sep,
            dtype=str,
            keep_default_na=False,
            quoting=csv.QUOTE_MINIMAL,
            engine="c",
            header=None,
        )
    except pd.errors.EmptyDataError:
        raise PathFileError(name, 1, None, "the file is empty") from None
    except pd.errors.ParserError as exc:
        match = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(exc))
        if match:
            expected, line, saw = (int(g) for g in match.groups())
            reason = f"wrong number of fields: the header has {expected}, this line {saw}"
            raise PathFileError(name, line, None, reason) from None
        raise PathFileError(name, None, None, f"not a {sep!r}-separated file ({exc})") from None
    except UnicodeDecodeError as exc:
        raise PathFileError(name, None, None, f"not UTF-8 text ({exc.reason})") from None
    header = [str(c).strip().lstrip("\ufeff").strip() for c in frame.iloc[0]]
    frame = frame.iloc[1:].reset_index(drop=True)
    frame.columns = header
    missing = frame.isna().to_numpy()
    if missing.any():
        row, col = (int(v[0]) for v in np.nonzero(missing))
        reason = f"missing field: the line has fewer than {len(header)} fields"
        raise PathFileError(name, row + 2, header[col], reason)
    for column in (PATH, CONVERSIONS):
        if column not in frame.columns:
            found = ", ".join(frame.columns)
            raise PathFileError(
                name,
                1,
                column,
                f"missing column (found: {found}); is the field separator {sep!r} right?",
            )
    if frame.empty:
        raise PathFileError(name, 2, None, "the file has a header but no paths")
    conversions = _numbers(frame, CONVERSIONS, name)
    value = _numbers(frame, VALUE, name) if VALUE in frame.columns else np.zeros(len(frame))
    nulls = _numbers(frame, NULLS, name) if NULLS in frame.columns else np.zeros(len(frame))
    channels, offsets, touches = parse_paths(frame[PATH], path_sep=path_sep, file=name)
    return PathTable(
        channels=channels,
        offsets=offsets,
        touches=touches,
        conversions=conversions,
        value=value,
        nulls=nulls,
    )
