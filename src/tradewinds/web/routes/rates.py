"""Data → Exchange rates: which currencies convert, and uploading a rate file.

The upload reads the file with the parser of ``tradewinds fx import`` (ECB reference-rate
CSV or ``date,base,quote,rate``), so a file the command accepts is accepted here and a bad
one is refused with the same file, line, column and reason.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.datastructures import UploadFile

from tradewinds.api.deps import SessionDep
from tradewinds.web.deps import DataImporter, DataReader, FormDep, WebContext
from tradewinds.web.frame import render
from tradewinds.web.i18n import gettext as _

router = APIRouter(prefix="/data/rates", include_in_schema=False)
Importer = DataImporter
Reader = DataReader

MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # the ECB's whole history is about 2 MB unpacked


def _page(request: Request, ctx: WebContext, status_code: int = 200, **kw: Any):
    from tradewinds.markets.fx_status import workspace_status
    from tradewinds.warehouse import open_warehouse

    ctx.require("data.read")
    ctx.nav = "data"
    with open_warehouse(ctx.workspace.key) as warehouse:
        report = workspace_status(warehouse)
    kw.setdefault("error", None)
    kw.setdefault("result", None)
    return render(
        request,
        "data/rates.html",
        ctx.page(currencies=report.currencies, max_mb=MAX_UPLOAD_BYTES // 2**20, **kw),
        status_code=status_code,
    )


@router.get("")
def rates_page(request: Request, ctx: Reader):
    return _page(request, ctx)


@router.post("")
def upload_rates(request: Request, session: SessionDep, ctx: Importer, form: FormDep):
    from tradewinds.markets.fx_files import FxFileError, audit_import, import_fx_bytes
    from tradewinds.tasks import exclusive
    from tradewinds.warehouse import WarehouseError, open_warehouse

    item = form.get("file")
    chosen = str(form.get("format", "") or "") or None
    if not isinstance(item, UploadFile) or not item.filename:
        return _page(request, ctx, 422, error={"reason": _("choose a rate file to upload")})
    name = item.filename
    data = item.file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        reason = _("the file is larger than %(mb)s MB", mb=MAX_UPLOAD_BYTES // 2**20)
        return _page(request, ctx, 422, error={"file": name, "reason": reason})
    if chosen not in (None, "ecb", "pairs"):
        return _page(request, ctx, 422, error={"reason": _("the format must be ECB or pairs")})
    try:
        key = ctx.workspace.key
        with exclusive(f"warehouse:{key}"), open_warehouse(key) as warehouse:
            result = import_fx_bytes(warehouse, data=data, name=name, fmt=chosen)  # type: ignore[arg-type]
    except FxFileError as exc:
        error = {
            "file": exc.file or name,
            "line": exc.line,
            "column": exc.column,
            "value": exc.value,
            "reason": exc.reason,
        }
        return _page(request, ctx, 422, error=error)
    except WarehouseError as exc:
        return _page(request, ctx, 503, error={"file": name, "reason": str(exc)})
    audit_import(session, result=result, actor=ctx.user.email, workspace_id=ctx.workspace.id)
    session.commit()
    return _page(request, ctx, result=result)
