"""Attribution → Campaigns: touch campaigns that reach no ad campaign, and the mapping the
seller edits so that they do (the same store and checks as the API)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from tradewinds.api.deps import SessionDep
from tradewinds.attribution.access import CAMPAIGN_MAPPINGS
from tradewinds.errors import InvalidInput
from tradewinds.web import periods
from tradewinds.web.deps import DataImporter, FormDep, WebContext, reading
from tradewinds.web.frame import render
from tradewinds.web.i18n import gettext as _
from tradewinds.web.periods import Period
from tradewinds.web.texts import translate

router = APIRouter(prefix="/attribution/campaigns", include_in_schema=False)
CampaignsPage = reading(CAMPAIGN_MAPPINGS)
Importer = DataImporter


def _period(ctx: WebContext, query: Mapping[str, Any]) -> tuple[Period, dict[str, str]]:
    """The period the top bar's control asks for (``web/periods.py``, as on Attribution),
    and the reason by field when it cannot be read (the default period is shown then)."""
    from tradewinds.warehouse import open_warehouse

    with open_warehouse(ctx.workspace.key) as warehouse:
        days = periods.data_days(warehouse, ctx.workspace.timezone)
    try:
        return periods.read(query, days=days), {}
    except InvalidInput as exc:
        field = str((exc.details or {}).get("field", "from"))
        return periods.read({}, days=days), {field: translate(exc.message)}


def _query(source: Any) -> dict[str, Any]:
    """The period's parameters from a query string or a posted form."""
    return {k: source.getlist(k) for k in Period.own if source.getlist(k)}


def _page(
    request: Request,
    session: SessionDep,
    ctx: WebContext,
    *,
    query: Mapping[str, Any],
    status_code: int = 200,
    **kw: Any,
):
    from tradewinds.attribution import campaign_mappings as store
    from tradewinds.warehouse import open_warehouse

    ctx.require("data.read")
    ctx.nav = "attribution"
    period, errors = _period(ctx, query)
    start, end = period.start, period.end
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
            period=period,
            period_compare=False,
            form={"preset": period.preset, "from": start.isoformat(), "to": end.isoformat()},
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
    saved: str | None = None,
):
    return _page(request, session, ctx, query=_query(request.query_params), saved=saved)


def _back(form: Any, saved: str) -> RedirectResponse:
    query = {k: str(form.get(k)) for k in ("preset", "from", "to") if form.get(k)}
    query["saved"] = saved
    return RedirectResponse(f"/attribution/campaigns?{urlencode(query)}", status_code=303)


@router.post("")
def save_mapping(request: Request, session: SessionDep, ctx: Importer, form: FormDep):
    from pydantic import ValidationError

    from tradewinds.attribution import campaign_mappings as store
    from tradewinds.attribution.campaign_schemas import CampaignMappingUpdate
    from tradewinds.auth import audit
    from tradewinds.warehouse import open_warehouse

    chosen = str(form.get("campaign", "") or "")
    platform, _colon, campaign_id = chosen.partition(":")
    raw = {
        "platform": str(form.get("platform", "") or platform),
        "touch_campaign": str(form.get("touch_campaign", "") or ""),
        "campaign_id": campaign_id,
    }
    keep = {"query": _query(form)}
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
            query=_query(form),
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
