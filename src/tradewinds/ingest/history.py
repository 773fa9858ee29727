"""Uploaded imports: store the files, import them in the background, keep the history.

``create_import`` stores each uploaded file under ``TRADEWINDS_HOME/imports/<workspace>/``
and records a job; ``start_import`` puts it on the task queue (``ingest.import``, declared
in ``ingest/plugin.py``), whose worker calls :func:`run_import`: every file goes through
``ingest.service.import_file`` (atomic and idempotent, so the same file uploaded twice
changes nothing and shows up as duplicates), and its counts and row errors are written to
the app DB as they finish. Each finished file is an audit-log entry (``data.import``).
Files imported with ``tradewinds import`` are recorded as finished one-file jobs
(:func:`record_command_line_import`), so the history shows every import whichever way it
came. A job whose worker stopped while it ran is run again by the next worker (the queue
recovers it): the files it had finished are kept, the others are imported again (a file's
import is one transaction, so nothing is half there).
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import secrets
import shutil
import socket
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tradewinds.auth import audit
from tradewinds.config import get_settings
from tradewinds.db.base import utcnow
from tradewinds.db.engine import session_scope
from tradewinds.db.models.imports import ImportFile, ImportJob
from tradewinds.db.models.tenancy import Workspace
from tradewinds.errors import InvalidInput
from tradewinds.i18n_markers import N_, Text
from tradewinds.ingest import limits
from tradewinds.ingest.hints import for_the_form
from tradewinds.ingest.stored_text import from_stored, to_stored

if TYPE_CHECKING:
    from tradewinds.ingest.files.base import ImportOptions
    from tradewinds.warehouse.backend import Warehouse

log = logging.getLogger("tradewinds.imports")

#: row errors (and, apart, row warnings) kept per file in the history (the total is always counted)
MAX_STORED_ERRORS = 1000
ACTIVE = ("queued", "running")
_CHUNK = 1024 * 1024
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
#: which process runs a job (``host:pid``), shown in the history for whoever looks
RUNNER = f"{socket.gethostname()[:120]}:{os.getpid()}"

WARNING = "warning"


@dataclass
class Upload:
    """One uploaded file as the web layer received it: a stream to store, or a file the
    upload receiver already wrote (``path``, with its size and SHA-256) to move in place."""

    name: str
    stream: BinaryIO | None = None
    path: Path | None = None
    size: int = 0
    sha256: str = ""


@dataclass
class FileSummary:
    id: int
    name: str
    format: str | None
    status: str
    size_bytes: int
    read: int
    imported: int
    duplicates: int
    rejected: int
    errors_total: int
    #: each note and ``message`` a ``Text`` where its id was stored (translated where shown)
    notes: list[str]
    message: str | None
    errors: list[dict[str, Any]] = field(default_factory=list)
    uploaded_before: list[int] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    #: warnings kept (at most MAX_STORED_ERRORS; a note gives the full count beyond that)
    warnings_total: int = 0
    #: the English message id of ``message`` (the same in every language), None if unknown
    message_id: str | None = None


@dataclass
class ImportSummary:
    id: int
    status: str
    format: str | None
    progress: float
    stage: str
    message: str | None
    created_by: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    read: int
    imported: int
    duplicates: int
    rejected: int
    errors_total: int
    files: list[FileSummary]
    warnings_total: int = 0
    message_id: str | None = None

    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    @property
    def outcome(self) -> str:
        """One word for the history table: queued, running, done, no_rows (every file had a
        header and nothing under it: a warning), problems, failed."""
        if self.status != "done":
            return self.status
        if self.files and all(f.status == "no_rows" for f in self.files):
            return "no_rows"
        if any(f.status != "done" for f in self.files) or self.rejected:
            return "problems"
        return "done"


# ------------------------------------------------------------------ creating a job


def safe_name(name: str) -> str:
    """A file name safe to store: no directories, no odd characters, not too long."""
    base = Path(name.replace("\\", "/")).name
    return _UNSAFE.sub("_", base)[-120:].strip("._") or "upload"


def _store(upload: Upload, target: Path, total: int, lim: limits.UploadLimits) -> tuple[int, str]:
    """Put one upload at ``target``; ``total`` is what earlier files of the job brought."""
    if upload.path is not None:
        if total + upload.size > lim.max_upload_bytes:
            raise _too_large(upload.name, lim)
        os.replace(upload.path, target)
        return upload.size, upload.sha256
    assert upload.stream is not None
    digest = hashlib.sha256()
    size = 0
    with target.open("wb") as out:
        while chunk := upload.stream.read(_CHUNK):
            size += len(chunk)
            if total + size > lim.max_upload_bytes:
                raise _too_large(upload.name, lim)
            digest.update(chunk)
            out.write(chunk)
    return size, digest.hexdigest()


def _too_large(name: str, lim: limits.UploadLimits) -> limits.UploadTooLarge:
    return limits.UploadTooLarge(
        Text(
            "%(name)s goes past the %(limit)s one upload may hold; "
            "split it or import it with `tradewinds import` on the server",
            name=name,
            limit=limits.size_text(lim.max_upload_bytes),
        ),
        details={"field": "files", "file": name, "limit_bytes": lim.max_upload_bytes},
    )


def incoming_folder(workspace: Workspace) -> Path:
    """A fresh folder in the data directory for an upload being received."""
    token = secrets.token_hex(8)
    return get_settings().home_dir / "imports" / workspace.key / f"incoming-{token}"


def _check_archive(upload: Upload, path: Path, lim: limits.UploadLimits) -> None:
    """Refuse a compressed upload that is a decompression bomb (413) before it is queued."""
    from tradewinds.ingest.spec import FileError

    try:
        limits.check_upload(path, upload.name, lim)
    except limits.ArchiveRefused as exc:
        raise limits.UploadTooLarge(
            exc.message,
            details={
                "field": "files",
                "file": upload.name,
                "limit_bytes": lim.max_uncompressed_bytes,
            },
        ) from exc
    except FileError:
        pass  # a broken archive: the import says so, with the file's other details


_YES = {"1", "true", "yes", "on"}
_NO = {"", "0", "false", "no", "off"}
DATE_ORDERS = ("dmy", "mdy", "ymd")


def import_options(
    *, date_order: str | None = None, partial_orders: str | bool | None = None
) -> ImportOptions:
    """The import options an upload form or request gives, checked (InvalidInput if not)."""
    from tradewinds.ingest.files.base import ImportOptions

    order = (date_order or "").strip().lower() or None
    if order is not None and order not in DATE_ORDERS:
        raise InvalidInput(
            Text(
                "unknown date order %(order)s; choose dmy (day first), mdy (month first) "
                "or ymd (year first)",
                order=repr(date_order),
            ),
            details={"field": "date_order"},
        )
    if isinstance(partial_orders, bool):
        partial = partial_orders
    else:
        text = (partial_orders or "").strip().lower()
        if text not in _YES | _NO:
            raise InvalidInput(
                Text(
                    "partial_orders must be true or false, not %(value)s",
                    value=repr(partial_orders),
                ),
                details={"field": "partial_orders"},
            )
        partial = text in _YES
    return ImportOptions(date_order=order, partial_orders=partial)  # type: ignore[arg-type]


def check_format(format: str | None) -> str | None:
    """``None`` for "detect", the name of a known format, else InvalidInput."""
    from tradewinds.ingest.files.registry import format_names

    if not format:
        return None
    names = format_names()
    if format not in names:
        raise InvalidInput(
            Text(
                "unknown format %(format)s; choose one of: %(formats)s",
                format=repr(format),
                formats=", ".join(names),
            ),
            details={"field": "format"},
        )
    return format


def create_import(
    *,
    session: Session,
    workspace: Workspace,
    actor: str,
    uploads: Sequence[Upload],
    format: str | None = None,
    options: ImportOptions | None = None,
) -> ImportJob:
    """Store the uploaded files and record a queued job (call ``start_import`` after commit).

    Refuses (and stores nothing) with 413 when the files together pass the upload limit or
    a compressed one is a decompression bomb, with 422 for too many files."""
    format = check_format(format)
    lim = limits.limits()
    uploads = [u for u in uploads if u.name]
    if not uploads:
        raise InvalidInput(Text("choose at least one file to import"), details={"field": "files"})
    if len(uploads) > lim.max_upload_files:
        raise limits.too_many_files(lim.max_upload_files)
    job = ImportJob(
        workspace_id=workspace.id,
        format=format,
        created_by=actor,
        runner=None,
        status="queued",
        progress=0.0,
        stage=N_("waiting to start"),
    )
    session.add(job)
    session.flush()
    home = get_settings().home_dir
    folder = Path("imports") / workspace.key / str(job.id)
    (home / folder).mkdir(parents=True, exist_ok=True)
    total = 0
    try:
        for position, upload in enumerate(uploads):
            relative = folder / f"{position + 1:02d}-{safe_name(upload.name)}"
            size, sha = _store(upload, home / relative, total, lim)
            total += size
            _check_archive(upload, home / relative, lim)
            job.files.append(
                ImportFile(
                    workspace_id=workspace.id,
                    position=position,
                    name=upload.name[:255],
                    stored_path=str(relative),
                    size_bytes=size,
                    sha256=sha,
                    status="queued",
                    errors=[],
                    notes=[],
                )
            )
    except BaseException:
        shutil.rmtree(home / folder, ignore_errors=True)
        raise
    session.flush()
    audit.record(
        session,
        action="data.upload",
        actor=actor,
        workspace_id=workspace.id,
        target=f"import:{job.id}",
        details={
            "files": [
                {"name": f.name, "bytes": f.size_bytes, "sha256": f.sha256} for f in job.files
            ],
            "format": format,
            **_option_details(options),
        },
    )
    return job


def _option_details(options: ImportOptions | None) -> dict[str, Any]:
    if options is None:
        return {}
    return {"date_order": options.date_order, "partial_orders": options.partial_orders}


def start_import(*, job_id: int, workspace_key: str, options: ImportOptions | None = None) -> None:
    """Put the job on the task queue (imports into one workspace run one by one).

    ``options`` (date order, importing the good lines of partly bad orders) apply to every
    file of the job; they are stored with the task."""
    from tradewinds.tasks import enqueue

    enqueue("ingest.import", job_id=job_id, workspace_key=workspace_key, options=options)


def record_command_line_import(*, workspace_id: int, actor: str, path: Path, report: Any) -> int:
    """Put a file imported with ``tradewinds import`` into the import history (the Data
    page and ``GET /api/v1/imports``) and the audit log, as a finished one-file job.

    The file stays where it was: ``stored_path`` is its absolute path on the server.
    Returns the job's id."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
    now = utcnow()
    status = report.status
    with session_scope() as session:
        job = ImportJob(
            workspace_id=workspace_id,
            format=report.format,
            created_by=actor,
            runner=None,
            status="done",
            progress=1.0,
            stage=N_("imported with `tradewinds import`"),
            started_at=now,
            finished_at=now,
        )
        job.files.append(
            ImportFile(
                workspace_id=workspace_id,
                position=0,
                name=path.name[:255],
                stored_path=str(path.resolve()),
                size_bytes=path.stat().st_size,
                sha256=digest.hexdigest(),
                format=report.format,
                status=status,
                read=report.read,
                imported=report.imported,
                duplicates=report.duplicates,
                rejected=report.rejected,
                errors_total=len(report.errors),
                errors=stored_problems(report),
                notes=stored_notes(report, friendly_hints=False),
                notes_text=stored_note_texts(report, friendly_hints=False),
            )
        )
        session.add(job)
        session.flush()
        details = {k: v for k, v in report.to_dict(max_errors=20).items() if k != "file"}
        audit.record(
            session,
            action="data.import",
            actor=actor,
            workspace_id=workspace_id,
            target=f"file:{report.file}",
            details={"import_id": job.id, **details},
        )
        return job.id


# ------------------------------------------------------------------ running a job


def _stored_problem(error: Any, **extra: Any) -> dict[str, Any]:
    """A row error as stored: its fields with the English reason, and the reason's message
    id and values (``reason_text``) when the reader wrote a ``Text``."""
    item = {**error.to_dict(), **extra}
    item["reason"] = str(error.reason)
    text = to_stored(error.reason)
    if text is not None:
        item["reason_text"] = text
    return item


def stored_problems(report: Any) -> list[dict[str, Any]]:
    """The row errors, then the row warnings (marked ``severity: warning``), as stored in the
    history (at most MAX_STORED_ERRORS of each)."""
    return [_stored_problem(e) for e in report.errors[:MAX_STORED_ERRORS]] + [
        _stored_problem(w, severity=WARNING) for w in report.warnings[:MAX_STORED_ERRORS]
    ]


def _notes(report: Any, friendly_hints: bool) -> list[str]:
    notes = [friendly(n) if friendly_hints else n for n in report.notes]
    if len(report.warnings) > MAX_STORED_ERRORS:
        notes.append(
            Text(
                "%(count)s rows were imported with warnings; the first "
                "%(kept)s are listed (`tradewinds import --json` lists all)",
                count=len(report.warnings),
                kept=MAX_STORED_ERRORS,
            )
        )
    return notes


def stored_notes(report: Any, *, friendly_hints: bool = True) -> list[str]:
    """The file's notes in English, as stored (and audited)."""
    return [str(n) for n in _notes(report, friendly_hints)]


def stored_note_texts(report: Any, *, friendly_hints: bool = True) -> list[dict[str, Any] | None]:
    """The message id and values of each stored note (None for a note that has none)."""
    return [to_stored(n) for n in _notes(report, friendly_hints)]


#: the stages an importer reports (``ingest/service.py``, ``ingest/pipeline.py``), marked
#: so the pages can show them translated; "storing <table>" names the table it stores
STAGES = (N_("reading"), N_("stored"), N_("storing %(table)s"))


class _Progress:
    """Turns the importer's (stage, done, total) ticks into the job's progress, sparingly."""

    def __init__(self, job_id: int, index: int, count: int, name: str) -> None:
        self.job_id, self.index, self.count, self.name = job_id, index, count, name
        self.last_write = 0.0
        self.last_stage = ""

    def __call__(self, stage: str, done: int, total: int) -> None:
        part = done / total if total else 1.0
        within = 0.5 * part if stage == "reading" else 0.5 + 0.5 * part
        value = (self.index + within) / self.count
        now = time.monotonic()
        if stage == self.last_stage and now - self.last_write < 0.5:
            return
        self.last_write, self.last_stage = now, stage
        # "<file name>: <stage>"; the page shows the stage in its reader's language (STAGES)
        _update_job(self.job_id, progress=min(value, 1.0), stage=f"{self.name}: {stage}")


def _update_job(job_id: int, **values: Any) -> None:
    with session_scope() as session:
        job = session.get(ImportJob, job_id)
        if job is not None:
            for key, value in values.items():
                setattr(job, key, value)


def friendly(message: str) -> str:
    """The importer's message with the upload form's words for its command-line hints
    (a ``Text`` stays a ``Text``, translatable)."""
    return for_the_form(message)


def _failed(message: str) -> dict[str, Any]:
    """A file's or job's failure as stored: the English text and its message id and values."""
    return {"message": str(message), "message_text": to_stored(message)}


def _record_file(job_id: int, file_id: int, actor: str, workspace_id: int, **values: Any) -> None:
    with session_scope() as session:
        record = session.get(ImportFile, file_id)
        if record is None:
            return
        for key, value in values.items():
            setattr(record, key, value)
        problems = list(record.errors or [])
        details = {
            "import_id": job_id,
            "status": record.status,
            "format": record.format,
            "read": record.read,
            "imported": record.imported,
            "duplicates": record.duplicates,
            "rejected": record.rejected,
            "errors_total": record.errors_total,
            "errors": [p for p in problems if p.get("severity") != WARNING][:20],
            "warnings_total": sum(p.get("severity") == WARNING for p in problems),
        }
        if record.message:
            details["message"] = record.message
        audit.record(
            session,
            action="data.import",
            actor=actor,
            workspace_id=workspace_id,
            target=f"file:{record.name}",
            details=details,
        )


def run_import(*, job_id: int, options: ImportOptions | None = None) -> None:
    """Import every file of a queued job into its workspace's warehouse (a queue task).

    A job found running was left by a worker that stopped (the queue runs one task per
    workspace at a time): its finished files are kept and the rest imported again."""
    from tradewinds.ingest.service import import_file
    from tradewinds.ingest.spec import FileError
    from tradewinds.warehouse import WarehouseError, open_warehouse

    with session_scope() as session:
        job = session.get(ImportJob, job_id)
        if job is None or job.status not in ACTIVE:
            return
        if job.status == "running":
            log.warning(
                "import %s was interrupted (worker %s); running it again", job_id, job.runner
            )
        workspace = session.get(Workspace, job.workspace_id)
        assert workspace is not None
        job.status, job.runner = "running", RUNNER
        job.started_at = job.started_at or utcnow()
        job.stage = N_("opening the warehouse")
        files = [(f.id, f.name, f.stored_path) for f in job.files if f.status in ACTIVE]
        key, workspace_id, fmt, actor = workspace.key, workspace.id, job.format, job.created_by
    home = get_settings().home_dir
    try:
        warehouse = open_warehouse(key)
    except WarehouseError as exc:
        _finish(
            job_id, failed=Text("the warehouse could not be opened: %(detail)s", detail=str(exc))
        )
        return
    try:
        with warehouse:
            _connect(warehouse)
            for index, (file_id, name, relative) in enumerate(files):
                _record_status(file_id, "running")
                try:
                    report = import_file(
                        warehouse=warehouse,
                        path=home / relative,
                        format=fmt,
                        options=options,
                        progress=_Progress(job_id, index, len(files), name),
                        display_name=name,
                    )
                except FileError as exc:
                    _record_file(
                        job_id,
                        file_id,
                        actor,
                        workspace_id,
                        status="failed",
                        **_failed(friendly(exc.message)),
                    )
                    continue
                except Exception:  # a bug or a broken warehouse: say so (details in the log)
                    log.exception("import %s: %s failed", job_id, name)
                    _record_file(
                        job_id,
                        file_id,
                        actor,
                        workspace_id,
                        status="failed",
                        **_failed(
                            Text(
                                "%(name)s could not be imported because of a fault in "
                                "Tradewinds, not in the file (the server log has the details "
                                "under import %(job)s); nothing from it was stored",
                                name=name,
                                job=str(job_id),
                            )
                        ),
                    )
                    continue
                _record_file(
                    job_id,
                    file_id,
                    actor,
                    workspace_id,
                    status=report.status,
                    format=report.format,
                    read=report.read,
                    imported=report.imported,
                    duplicates=report.duplicates,
                    rejected=report.rejected,
                    errors_total=len(report.errors),
                    errors=stored_problems(report),
                    notes=stored_notes(report),
                    notes_text=stored_note_texts(report),
                )
    except Exception as exc:
        log.exception("import %s failed", job_id)
        _finish(
            job_id,
            failed=Text(
                "the import stopped: %(error)s: %(detail)s",
                error=type(exc).__name__,
                detail=str(exc)[:300],
            ),
        )
        return
    _update_job(job_id, stage=N_("updating reports and saved segments"))
    _finish(job_id)


def _connect(warehouse: Warehouse, *, patience: float = 30.0) -> None:
    """Open the warehouse for writing, waiting while a console query in this process holds
    the embedded file open read-only (the two cannot be open at once)."""
    from tenacity import Retrying, retry_if_exception, stop_after_delay, wait_fixed

    def open_for_writing() -> None:
        with warehouse.transaction():
            return

    Retrying(
        retry=retry_if_exception(lambda exc: "different configuration" in str(exc)),
        stop=stop_after_delay(patience),
        wait=wait_fixed(0.2),
        reraise=True,
    )(open_for_writing)


def _record_status(file_id: int, status: str) -> None:
    with session_scope() as session:
        record = session.get(ImportFile, file_id)
        if record is not None:
            record.status = status


def _finish(job_id: int, *, failed: Text | None = None) -> None:
    with session_scope() as session:
        job = session.get(ImportJob, job_id)
        if job is None:
            return
        unread = [f for f in job.files if f.status in ("queued", "running")]
        for record in unread:
            record.status = "failed"
            if not record.message:
                reason = failed or Text("not imported")
                record.message, record.message_text = str(reason), to_stored(reason)
        every_file_failed = all(f.status == "failed" for f in job.files)
        job.status = "failed" if failed or every_file_failed else "done"
        if failed:
            job.message, job.message_text = str(failed), to_stored(failed)
        elif every_file_failed:
            reason = Text("no file could be imported")
            job.message, job.message_text = str(reason), to_stored(reason)
        job.progress, job.stage, job.finished_at = 1.0, N_("finished"), utcnow()


# ------------------------------------------------------------------ reading the history


def _shown_notes(record: ImportFile) -> list[str]:
    """The stored notes, each a ``Text`` where its id was kept, else its English text."""
    notes = list(record.notes or [])
    texts = list(record.notes_text or [])
    if len(texts) != len(notes):
        return notes
    return [from_stored(t, n) or n for t, n in zip(texts, notes, strict=True)]


def _file_summary(record: ImportFile, *, with_errors: bool) -> FileSummary:
    problems = list(record.errors or [])
    warnings = [p for p in problems if p.get("severity") == WARNING]
    errors = [p for p in problems if p.get("severity") != WARNING]
    return FileSummary(
        id=record.id,
        name=record.name,
        format=record.format,
        status=record.status,
        size_bytes=record.size_bytes,
        read=record.read,
        imported=record.imported,
        duplicates=record.duplicates,
        rejected=record.rejected,
        errors_total=record.errors_total,
        notes=_shown_notes(record),
        message=from_stored(record.message_text, record.message),
        errors=errors if with_errors else [],
        warnings=warnings if with_errors else [],
        warnings_total=len(warnings),
        message_id=_message_id(record.message_text),
    )


def _message_id(stored: Any) -> str | None:
    return stored.get("id") if isinstance(stored, dict) else None


def summarise(job: ImportJob, *, with_errors: bool = False) -> ImportSummary:
    files = [_file_summary(f, with_errors=with_errors) for f in job.files]
    return ImportSummary(
        id=job.id,
        status=job.status,
        format=job.format,
        progress=round(job.progress, 3),
        stage=job.stage,
        message=from_stored(job.message_text, job.message),
        created_by=job.created_by,
        created_at=job.created_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
        read=sum(f.read for f in files),
        imported=sum(f.imported for f in files),
        duplicates=sum(f.duplicates for f in files),
        rejected=sum(f.rejected for f in files),
        errors_total=sum(f.errors_total for f in files),
        files=files,
        warnings_total=sum(f.warnings_total for f in files),
        message_id=_message_id(job.message_text),
    )


def list_imports(*, session: Session, workspace_id: int, limit: int = 100) -> list[ImportSummary]:
    jobs = session.scalars(
        select(ImportJob)
        .where(ImportJob.workspace_id == workspace_id)
        .order_by(ImportJob.id.desc())
        .limit(limit)
    )
    return [summarise(job) for job in jobs]


def import_detail(*, session: Session, job: ImportJob) -> ImportSummary:
    """The job with its row errors, and for each file the earlier imports of the same file."""
    summary = summarise(job, with_errors=True)
    for record, item in zip(job.files, summary.files, strict=True):
        item.uploaded_before = list(
            session.scalars(
                select(func.distinct(ImportFile.job_id))
                .where(
                    ImportFile.workspace_id == job.workspace_id,
                    ImportFile.sha256 == record.sha256,
                    ImportFile.job_id < job.id,
                )
                .order_by(ImportFile.job_id)
            )
        )
    return summary


def error_reason(error: dict[str, Any]) -> str:
    """A stored row error's reason: a ``Text`` where its id was kept, else the English."""
    english = str(error.get("reason") or "")
    reason = from_stored(error.get("reason_text"), english) or Text("this value could not be used")
    return friendly(reason)


def _capitalised(reason: str) -> str:
    """``reason`` starting with a capital letter in English; a ``Text`` keeps its message id
    and values (its translation is shown as the catalog writes it)."""
    shown = reason[:1].upper() + reason[1:]
    if not isinstance(reason, Text):
        return shown
    out = str.__new__(type(reason), shown)
    out.__dict__.update(reason.__dict__)
    return out


def describe_error(error: dict[str, Any]) -> str:
    """A row error in words: "Row 17, column Day: the date 2025-02-31 does not exist"
    (a ``Text``, in English as it is; the pages and the CLI translate it)."""
    reason = error_reason(error)
    row, column = error.get("row"), error.get("field")
    if row is None:
        return _capitalised(reason)
    if column:
        return Text(
            "Row %(row)s, column “%(column)s”: %(reason)s",
            row=str(row),
            column=column,
            reason=reason,
        )
    return Text("Row %(row)s: %(reason)s", row=str(row), reason=reason)
