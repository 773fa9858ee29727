"""Importing export files into a workspace's warehouse.

``import_file`` reads a file with its format (detected from the header unless given), and
hands every canonical table it produces to the load pipeline (``ingest/pipeline.py``),
which commits them in one warehouse transaction: a file is imported completely or not at
all, so a killed import leaves nothing behind. Rows merge by primary key with each table's
declared policy, and the keys come from the file's own identifiers (order numbers,
campaign and day), so importing the same file twice — or two files whose date ranges
overlap — changes nothing the second time.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tradewinds.i18n_markers import Percent, Text
from tradewinds.ingest.files.base import FileFormat, ImportOptions
from tradewinds.ingest.files.reading import RawFile
from tradewinds.ingest.files.registry import MIN_SCORE, detect, from_mapping, get_format, scores
from tradewinds.ingest.pipeline import run
from tradewinds.ingest.spec import FileError, RowError
from tradewinds.warehouse.backend import Warehouse

#: import nothing when more than this share of a file's rows is rejected
DEFAULT_MAX_REJECTED_SHARE = 0.1

Progress = Callable[[str, int, int], None]
log = logging.getLogger("tradewinds.imports")


@dataclass
class TableCounts:
    inserted: int = 0
    updated: int = 0
    duplicates: int = 0


@dataclass
class ImportReport:
    """What happened to one file.

    ``read`` counts the file's data rows (headers, title and total lines excluded);
    ``imported`` and ``duplicates`` count rows of the format's line-level table
    (order lines, ad-spend rows) that were written or were already stored unchanged;
    ``rejected`` counts input rows left out because of errors; ``warnings`` are rows
    imported as they are but worth a look (a negative quantity that is not a return, a
    date in 2099), with their row numbers.
    """

    file: str
    format: str
    read: int = 0
    imported: int = 0
    duplicates: int = 0
    rejected: int = 0
    errors: list[RowError] = field(default_factory=list)
    tables: dict[str, TableCounts] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    aborted: bool = False
    warnings: list[RowError] = field(default_factory=list)

    @property
    def status(self) -> str:
        """``aborted`` (too many bad rows: nothing imported), ``no_rows`` (a header and
        nothing under it: a warning, not a success) or ``done``."""
        if self.aborted:
            return "aborted"
        return "no_rows" if self.read == 0 else "done"

    def to_dict(self, *, max_errors: int | None = None) -> dict[str, Any]:
        errors = self.errors if max_errors is None else self.errors[:max_errors]
        warnings = self.warnings if max_errors is None else self.warnings[:max_errors]
        return {
            "file": self.file,
            "format": self.format,
            "read": self.read,
            "imported": self.imported,
            "duplicates": self.duplicates,
            "rejected": self.rejected,
            "errors": [e.to_dict() for e in errors],
            "errors_total": len(self.errors),
            "warnings": [w.to_dict() for w in warnings],
            "warnings_total": len(self.warnings),
            "tables": {k: vars(v) for k, v in self.tables.items()},
            "notes": self.notes,
            "aborted": self.aborted,
            "status": self.status,
        }


def resolve_format(
    raw: RawFile, *, format: str | None = None, mapping: Path | None = None
) -> FileFormat:
    if mapping is not None:
        return from_mapping(mapping)
    if format:
        return get_format(format)
    return detect(raw)


def _article(label: str) -> Text:
    if label.endswith("s"):  # "UCI Online Retail invoice lines"
        return Text("%(kind)s", kind=label)
    if label[:1].lower() in "aeio":
        return Text("an %(kind)s", kind=label)
    return Text("a %(kind)s", kind=label)


def _kind(fmt: FileFormat) -> str:
    """``'Google Ads report (CSV …)'`` -> ``'Google Ads report'``."""
    return fmt.label.split(" (")[0]


def _header_line(raw: RawFile) -> int:
    """The 1-based line that looks like a header: the first with more than one cell."""
    from tradewinds.ingest.files.reading import Sample

    rows = Sample.of(raw).rows
    return next((i + 1 for i, row in enumerate(rows) if sum(bool(c.strip()) for c in row) > 1), 1)


def wrong_format(raw: RawFile, fmt: FileFormat) -> Text | None:
    """Why ``raw`` is not ``fmt`` when its header says so, naming what it looks like."""
    ranked = scores(raw)
    own = next(score for score, f in ranked if f is fmt)
    if own >= MIN_SCORE:
        return None
    best_score, best = ranked[0]
    if best is not fmt and best_score >= MIN_SCORE:
        return Text(
            "this does not look like %(expected)s; it looks like "
            "%(found)s (import it without choosing a format, or choose “%(format)s”)",
            expected=_article(_kind(fmt)),
            found=_article(_kind(best)),
            format=best.name,
        )
    return Text(
        "this does not look like %(expected)s, nor like any other supported "
        "format; check the file, or describe its columns with a mapping file (--mapping)",
        expected=_article(_kind(fmt)),
    )


def _mismatch_message(raw: RawFile, problem: str | None, mismatch: Text) -> Text:
    """The reader's problem when it names a line, then why the format is wrong; without a
    line, the reader's problem is only a symptom of the wrong format and is left out."""
    name = raw.display_name
    if problem and problem.startswith(f"{name}, line "):
        return Text("%(problem)s — %(mismatch)s", problem=problem, mismatch=mismatch)
    return Text(
        "%(name)s, line %(line)s: %(mismatch)s",
        name=name,
        line=str(_header_line(raw)),
        mismatch=mismatch,
    )


def import_file(
    *,
    warehouse: Warehouse,
    path: Path | str,
    format: str | None = None,
    mapping: Path | None = None,
    options: ImportOptions | None = None,
    max_rejected_share: float = DEFAULT_MAX_REJECTED_SHARE,
    progress: Progress | None = None,
    display_name: str | None = None,
) -> ImportReport:
    """Read ``path`` and load it into ``warehouse`` atomically; never raises for bad rows.

    A file that cannot be read at all (unknown layout, broken archive) raises ``FileError``.
    """
    tick = progress or (lambda stage, done, total: None)
    raw = RawFile(Path(path), display_name or Path(path).name)
    fmt = resolve_format(raw, format=format, mapping=mapping)
    report = ImportReport(file=raw.display_name, format=fmt.name)
    tick("reading", 0, 1)
    mismatch = wrong_format(raw, fmt) if format and mapping is None else None
    source = fmt.open(raw, options or ImportOptions())
    try:
        parsed = source.parsed
    except FileError as exc:
        if mismatch is None:
            raise
        raise FileError(_mismatch_message(raw, exc.message, mismatch)) from exc
    except Exception as exc:  # a reader tripped over a layout it was never meant for
        if mismatch is None:
            raise
        log.info("reading %s as %s: %s: %s", raw.display_name, fmt.name, type(exc).__name__, exc)
        raise FileError(_mismatch_message(raw, None, mismatch)) from exc
    if mismatch is not None:
        raise FileError(_mismatch_message(raw, None, mismatch))
    tick("reading", 1, 1)
    report.read = parsed.rows_read
    report.errors = list(parsed.errors)
    report.notes = list(parsed.notes)
    report.warnings = list(parsed.warnings)
    report.rejected = len({e.row for e in parsed.errors if e.row is not None})
    if report.read == 0:
        report.notes.append(
            Text(
                "%(name)s has a header but no rows under it: nothing "
                "was imported (check that the export covers a period with data)",
                name=raw.display_name,
            )
        )
    if report.read and report.rejected / report.read > max_rejected_share:
        report.aborted = True
        report.errors.append(
            RowError(
                raw.display_name,
                None,
                None,
                None,
                Text(
                    "%(rejected)s of %(read)s rows have errors, more than "
                    "%(share)s: nothing was imported",
                    rejected=str(report.rejected),
                    read=str(report.read),
                    share=Percent(max_rejected_share),
                ),
            )
        )
        return report
    loaded = run(source, warehouse, progress=tick)
    for name in (*fmt.tables, *loaded.tables):
        load = loaded.tables.get(name)
        report.tables.setdefault(
            name,
            TableCounts(load.inserted, load.updated, load.duplicates) if load else TableCounts(),
        )
    n = len(fmt.tables)
    tick("stored", n, n)
    primary = report.tables.get(source.primary_table, TableCounts())
    report.imported = primary.inserted + primary.updated
    report.duplicates = primary.duplicates
    return report


__all__ = ["DEFAULT_MAX_REJECTED_SHARE", "FileError", "ImportReport", "import_file"]
