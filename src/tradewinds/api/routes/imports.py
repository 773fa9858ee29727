"""Upload export files to import in the background; the import history with row errors."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, File, Form, Query, UploadFile
from pydantic import BaseModel, ConfigDict

from tradewinds.api.deps import Principal, SessionDep, get_owned, require
from tradewinds.db.models.imports import ImportJob
from tradewinds.ingest import history

log = logging.getLogger("tradewinds.imports")


@asynccontextmanager
async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
    """At start, fail the imports a stopped server left behind; at exit, stop the runner."""
    from tradewinds.db.engine import session_scope
    from tradewinds.jobs.runner import shutdown_runner

    try:
        with session_scope() as session:
            count = history.fail_interrupted(session=session)
        if count:
            log.warning("marked %d interrupted import(s) as failed", count)
    except Exception:  # an app DB that is not migrated yet must not stop the server
        log.exception("could not check for interrupted imports")
    yield
    shutdown_runner(wait=False)


router = APIRouter(prefix="/imports", tags=["imports"], lifespan=lifespan)

ImportDep = Annotated[Principal, Depends(require("data.import"))]
ReadDep = Annotated[Principal, Depends(require("data.read"))]


class RowErrorPublic(BaseModel):
    file: str
    row: int | None
    field: str | None
    value: str | None
    reason: str
    message: str


class ImportFilePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

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
    notes: list[str]
    message: str | None


class ImportFileDetail(ImportFilePublic):
    errors: list[RowErrorPublic]
    uploaded_before: list[int]


class ImportPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    status: str
    outcome: str
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
    files: list[ImportFilePublic]


class ImportDetail(ImportPublic):
    files: list[ImportFileDetail]  # type: ignore[assignment]


class ImportList(BaseModel):
    imports: list[ImportPublic]


def _detail(summary: history.ImportSummary) -> ImportDetail:
    data: dict[str, Any] = {**vars(summary), "outcome": summary.outcome}
    data["files"] = [
        {**vars(f), "errors": [{**e, "message": history.describe_error(e)} for e in f.errors]}
        for f in summary.files
    ]
    return ImportDetail.model_validate(data)


@router.post("", status_code=202, response_model=ImportDetail)
def upload(
    session: SessionDep,
    principal: ImportDep,
    files: Annotated[list[UploadFile], File(description="one or more export files")],
    format: Annotated[str | None, Form(description="format name; empty = detect")] = None,
) -> ImportDetail:
    """Store the files and import them in the background; poll GET /imports/{id}."""
    uploads = [history.Upload(name=f.filename or "upload", stream=f.file) for f in files]
    job = history.create_import(session=session, workspace=principal.workspace,
                                actor=principal.actor, uploads=uploads, format=format)
    summary = history.import_detail(session=session, job=job)
    session.commit()  # the runner's thread reads the job from the database
    history.start_import(job_id=job.id, workspace_key=principal.workspace.key)
    return _detail(summary)


@router.get("", response_model=ImportList)
def list_imports(
    session: SessionDep,
    principal: ReadDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> ImportList:
    """The workspace's imports, newest first (row errors: see the detail)."""
    items = history.list_imports(session=session, workspace_id=principal.workspace_id,
                                 limit=limit)
    return ImportList(imports=[
        ImportPublic.model_validate({**vars(s), "outcome": s.outcome,
                                     "files": [vars(f) for f in s.files]})
        for s in items
    ])


@router.get("/{import_id}", response_model=ImportDetail)
def read_import(import_id: int, session: SessionDep, principal: ReadDep) -> ImportDetail:
    """One import: status, progress, counts per file and the row errors."""
    job = get_owned(session, ImportJob, import_id, principal)
    return _detail(history.import_detail(session=session, job=job))
