"""Data → Event sources (write keys for the collector) and Data → Live events.

Creating and revoking a source needs ``data.import`` ("Import files, connect sources"),
reading them ``data.read``; both go through ``ingest/sources.py`` as the CLI does, so
each is recorded in the audit log the same way. A new write key is shown once, on the
answer to the form that created it; the list shows only its first characters after that.

The live view reads the workspace's event log, which is what the collector wrote: the
newest stored events and the newest refused ones with the collector's reason. Personal
data in them (e-mail addresses, phone numbers in user ids) is masked.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from tradewinds.api.deps import SessionDep
from tradewinds.errors import TradewindsError
from tradewinds.ingest.eventlog import Activity, recent_activity
from tradewinds.ingest.sources import create_source, list_sources, revoke_source
from tradewinds.web.deps import DataImporter, DataReader, FormDep, WebContext
from tradewinds.web.frame import render
from tradewinds.web.masking import mask_text

router = APIRouter(prefix="/data", include_in_schema=False)
Importer = DataImporter
Reader = DataReader

LIVE_LIMIT = 50
REFRESH_SECONDS = 3


def _page(request: Request, ctx: WebContext, template: str, status_code: int = 200, **kw: Any):
    ctx.nav = "data"
    return render(request, template, ctx.page(**kw), status_code=status_code)


def _activity(ctx: WebContext) -> Activity:
    return recent_activity(workspace_key=ctx.workspace.key, limit=LIVE_LIMIT)


def _sources_page(
    request: Request,
    session: SessionDep,
    ctx: WebContext,
    *,
    status_code: int = 200,
    created: tuple[Any, str] | None = None,
    error: str | None = None,
):
    activity = _activity(ctx)
    return _page(
        request,
        ctx,
        "data/sources.html",
        status_code=status_code,
        sources=list_sources(session=session, workspace=ctx.workspace),
        created=created[0] if created else None,
        write_key=created[1] if created else None,
        error=error,
        stored_total=activity.stored_total,
        refused_total=activity.refused_total,
    )


@router.get("/sources")
def sources_page(request: Request, session: SessionDep, ctx: Reader):
    return _sources_page(request, session, ctx)


@router.post("/sources")
def create_source_form(request: Request, session: SessionDep, ctx: Importer, form: FormDep):
    try:
        created = create_source(
            session=session,
            workspace=ctx.workspace,
            kind="segment",
            name=str(form.get("name", "")).strip() or None,
            storefront=str(form.get("storefront", "") or "web"),
            actor=ctx.user.email,
        )
    except TradewindsError as exc:
        session.rollback()
        return _sources_page(request, session, ctx, status_code=exc.status_code, error=exc.message)
    session.commit()
    # the key is in this answer only: the page is not cached and a reload does not repeat it
    answer = _sources_page(request, session, ctx, created=created)
    answer.headers["Cache-Control"] = "no-store"
    return answer


@router.post("/sources/{source_id}/revoke")
def revoke_source_form(source_id: int, session: SessionDep, ctx: Importer, form: FormDep):
    revoke_source(
        session=session, workspace=ctx.workspace, source_id=source_id, actor=ctx.user.email
    )
    session.commit()
    return RedirectResponse("/data/sources?revoked=1", status_code=303)


def _masked(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        row
        | {
            "user_id": mask_text(row["user_id"]),
            "anonymous_id": mask_text(row["anonymous_id"]),
            "event": mask_text(row["event"]),
            "reason": mask_text(row.get("reason")),
        }
        for row in rows
    ]


def _live_context(ctx: WebContext) -> dict[str, Any]:
    activity = _activity(ctx)
    return {
        "events": _masked(activity.events),
        "refused": _masked(activity.refused),
        "stored_total": activity.stored_total,
        "refused_total": activity.refused_total,
        "limit": LIVE_LIMIT,
        "refresh_seconds": REFRESH_SECONDS,
    }


@router.get("/events")
def live_events(request: Request, ctx: Reader):
    return _page(request, ctx, "data/events.html", **_live_context(ctx))


@router.get("/events/rows")
def live_event_rows(request: Request, ctx: Reader):
    """The two tables of the live view alone, which the page fetches every few seconds."""
    answer = render(request, "data/_event_rows.html", ctx.page(**_live_context(ctx)))
    answer.headers["Cache-Control"] = "no-store"
    return answer
