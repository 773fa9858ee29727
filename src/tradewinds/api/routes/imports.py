"""Upload export files to import in the background; the import history with row errors."""

from __future__ import annotations

import logging
from typing import Annotated, Any

import anyio.from_thread
from fastapi import APIRouter, Query, Request

from tradewinds.api import uploads
from tradewinds.api.deps import DataImporter, DataReader, Principal, SessionDep, get_owned
from tradewinds.db.models.imports import ImportJob
from tradewinds.ingest import history
from tradewinds.ingest.files import formats
from tradewinds.ingest.schemas import ImportDetail, ImportList, ImportPublic

log = logging.getLogger("tradewinds.imports")


router = APIRouter(prefix="/imports", tags=["imports"])


def _detail(summary: history.ImportSummary) -> ImportDetail:
    data: dict[str, Any] = {**vars(summary), "outcome": summary.outcome}
    data["files"] = [
        {
            **vars(f),
            "errors": [{**e, "message": history.describe_error(e)} for e in f.errors],
            "warnings": [{**w, "message": history.describe_error(w)} for w in f.warnings],
        }
        for f in summary.files
    ]
    return ImportDetail.model_validate(data)


UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["files"],
                    "properties": {
                        "files": {
                            "type": "array",
                            "minItems": 1,
                            "items": {"type": "string", "format": "binary"},
                            "description": "one or more export files (at most "
                            "TRADEWINDS_MAX_UPLOAD_FILES, 20 unless set; all together at most "
                            "TRADEWINDS_MAX_UPLOAD_BYTES, 1 GiB unless set)",
                        },
                        "format": {
                            "type": "string",
                            "enum": ["", *(f.name for f in formats())],
                            "description": "format name; empty = detect",
                        },
                        "date_order": {
                            "type": "string",
                            "enum": ["", *history.DATE_ORDERS],
                            "description": "day/month order of dates like 03/04/2024: "
                            "dmy, mdy or ymd; empty = from the file",
                        },
                        "partial_orders": {
                            "type": "boolean",
                            "default": False,
                            "description": "import the good lines of orders that "
                            "have a bad line (default: hold the whole order back)",
                        },
                    },
                }
            }
        },
    },
}
UPLOAD_RESPONSES: dict[int | str, dict[str, Any]] = {
    413: {
        "description": "the upload is larger than the limit, or a compressed file in it "
        "expands too far (a decompression bomb)"
    },
    422: {"description": "no file, too many files, an unknown format or option"},
}


def _receive(request: Request, principal: Principal) -> uploads.ReceivedUpload:
    """The request's body streamed to disk within the limits (from the route's thread)."""
    folder = history.incoming_folder(principal.workspace)
    return anyio.from_thread.run(lambda: uploads.receive_upload(request, folder=folder))


@router.post(
    "",
    status_code=202,
    response_model=ImportDetail,
    openapi_extra=UPLOAD_BODY,
    responses=UPLOAD_RESPONSES,
)
def upload(request: Request, session: SessionDep, principal: DataImporter) -> ImportDetail:
    """Store the files and import them in the background; poll GET /imports/{id}.

    The body is read as it arrives and refused (413) once it passes the upload limit."""
    received = _receive(request, principal)
    try:
        fields = received.fields
        options = history.import_options(
            date_order=fields.get("date_order"), partial_orders=fields.get("partial_orders")
        )
        files = [
            history.Upload(name=f.name, path=f.path, size=f.size, sha256=f.sha256)
            for f in received.files
        ]
        job = history.create_import(
            session=session,
            workspace=principal.workspace,
            actor=principal.actor,
            uploads=files,
            format=fields.get("format") or None,
            options=options,
        )
    finally:
        received.discard()
    summary = history.import_detail(session=session, job=job)
    session.commit()  # the runner's thread reads the job from the database
    history.start_import(job_id=job.id, workspace_key=principal.workspace.key, options=options)
    return _detail(summary)


@router.get("", response_model=ImportList)
def list_imports(
    session: SessionDep,
    principal: DataReader,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> ImportList:
    """The workspace's imports, newest first (row errors: see the detail)."""
    items = history.list_imports(session=session, workspace_id=principal.workspace_id, limit=limit)
    return ImportList(
        imports=[
            ImportPublic.model_validate(
                {**vars(s), "outcome": s.outcome, "files": [vars(f) for f in s.files]}
            )
            for s in items
        ]
    )


@router.get("/{import_id}", response_model=ImportDetail)
def read_import(import_id: int, session: SessionDep, principal: DataReader) -> ImportDetail:
    """One import: status, progress, counts per file and the row errors."""
    job = get_owned(session, ImportJob, import_id, principal)
    return _detail(history.import_detail(session=session, job=job))
