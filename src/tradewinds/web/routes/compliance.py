"""Compliance pages: check an ad and see each finding in the text, rule packs, own packs.

What the rules and the engine say (a finding's message, a pack's title and description, a
bad pack's reasons) is shown in the page's language through ``|tr``; the rules of a
workspace's own pack are its users' words, shown as written (``dir="auto"``).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from tradewinds.api.deps import SessionDep
from tradewinds.compliance import user_packs
from tradewinds.compliance.autofix import autofix
from tradewinds.compliance.engine import check_text
from tradewinds.compliance.highlight import segments
from tradewinds.compliance.labels import SCOPES, SEVERITIES
from tradewinds.compliance.loader import builtin_packs
from tradewinds.compliance.user_packs import INVALID_PACK
from tradewinds.db.models.compliance import UserRulePack
from tradewinds.errors import NotFound, TradewindsError
from tradewinds.i18n_markers import Text
from tradewinds.web.deps import ComplianceChecker, ComplianceManager, FormDep, WebContext
from tradewinds.web.frame import render
from tradewinds.web.i18n import N_
from tradewinds.web.i18n import gettext as _
from tradewinds.web.texts import translate

router = APIRouter(prefix="/compliance", include_in_schema=False)
Checker = ComplianceChecker
PackManager = ComplianceManager

MARKETS = [
    ("EU", N_("European Union")),
    ("DE", N_("Germany")),
    ("FR", N_("France")),
    ("UK", N_("United Kingdom")),
    ("US", N_("United States")),
    ("CN", N_("China")),
    ("JP", N_("Japan")),
    ("SA", N_("Saudi Arabia")),
    ("AE", N_("United Arab Emirates")),
    ("ID", N_("Indonesia")),
    ("MY", N_("Malaysia")),
    ("BR", N_("Brazil")),
]
PLATFORMS = [
    ("", N_("No platform")),
    ("google", "Google Ads"),
    ("meta", "Meta"),
    ("tiktok", "TikTok"),
    ("amazon", "Amazon"),
]
FIELDS = [
    "",
    "headline",
    "long_headline",
    "description",
    "path",
    "primary_text",
    "ad_text",
    "title",
    "bullet_point",
    "search_terms",
]


def _own_record(session: Session, pack_id: int, workspace_id: int) -> UserRulePack:
    record = session.get(UserRulePack, pack_id)
    if record is None or record.workspace_id != workspace_id:
        raise NotFound(Text("no rule pack with id %(id)s", id=str(pack_id)))
    return record


def _form_values(form: FormDep) -> dict:
    return {
        "text": str(form.get("text", ""))[:20_000],
        "market": str(form.get("market", "US")) or "US",
        "platform": str(form.get("platform", "")) or None,
        "field": str(form.get("field", "")) or None,
        "sponsored": form.get("sponsored") == "on",
    }


def _page(request: Request, ctx: WebContext, template: str, status_code: int = 200, **kw):
    ctx.nav = "compliance"
    return render(
        request,
        template,
        ctx.page(
            markets=MARKETS,
            platforms=PLATFORMS,
            fields=FIELDS,
            severities=SEVERITIES,
            scopes=SCOPES,
            builtin={*builtin_packs(), "tradewinds"},  # packs whose words the catalogs have
            **kw,
        ),
        status_code=status_code,
    )


@router.get("")
def check_page(request: Request, ctx: Checker):
    values = {"text": "", "market": "US", "platform": None, "field": None, "sponsored": False}
    return _page(request, ctx, "compliance/check.html", values=values, result=None)


@router.post("")
def check_submit(request: Request, session: SessionDep, ctx: Checker, form: FormDep):
    values = _form_values(form)
    extra = user_packs.enabled_user_packs(session=session, workspace_id=ctx.workspace.id)
    fixed = None
    if form.get("action") == "fix":
        fixed = autofix(
            values["text"],
            market=values["market"],
            platform=values["platform"],
            field=values["field"],
            sponsored=values["sponsored"],
            extra_packs=extra,
        )
        values["text"] = fixed.fixed
        result = fixed.result
    else:
        result = check_text(
            values["text"],
            market=values["market"],
            platform=values["platform"],
            field=values["field"],
            sponsored=values["sponsored"],
            extra_packs=extra,
        )
    fixable = sum(1 for f in result.findings if f.suggested_fix is not None)
    return _page(
        request,
        ctx,
        "compliance/check.html",
        values=values,
        result=result,
        parts=segments(result.text, result.findings),
        fixed=fixed,
        fixable=fixable,
    )


@router.get("/packs")
def packs_page(request: Request, session: SessionDep, ctx: Checker):
    own = user_packs.enabled_user_packs(session=session, workspace_id=ctx.workspace.id)
    order = {"global": 0, "market": 1, "platform": 2, "user": 3}
    packs = sorted(builtin_packs().values(), key=lambda p: (order[p.scope], translate(p.title)))
    return _page(request, ctx, "compliance/packs.html", packs=[*packs, *own])


def _own_page(request: Request, session: SessionDep, ctx: WebContext, status_code: int = 200, **kw):
    records = user_packs.list_user_packs(session=session, workspace_id=ctx.workspace.id)
    kw.setdefault("problems", [])
    kw.setdefault("source", "")
    kw.setdefault("message", None)
    kw.setdefault("heading", None)
    return _page(
        request, ctx, "compliance/own_packs.html", status_code=status_code, records=records, **kw
    )


@router.get("/own-packs")
def own_packs_page(request: Request, session: SessionDep, ctx: Checker):
    return _own_page(request, session, ctx)


@router.post("/own-packs")
def own_packs_create(request: Request, session: SessionDep, ctx: PackManager, form: FormDep):
    source = str(form.get("yaml", ""))
    try:
        user_packs.create_user_pack(
            session=session, workspace_id=ctx.workspace.id, source=source, actor=ctx.user.email
        )
    except TradewindsError as exc:
        details = exc.details if isinstance(exc.details, dict) else {}
        invalid = isinstance(exc.message, Text) and exc.message.msgid == INVALID_PACK
        return _own_page(
            request,
            session,
            ctx,
            status_code=422,
            # a pack that does not parse: each problem on its line; else the one sentence
            problems=details.get("problems", []) if invalid else [],
            heading=_("The rule pack is not valid:") if invalid else translate(exc.message),
            source=source,
            message=translate(exc.message),
        )
    return RedirectResponse("/compliance/own-packs?added=1", status_code=303)


@router.post("/own-packs/{pack_id}/toggle")
def own_packs_toggle(pack_id: int, session: SessionDep, ctx: PackManager, form: FormDep):
    record = _own_record(session, pack_id, ctx.workspace.id)
    user_packs.update_user_pack(
        session=session,
        record=record,
        source=None,
        enabled=not record.enabled,
        actor=ctx.user.email,
    )
    return RedirectResponse("/compliance/own-packs", status_code=303)


@router.post("/own-packs/{pack_id}/delete")
def own_packs_delete(pack_id: int, session: SessionDep, ctx: PackManager, form: FormDep):
    record = _own_record(session, pack_id, ctx.workspace.id)
    user_packs.delete_user_pack(session=session, record=record, actor=ctx.user.email)
    return RedirectResponse("/compliance/own-packs", status_code=303)
