"""What the CSV and spreadsheet readers' exceptions mean, in a seller's words.

pandas, pyarrow, the ``csv`` module and openpyxl describe a broken table in their own terms
("Error tokenizing data. C error: Expected 1 fields in line 3, saw 11"). :func:`explain`
turns each into a :class:`FileError` that names the file, the line and the column where it
can, and says what is wrong with the table; the original message goes to the log only.
:func:`check_text` refuses files that are empty or are not text at all before any reader
sees them.
"""

from __future__ import annotations

import csv
import logging
import re
import zipfile

from tradewinds.i18n_markers import N_, Plural, Text
from tradewinds.ingest.spec import FileError

log = logging.getLogger("tradewinds.imports")

#: control characters other than tab, line feed, form feed and carriage return
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 12, 13))
_SIGNATURES = {
    b"PK": N_("a zip archive or an XLSX workbook"),
    b"\x1f\x8b": N_("a gzip-compressed file"),
    b"%PDF": N_("a PDF document"),
    b"\xd0\xcf\x11\xe0": N_("an old Excel (XLS) workbook"),
    b"\x89PNG": N_("a PNG image"),
    b"\xff\xd8\xff": N_("a JPEG image"),
}


def check_text(data: bytes, name: str) -> None:
    """Refuse an empty file, and one whose bytes are not text (a binary under a .csv name)."""
    if not data.strip():
        raise FileError(
            Text(
                "%(name)s is empty: it has no header and no rows, so there is nothing "
                "to import (check that the download finished)",
                name=name,
            )
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return  # UTF-16 with its byte-order mark
    for magic, what in _SIGNATURES.items():
        if data.startswith(magic):
            raise FileError(
                Text(
                    "%(name)s, line 1: this is %(what)s, not a CSV table; export the "
                    "report as CSV (or upload the workbook with an .xlsx name)",
                    name=name,
                    what=Text(what),
                )
            )
    head = data[:8192]
    control = sum(head.count(bytes([b])) for b in _CONTROL)
    if control > max(2, len(head) // 100):
        line = head[: next(i for i, b in enumerate(head) if b in _CONTROL)].count(b"\n") + 1
        raise FileError(
            Text(
                "%(name)s, line %(line)s: the file holds binary data, not text, so it "
                "is not a CSV export (is it the right file, or a different format "
                "saved with a .csv name?)",
                name=name,
                line=line,
            )
        )


_FIELDS = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")
_ARROW_FIELDS = re.compile(r"Expected (\d+) columns?, got (\d+)")
_EOF_QUOTE = re.compile(r"EOF inside string starting (?:at|with) (?:row|line) (\d+)")


def explain(exc: BaseException, name: str, *, header_line: int = 1) -> FileError:
    """A FileError in plain words for an exception a table reader raised on file ``name``.

    ``header_line`` is the 1-based line of the header row, for readers that count from it.
    """
    log.info("reading %s: %s: %s", name, type(exc).__name__, exc)
    text = str(exc)
    if m := _FIELDS.search(text):
        expected, line, found = (int(g) for g in m.groups())
        return FileError(_width(name, line, expected, found))
    if m := _ARROW_FIELDS.search(text):
        expected, found = (int(g) for g in m.groups())
        return FileError(
            Plural(
                "%(name)s: a row has %(num)s column where the header "
                "(line %(header_line)s) has %(expected)s; the rows do not fit the header",
                "%(name)s: a row has %(num)s columns where the header "
                "(line %(header_line)s) has %(expected)s; the rows do not fit the header",
                found,
                name=name,
                header_line=str(header_line),
                expected=str(expected),
            )
        )
    if m := _EOF_QUOTE.search(text):
        line = int(m.group(1)) + 1  # pandas counts rows from 0, skipped lines included
        return FileError(
            Text(
                '%(name)s, line %(line)s: a quoted cell is never closed (a " with no '
                'closing "), so the rest of the file would be read as one cell; '
                "check that the file was not cut off or edited by hand",
                name=name,
                line=line,
            )
        )
    if type(exc).__name__ == "EmptyDataError" or "No columns to parse" in text:
        return FileError(
            Text(
                "%(name)s, line %(line)s: there is no header line, so there is nothing to import",
                name=name,
                line=str(header_line),
            )
        )
    if isinstance(exc, UnicodeDecodeError):
        return FileError(
            Text(
                "%(name)s: byte %(byte)s is not valid text in any encoding "
                "Tradewinds reads (UTF-8, UTF-16, Windows-1252, Shift_JIS, GB18030, Big5, "
                "EUC-KR); save the file as UTF-8 CSV",
                name=name,
                byte=exc.start,
            )
        )
    if isinstance(exc, csv.Error):
        return FileError(
            Text(
                "%(name)s: the table cannot be split into cells (%(reason)s)",
                name=name,
                reason=_csv_reason(text),
            )
        )
    if isinstance(exc, zipfile.BadZipFile | KeyError) or "openpyxl" in type(exc).__module__:
        return FileError(
            Text(
                "%(name)s is not a readable XLSX workbook: it is damaged or was saved "
                "by a program that writes it differently; open it and save it again "
                "as .xlsx or as CSV",
                name=name,
            )
        )
    return FileError(
        Text(
            "%(name)s cannot be read as a table: its rows and columns do not line up; "
            "check that it is the export itself and not edited by hand",
            name=name,
        )
    )


def _width(name: str, line: int, expected: int, found: int) -> Text:
    if found > expected:
        return Plural(
            "%(name)s, line %(line)s: expected %(num)s column, found %(found)s (from column "
            "%(next)s on, the row has more cells than the header line)",
            "%(name)s, line %(line)s: expected %(num)s columns, found %(found)s (from column "
            "%(next)s on, the row has more cells than the header line)",
            expected,
            name=name,
            line=line,
            found=found,
            next=expected + 1,
        )
    return Plural(
        "%(name)s, line %(line)s: expected %(num)s column, found %(found)s",
        "%(name)s, line %(line)s: expected %(num)s columns, found %(found)s",
        expected,
        name=name,
        line=line,
        found=found,
    )


def _csv_reason(text: str) -> Text:
    if "NUL" in text or "\\x00" in text:
        return Text("it contains NUL bytes, so it is not a text table")
    if "field larger than field limit" in text:
        return Text("one cell is far larger than any export writes")
    return Text("a quote or delimiter is out of place")
