"""Attribution → Campaigns: touch campaigns that reach no ad campaign, and the mapping the
seller edits so that they do (the same store and checks as the API)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse

from tradewinds.api.deps import SessionDep
from tradewinds.attribution.access import CAMPAIGN_MAPPINGS
from tradewinds.web.deps import DataImporter, FormDep, WebContext, reading
from tradewinds.web.frame import render
from tradewinds.web.i18n import gettext as _
from tradewinds.web.texts import translate

router = APIRouter(prefix="/attribution/campaigns", include_in_schema=False)
CampaignsPage = reading(CAMPAIGN_MAPPINGS)
Importer = DataImporter


def _period(
    ctx: WebContext, date_from: str | None, date_to: str | None, errors: dict[str, str]
) -> tuple[date, date]:
    from tradewinds.analytics.service import default_end
    from tradewinds.warehouse import open_warehouse

    end = start = None
    for name, text in (("to", date_to), ("from", date_from)):
        if not text:
            continue
        try:
            value = date.fromisoformat(text)
        except ValueError:
            errors[name] = _("%(text)s is not a date; use the form 2024-05-31", text=repr(text))
            continue
        if name == "to":
            end = value
        else:
            start = value
    if end is None:
        with open_warehouse(ctx.workspace.key) as warehouse:
            end = default_end(warehouse=warehouse, timezone=ctx.workspace.timezone)
    if start is None or start > end:
        if start is not None:
            errors["from"] = _("the first day is after the last day")
        start = end - timedelta(days=29)
    return start, end


def _page(
    request: Request,
    session: SessionDep,
    ctx: WebContext,
    *,
    date_from: str | None,
    date_to: str | None,
    status_code: int = 200,
    **kw: Any,
):
    from tradewinds.attribution import campaign_mappings as store
    from tradewinds.warehouse import open_warehouse

    ctx.require("data.read")
    ctx.nav = "attribution"
    errors: dict[str, str] = {}
    start, end = _period(ctx, date_from, date_to, errors)
    rows = store.list_mappings(session, workspace_id=ctx.workspace.id)
    with open_warehouse(ctx.workspace.key) as warehouse:
        report = store.review(
            warehouse=warehouse,
            currency=ctx.workspace.currency,
            date_from=start,
            date_to=end,
            timezone=ctx.workspace.timezone,
            rows=rows,
        )
    kw.setdefault("error", None)
    kw.setdefault("saved", None)
    return render(
        request,
        "attribution/campaigns.html",
        ctx.page(
            report=report,
            errors=errors,
            form={"from": start.isoformat(), "to": end.isoformat()},
            platforms=sorted({c.platform for c in report.campaigns}),
            **kw,
        ),
        status_code=status_code,
    )


@router.get("")
def campaigns_page(
    request: Request,
    session: SessionDep,
    ctx: CampaignsPage,
    date_from: Annotated[str | None, Query(alias="from")] = None,
    date_to: Annotated[str | None, Query(alias="to")] = None,
    saved: str | None = None,
):
    return _page(request, session, ctx, date_from=date_from, date_to=date_to, saved=saved)


def _back(form: Any, saved: str) -> RedirectResponse:
    query = {k: str(form.get(k)) for k in ("from", "to") if form.get(k)}
    query["saved"] = saved
    return RedirectResponse(f"/attribution/campaigns?{urlencode(query)}", status_code=303)


@router.post("")
def save_mapping(request: Request, session: SessionDep, ctx: Importer, form: FormDep):
    from pydantic import ValidationError

    from tradewinds.attribution import campaign_mappings as store
    from tradewinds.attribution.campaign_schemas import CampaignMappingUpdate
    from tradewinds.auth import audit
    from tradewinds.errors import InvalidInput
    from tradewinds.warehouse import open_warehouse

    chosen = str(form.get("campaign", "") or "")
    platform, _colon, campaign_id = chosen.partition(":")
    raw = {
        "platform": str(form.get("platform", "") or platform),
        "touch_campaign": str(form.get("touch_campaign", "") or ""),
        "campaign_id": campaign_id,
    }
    keep = {
        "date_from": str(form.get("from") or "") or None,
        "date_to": str(form.get("to") or "") or None,
    }
    try:
        change = CampaignMappingUpdate.model_validate(raw)
        if platform and platform.strip().casefold() != change.platform.strip().casefold():
            raise InvalidInput(
                _(
                    "the campaign chosen is a %(chosen)s campaign, not a %(platform)s one",
                    chosen=platform,
                    platform=change.platform,
                )
            )
        with open_warehouse(ctx.workspace.key) as warehouse:
            catalog = store.spend_catalog(warehouse)
        row = store.put_mapping(
            session,
            workspace_id=ctx.workspace.id,
            change=change,
            actor=ctx.user.email,
            catalog=catalog,
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        field = {"touch_campaign": _("touch campaign"), "campaign_id": _("campaign")}.get(
            str(first["loc"][0]), str(first["loc"][0])
        )
        reason = (
            _("the %(field)s is missing", field=field)
            if "short" in first["msg"] or "blank" in first["msg"]
            else _("the %(field)s: %(reason)s", field=field, reason=first["msg"])
        )
        return _page(request, session, ctx, status_code=422, error=reason, **keep)
    except InvalidInput as exc:
        return _page(request, session, ctx, status_code=422, error=translate(exc.message), **keep)
    audit.record(
        session,
        action="attribution.campaign_mapping",
        actor=ctx.user.email,
        workspace_id=ctx.workspace.id,
        target=f"{row.platform}:{row.touch_campaign}",
        details={"campaign_id": row.campaign_id},
    )
    session.commit()
    return _back(
        form,
        _(
            "%(platform)s “%(touch)s” now counts for %(campaign)s",
            platform=row.platform,
            touch=row.touch_campaign,
            campaign=store.mapping_public(row, catalog).campaign_name,
        ),
    )


@router.post("/delete")
def delete_mapping(request: Request, session: SessionDep, ctx: Importer, form: FormDep):
    from tradewinds.attribution import campaign_mappings as store
    from tradewinds.auth import audit
    from tradewinds.errors import NotFound

    platform = str(form.get("platform", "") or "")
    touch = str(form.get("touch_campaign", "") or "")
    try:
        store.delete_mapping(
            session, workspace_id=ctx.workspace.id, platform=platform, touch_campaign=touch
        )
    except NotFound as exc:
        return _page(
            request,
            session,
            ctx,
            status_code=404,
            error=translate(exc.message),
            date_from=str(form.get("from") or "") or None,
            date_to=str(form.get("to") or "") or None,
        )
    audit.record(
        session,
        action="attribution.campaign_mapping.delete",
        actor=ctx.user.email,
        workspace_id=ctx.workspace.id,
        target=f"{platform}:{touch}",
    )
    session.commit()
    return _back(
        form,
        _("the mapping of %(platform)s “%(touch)s” is removed", platform=platform, touch=touch),
    )
