"""Data page: upload exports, follow their import, read their row errors; the SQL console."""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse

from tradewinds.api.deps import SessionDep, get_owned_in_workspace
from tradewinds.db.models.imports import ImportJob
from tradewinds.errors import Forbidden, TradewindsError
from tradewinds.ingest import history
from tradewinds.web import i18n
from tradewinds.web.deps import DataImporter, DataReader, FormDep, SqlRunner, WebContext
from tradewinds.web.frame import render
from tradewinds.web.i18n import gettext as _
from tradewinds.web.texts import translate

router = APIRouter(prefix="/data", include_in_schema=False)
Importer = DataImporter
Reader = DataReader

GUIDE = Path(__file__).resolve().parents[4] / "docs" / "importing.md"
SQL_EXAMPLE = (
    "SELECT platform, campaign_name, sum(spend) AS spend, currency\n"
    "FROM ad_spend_daily\nGROUP BY platform, campaign_name, currency\n"
    "ORDER BY spend DESC\nLIMIT 20"
)
SQL_PAGE_LIMIT = 1_000


def format_choices() -> list[tuple[str, str]]:
    """(name, label) of every registered import format, in the registry's order."""
    from tradewinds.ingest.files.registry import formats

    return [(f.name, f.label) for f in formats()]


def _labels() -> dict[str, str]:
    return dict(format_choices())


def _page(request: Request, ctx: WebContext, template: str, status_code: int = 200, **kw: Any):
    ctx.nav = "data"
    return render(request, template, ctx.page(**kw), status_code=status_code)


def _index(
    request: Request, session: SessionDep, ctx: WebContext, status_code: int = 200, **kw: Any
):
    ctx.require("data.read")
    imports = history.list_imports(session=session, workspace_id=ctx.workspace.id, limit=200)
    kw.setdefault("error", None)
    kw.setdefault("chosen_format", "")
    from tradewinds.ingest.limits import limits, size_text

    return _page(
        request,
        ctx,
        "data/index.html",
        status_code=status_code,
        imports=imports,
        formats=format_choices(),
        labels=_labels(),
        started=request.query_params.get("started"),
        upload_limits=limits(),
        size_text=size_text,
        **kw,
    )


@router.get("")
def data_page(request: Request, session: SessionDep, ctx: Reader):
    return _index(request, session, ctx)


@router.post("/imports")
def upload(request: Request, session: SessionDep, ctx: Importer):
    """The upload form: the body is streamed to disk within the upload limits, then checked
    for its CSRF token (a refused or forged upload leaves no file behind)."""
    import anyio.from_thread

    from tradewinds.api.uploads import is_multipart, receive_upload

    def check_token(name: str, value: str) -> None:
        if name == "csrf_token" and not secrets.compare_digest(value, ctx.csrf_token):
            raise Forbidden("the form expired or did not come from this site; reload and try again")

    if not is_multipart(request.headers.get("content-type", "")):
        form = anyio.from_thread.run(request.form)  # no files: the body is small (limited)
        check_token("csrf_token", str(form.get("csrf_token", "")))
    folder = history.incoming_folder(ctx.workspace)
    chosen = ""
    try:
        received = anyio.from_thread.run(
            lambda: receive_upload(request, folder=folder, check_field=check_token)
        )
    except Forbidden:
        raise
    except TradewindsError as exc:
        return _index(
            request, session, ctx, status_code=exc.status_code, error=translate(exc.message)
        )
    try:
        fields = received.fields
        check_token("csrf_token", fields.get("csrf_token", ""))
        chosen = fields.get("format", "")
        options = history.import_options(
            date_order=fields.get("date_order"), partial_orders=fields.get("partial_orders")
        )
        uploads = [
            history.Upload(name=f.name, path=f.path, size=f.size, sha256=f.sha256)
            for f in received.files
        ]
        job = history.create_import(
            session=session,
            workspace=ctx.workspace,
            actor=ctx.user.email,
            uploads=uploads,
            format=chosen or None,
            options=options,
        )
    except Forbidden:
        raise
    except TradewindsError as exc:
        session.rollback()
        return _index(
            request,
            session,
            ctx,
            status_code=exc.status_code,
            error=translate(exc.message),
            chosen_format=chosen,
        )
    finally:
        received.discard()
    job_id = job.id
    session.commit()  # the runner's thread reads the job from the database
    history.start_import(job_id=job_id, workspace_key=ctx.workspace.key, options=options)
    return RedirectResponse(f"/data?started={job_id}", status_code=303)


def stage_shown(stage: str | None) -> str:
    """An import's stage ("orders.csv: storing orders") in the page's language: the file
    name as it is, the stage translated (``history.STAGES`` and the job's own stages)."""
    if not stage:
        return ""
    name, sep, part = stage.rpartition(": ")
    if part.startswith("storing "):
        shown = _("storing %(table)s", table=part.removeprefix("storing "))
    else:
        shown = translate(part)
    return f"{name}{sep}{shown}"


@router.get("/imports/{import_id}/progress")
def import_progress(import_id: int, session: SessionDep, ctx: Reader) -> JSONResponse:
    """What the import page shows while it runs, in the reader's language (import.js polls
    it; the API's ``/api/v1/imports/{id}`` answers the same in English)."""
    job = get_owned_in_workspace(session, ImportJob, import_id, ctx.workspace.id)
    summary = history.summarise(job)
    return JSONResponse(
        {
            "status": summary.status,
            "progress": summary.progress,
            "label": _("Importing %(percent)s%%", percent=round(summary.progress * 100)),
            "stage": stage_shown(summary.stage),
        }
    )


@router.get("/imports/{import_id}")
def import_page(import_id: int, request: Request, session: SessionDep, ctx: Reader):
    job = get_owned_in_workspace(session, ImportJob, import_id, ctx.workspace.id)
    detail = history.import_detail(session=session, job=job)
    return _page(
        request,
        ctx,
        "data/import.html",
        job=detail,
        labels=_labels(),
        describe=history.describe_error,
        max_kept=history.MAX_STORED_ERRORS,
        stage_shown=stage_shown,
    )


@lru_cache(maxsize=1)
def guide_file(code: str, english: Path = GUIDE) -> Path:
    """The importing guide in the language ``code`` (``docs/importing.<code>.md``), or the
    English one when it has not been translated into that language."""
    translated = english.with_name(f"{english.stem}.{code}{english.suffix}")
    return translated if translated.exists() else english


def _guide_html() -> str | None:
    path = guide_file(i18n.current().code)
    if not path.exists():
        return None
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).enable("table").render(path.read_text())


@router.get("/guide")
def guide_page(request: Request, ctx: Reader):
    return _page(request, ctx, "data/guide.html", guide=_guide_html(), formats=format_choices())


# ------------------------------------------------------------------ SQL console


def _tables() -> list[dict[str, Any]]:
    from tradewinds.warehouse.schema import TABLES
    from tradewinds.warehouse.views import VIEW_NAMES

    tables = [
        {
            "name": t.name,
            "doc": t.doc,
            "key": t.primary_key,
            "columns": [(c.name, c.type, c.doc) for c in t.columns],
        }
        for t in TABLES.values()
    ]
    for name in VIEW_NAMES:
        tables.append(
            {"name": name, "doc": _("view (see the warehouse guide)"), "key": (), "columns": []}
        )
    return tables


def _sql_page(request: Request, ctx: WebContext, status_code: int = 200, **kw: Any):
    ctx.require("sql.run")
    kw.setdefault("sql", SQL_EXAMPLE)
    kw.setdefault("result", None)
    kw.setdefault("error", None)
    return _page(
        request,
        ctx,
        "data/sql.html",
        status_code=status_code,
        tables=_tables(),
        limit=SQL_PAGE_LIMIT,
        **kw,
    )


@router.get("/sql")
def sql_page(request: Request, ctx: SqlRunner):
    return _sql_page(request, ctx)


@router.post("/sql")
def sql_run(request: Request, session: SessionDep, ctx: SqlRunner, form: FormDep):
    from tradewinds.api.deps import client_ip
    from tradewinds.api.routes.sql import record_console_use, run_sql
    from tradewinds.warehouse.console import ConsoleBusy
    from tradewinds.warehouse.errors import ReadOnlyViolation, WarehouseError

    sql = str(form.get("sql", ""))[:100_000]
    key, workspace_id, email = ctx.workspace.key, ctx.workspace.id, ctx.user.email
    session.commit()  # hold no app-DB lock while the query runs (it may take 30 s)
    result, error, status, refused = None, None, 200, False
    try:
        result = run_sql(workspace_key=key, sql=sql, limit=SQL_PAGE_LIMIT)
    except ReadOnlyViolation as exc:
        error, status, refused = _("Refused: %(reason)s", reason=exc), 422, True
    except ConsoleBusy as exc:
        error, status = _("Not run: %(reason)s", reason=exc), 503
    except WarehouseError as exc:
        error, status = _("The query failed: %(reason)s", reason=exc), 422
    details: dict[str, Any] = {"sql": sql[:2000]}
    if error:
        details["refused" if refused else "error"] = error
    else:
        details["rows"] = len(result.rows) if result else 0
    record_console_use(
        session, actor=email, workspace_id=workspace_id, details=details, ip=client_ip(request)
    )
    return _sql_page(request, ctx, status_code=status, sql=sql, result=result, error=error)
