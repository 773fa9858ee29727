"""Opening export files: compression, encodings, delimiters, spreadsheets, header lines."""

from __future__ import annotations

import csv
import io
import zipfile
import zlib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import NoReturn

import numpy as np
import pandas as pd

from tradewinds.i18n_markers import Text
from tradewinds.ingest.files import encodings
from tradewinds.ingest.files.read_errors import check_text, explain
from tradewinds.ingest.limits import (
    check_workbook,
    limits,
    read_gzip,
    size_text,
    zip_member_bytes,
)
from tradewinds.ingest.spec import FileError

_TEXT_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm")


@dataclass
class RawFile:
    """A file as uploaded: maybe gzip- or zip-compressed, maybe a spreadsheet."""

    path: Path
    display_name: str = ""

    def __post_init__(self) -> None:
        self.path = Path(self.path)
        if not self.display_name:
            self.display_name = self.path.name
        if not self.path.is_file():
            raise FileError(Text("%(path)s does not exist or is not a file", path=str(self.path)))

    @cached_property
    def inner_name(self) -> str:
        """The name of the data inside (``orders.csv`` for ``orders.csv.gz``)."""
        name = self.path.name
        if name.lower().endswith(".gz"):
            return name[:-3]
        if name.lower().endswith(".zip"):
            return self._zip_member()
        return name

    def _zip_member(self) -> str:
        try:
            with zipfile.ZipFile(self.path) as zf:
                members = [n for n in zf.namelist() if not n.endswith("/")]
        except zipfile.BadZipFile as exc:
            raise FileError(
                Text("%(name)s is not a readable zip file", name=self.display_name)
            ) from exc
        data = [n for n in members if n.lower().endswith(_TEXT_SUFFIXES)] or members
        if len(data) != 1:
            raise FileError(
                Text(
                    "%(name)s holds %(count)s files; zip exactly one export per file",
                    name=self.display_name,
                    count=len(data),
                )
            )
        return data[0]

    @cached_property
    def data(self) -> bytes:
        """The decompressed bytes."""
        lower = self.path.name.lower()
        try:
            if lower.endswith(".gz"):
                return read_gzip(self.path, self.display_name)
            if lower.endswith(".zip"):
                with zipfile.ZipFile(self.path) as zf:
                    return zip_member_bytes(zf, self.inner_name, self.display_name)
            return self.path.read_bytes()
        except zipfile.BadZipFile as exc:
            raise FileError(
                Text(
                    "%(name)s cannot be read: it is damaged, or does not "
                    "hold what its directory says (%(detail)s)",
                    name=self.display_name,
                    detail=str(exc),
                )
            ) from exc
        except (OSError, EOFError, zlib.error) as exc:
            raise FileError(
                Text("%(name)s cannot be read: %(detail)s", name=self.display_name, detail=str(exc))
            ) from exc

    @property
    def is_spreadsheet(self) -> bool:
        return self.data[:2] == b"PK" and self.inner_name.lower().endswith((".xlsx", ".xlsm"))

    @cached_property
    def utf16(self) -> str | None:
        """``utf-16`` (with a byte-order mark), ``utf-16-le``/``-be`` (without), or None."""
        data = self.data
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return "utf-16"
        head = data[:4096]
        if len(head) >= 8:
            even, odd = head[0::2].count(0), head[1::2].count(0)
            if odd > 0.4 * len(head) / 2 and even == 0:
                return "utf-16-le"
            if even > 0.4 * len(head) / 2 and odd == 0:
                return "utf-16-be"
        return None

    def check_text(self) -> None:
        """Refuse an empty file, or one that is not text (a CSV reader would only choke)."""
        if self.utf16 is None:
            check_text(self.data, self.display_name)
        elif not self.text.lstrip("\ufeff").strip():
            check_text(b"", self.display_name)

    @cached_property
    def text(self) -> str:
        data = self.data
        if self.utf16 is not None:
            try:
                return data.decode(self.utf16)
            except UnicodeDecodeError as exc:
                raise explain(exc, self.display_name) from exc
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return encodings.decode(data, self.legacy_encoding)

    @cached_property
    def legacy_encoding(self) -> str:
        """The encoding of a file that is neither UTF-8 nor UTF-16 (``encodings.py``)."""
        return encodings.legacy_encoding(self.data)

    @cached_property
    def head_text(self) -> str:
        """The first 64 KiB as text (enough for detection and header lines)."""
        data = self.data[:65536]
        if self.utf16 is not None:
            return self.text[:65536]
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            if exc.start > len(data) - 4:  # a character cut at the 64 KiB boundary
                try:
                    return data[: exc.start].decode("utf-8-sig")
                except UnicodeDecodeError:
                    pass
            return encodings.decode_head(self.data, self.legacy_encoding, 65536)

    @cached_property
    def sheet_rows(self) -> list[list[str]]:
        """All rows of the first worksheet as strings (spreadsheets only)."""
        from openpyxl import load_workbook

        check_workbook(self.data, self.display_name)
        try:
            wb = load_workbook(io.BytesIO(self.data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise explain(exc, self.display_name) from exc
        ws = wb.worksheets[0]
        rows = [[_cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
        wb.close()
        while rows and not any(rows[-1]):
            rows.pop()
        return rows


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat(sep=" ") if hasattr(value, "hour") else value.isoformat()
    return str(value)


@dataclass
class Sample:
    """The first rows of a file, split into cells, for format detection."""

    raw: RawFile
    rows: list[list[str]] = field(default_factory=list)
    delimiter: str = ","

    @classmethod
    def of(cls, raw: RawFile, n: int = 12) -> Sample:
        if raw.is_spreadsheet:
            return cls(raw, raw.sheet_rows[:n], "xlsx")
        raw.check_text()
        lines = raw.head_text.splitlines()[:n]
        try:
            delimiter = sniff_delimiter(lines)
            rows = list(csv.reader(lines, delimiter=delimiter))
        except csv.Error as exc:
            raise explain(exc, raw.display_name) from exc
        return cls(raw, rows, delimiter)


def sniff_delimiter(lines: list[str]) -> str:
    """Tab, semicolon or comma: the one that splits the header-like lines most consistently."""
    best, best_score = ",", -1.0
    for d in ("\t", ";", ","):
        counts = [len(next(csv.reader([ln], delimiter=d))) for ln in lines if ln.strip()]
        if not counts:
            continue
        widest = max(counts)
        if widest < 2:
            continue
        score = widest + sum(c == widest for c in counts) / len(counts)
        if score > best_score:
            best, best_score = d, score
    return best


def norm(name: str) -> str:
    """Header cell -> comparable key: ``' 7 Day Total Sales '`` -> ``'7 day total sales'``."""
    return " ".join(str(name).replace("\ufeff", "").strip().lower().split())


def header_score(sample: Sample, signature: set[str], *, max_row: int = 5) -> tuple[float, int]:
    """Share of ``signature`` names found in the best of the first rows, and that row's index."""
    best, best_row = 0.0, -1
    for i, row in enumerate(sample.rows[:max_row]):
        names = {norm(c) for c in row}
        share = len(signature & names) / len(signature)
        if share > best:
            best, best_row = share, i
    return best, best_row


def read_table(raw: RawFile, *, header_row: int = 0, delimiter: str | None = None) -> pd.DataFrame:
    """All cells as strings (empty string for empty cells), header taken from ``header_row``.

    The returned frame has a ``__line__`` column: the 1-based line number of each row in the
    file, as a spreadsheet shows it, for error reports.
    """
    if raw.is_spreadsheet:
        rows = raw.sheet_rows
        if header_row >= len(rows):
            raise FileError(
                Text(
                    "%(name)s, line %(line)s: the first worksheet "
                    "has no header line there, so there is nothing to import",
                    name=raw.display_name,
                    line=str(header_row + 1),
                )
            )
        header = [str(c).strip() for c in rows[header_row]]
        body = [r + [""] * (len(header) - len(r)) for r in rows[header_row + 1 :]]
        frame = pd.DataFrame([r[: len(header)] for r in body], columns=_unique(header), dtype=str)
        frame["__line__"] = range(header_row + 2, header_row + 2 + len(frame))
        return frame
    raw.check_text()
    check_line_lengths(raw.data, raw.display_name, limits().max_line_bytes)
    head = raw.head_text.splitlines()
    if delimiter is None:
        delimiter = sniff_delimiter(head[header_row : header_row + 10])
    fast = _read_with_arrow(raw, header_row, delimiter, head)
    if fast is not None:
        return fast
    text = raw.text
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skiprows=header_row,
            skip_blank_lines=False,
            quoting=csv.QUOTE_MINIMAL,
            engine="c",
            on_bad_lines="error",
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError, csv.Error) as exc:
        raise explain(exc, raw.display_name, header_line=header_row + 1) from exc
    frame.columns = _unique([str(c) for c in frame.columns])
    frame["__line__"] = range(header_row + 2, header_row + 2 + len(frame))
    blank = (frame.drop(columns="__line__") == "").all(axis=1)
    return frame[~blank].reset_index(drop=True)


_BLOCK = 64 * 1024 * 1024


def check_line_lengths(data: bytes, name: str, limit: int) -> None:
    """Refuse a text file with a line longer than ``limit`` bytes, naming the first one.

    Exports have lines of a few hundred bytes; a line of many megabytes is a file that is not
    an export (or has lost its line breaks) and would only exhaust the readers.
    """
    if len(data) <= limit:
        return
    arr = np.frombuffer(data, dtype=np.uint8)
    end_of_previous, line = -1, 1
    for start in range(0, len(arr), _BLOCK):
        breaks = np.flatnonzero(arr[start : start + _BLOCK] == 10) + start
        if len(breaks):
            lengths = np.diff(np.concatenate(([end_of_previous], breaks))) - 1
            over = np.flatnonzero(lengths > limit)
            if over.size:
                _long_line(name, line + int(over[0]), int(lengths[over[0]]), limit)
            line += len(breaks)
            end_of_previous = int(breaks[-1])
        elif min(start + _BLOCK, len(arr)) - end_of_previous - 1 > limit:
            end = data.find(b"\n", end_of_previous + 1)
            _long_line(name, line, (len(data) if end < 0 else end) - end_of_previous - 1, limit)
    tail = len(arr) - end_of_previous - 1
    if tail > limit:
        _long_line(name, line, tail, limit)


def _long_line(name: str, line: int, length: int, limit: int) -> NoReturn:
    raise FileError(
        Text(
            "%(name)s: line %(line)s is %(size)s long, more than the "
            "%(limit)s one row may hold; this does not look like an export "
            "(check that it is the right file and that its lines are not run together)",
            name=name,
            line=line,
            size=size_text(length),
            limit=size_text(limit),
        )
    )


def _read_with_arrow(
    raw: RawFile, header_row: int, delimiter: str, head: list[str]
) -> pd.DataFrame | None:
    """Arrow's multi-threaded CSV reader (every cell a string); None when it cannot cope."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    if header_row >= len(head):
        return None
    names = _unique([str(c) for c in next(csv.reader([head[header_row]], delimiter=delimiter))])
    data = raw.data
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if raw.utf16 is not None:  # UTF-16 without a byte-order mark is valid UTF-8 too
        data = raw.text.lstrip("\ufeff").encode("utf-8")
    else:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            data = raw.text.encode("utf-8")
    try:
        table = pacsv.read_csv(
            io.BytesIO(data),
            read_options=pacsv.ReadOptions(
                skip_rows=header_row + 1, column_names=names, block_size=1 << 23, use_threads=False
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter, newlines_in_values=True, ignore_empty_lines=True
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError, UnicodeDecodeError):
        return None
    frame = table.to_pandas(types_mapper=pd.ArrowDtype)
    frame["__line__"] = range(header_row + 2, header_row + 2 + len(frame))
    return frame


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for n in names:
        if n in seen:
            seen[n] += 1
            out.append(f"{n}.{seen[n]}")
        else:
            seen[n] = 0
            out.append(n)
    return out


def find_column(frame: pd.DataFrame, *candidates: str) -> str | None:
    """The frame's column matching one of the candidate names (compared with :func:`norm`)."""
    by_norm = {norm(c): c for c in frame.columns}
    for cand in candidates:
        hit = by_norm.get(norm(cand))
        if hit is not None:
            return hit
    return None
