"""Compliance: check ad copy (batch), auto-fix, rule packs, the workspace's own packs."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from tradewinds.api.deps import (
    ComplianceChecker,
    ComplianceManager,
    SessionDep,
    get_owned,
)
from tradewinds.compliance import user_packs
from tradewinds.compliance.autofix import autofix
from tradewinds.compliance.engine import check_text
from tradewinds.compliance.loader import builtin_packs
from tradewinds.compliance.schemas import (
    AdCheck,
    CheckRequest,
    CheckResultsPublic,
    FixResultPublic,
    PackPublic,
    RulePublic,
    UserPackCreate,
    UserPackPublic,
    UserPackUpdate,
)
from tradewinds.db.models.compliance import UserRulePack

router = APIRouter(prefix="/compliance", tags=["compliance"])


def _pack_out(pack: Any) -> PackPublic:
    return PackPublic(
        id=pack.id,
        title=pack.title,
        scope=pack.scope,
        markets=pack.markets,
        platforms=pack.platforms,
        extends=pack.extends,
        description=pack.description.strip(),
        sources=pack.sources,
        rules=[
            RulePublic(
                id=r.id,
                kind=r.kind,
                severity=r.severity,
                category=r.category,
                languages=r.languages,
                message=r.message,
                reference=r.reference,
                fixable=r.fixable,
            )
            for r in pack.rules
        ],
    )


@router.post("/check", response_model=CheckResultsPublic)
def check_ads(body: CheckRequest, session: SessionDep, principal: ComplianceChecker):
    """Check a batch of ads; each result has the same id, a verdict and its findings."""
    extra = user_packs.enabled_user_packs(session=session, workspace_id=principal.workspace_id)
    results = []
    for ad in body.ads:
        result = check_text(
            ad.text,
            market=ad.market,
            platform=ad.platform,
            field=ad.field,
            sponsored=ad.sponsored,
            extra_packs=extra,
            allow_terms=ad.allow_terms,
        )
        results.append(
            {
                "id": ad.id,
                "verdict": result.verdict,
                "findings": [f.to_dict() for f in result.findings],
            }
        )
    return {"results": results}


@router.post("/fix", response_model=FixResultPublic)
def fix_ad(ad: AdCheck, session: SessionDep, principal: ComplianceChecker):
    """Apply only the safe replacements rules carry, then check the fixed text again."""
    extra = user_packs.enabled_user_packs(session=session, workspace_id=principal.workspace_id)
    fixed = autofix(
        ad.text,
        market=ad.market,
        platform=ad.platform,
        field=ad.field,
        sponsored=ad.sponsored,
        extra_packs=extra,
        allow_terms=ad.allow_terms,
    )
    return {
        "id": ad.id,
        "original": fixed.original,
        "fixed": fixed.fixed,
        "applied": [f.to_dict() for f in fixed.applied],
        "verdict": fixed.result.verdict,
        "findings": [f.to_dict() for f in fixed.result.findings],
    }


@router.get("/packs", response_model=list[PackPublic])
def list_packs(session: SessionDep, principal: ComplianceChecker):
    """Built-in packs and the workspace's enabled packs, with their rules."""
    own = user_packs.enabled_user_packs(session=session, workspace_id=principal.workspace_id)
    return [_pack_out(p) for p in [*builtin_packs().values(), *own]]


@router.get("/user-packs", response_model=list[UserPackPublic])
def list_user_packs(session: SessionDep, principal: ComplianceChecker):
    return user_packs.list_user_packs(session=session, workspace_id=principal.workspace_id)


@router.post("/user-packs", response_model=UserPackPublic, status_code=201)
def create_user_pack(body: UserPackCreate, session: SessionDep, principal: ComplianceManager):
    """Add a pack (brand terms, competitor names …); a bad pack answers 422 with each line."""
    return user_packs.create_user_pack(
        session=session,
        workspace_id=principal.workspace_id,
        source=body.yaml,
        actor=principal.actor,
        enabled=body.enabled,
    )


@router.get("/user-packs/{user_pack_id}", response_model=UserPackPublic)
def read_user_pack(user_pack_id: int, session: SessionDep, principal: ComplianceChecker):
    return get_owned(session, UserRulePack, user_pack_id, principal)


@router.put("/user-packs/{user_pack_id}", response_model=UserPackPublic)
def update_user_pack(
    user_pack_id: int, body: UserPackUpdate, session: SessionDep, principal: ComplianceManager
):
    record = get_owned(session, UserRulePack, user_pack_id, principal)
    return user_packs.update_user_pack(
        session=session,
        record=record,
        source=body.yaml,
        enabled=body.enabled,
        actor=principal.actor,
    )


@router.delete("/user-packs/{user_pack_id}", status_code=204)
def delete_user_pack(user_pack_id: int, session: SessionDep, principal: ComplianceManager):
    record = get_owned(session, UserRulePack, user_pack_id, principal)
    user_packs.delete_user_pack(session=session, record=record, actor=principal.actor)
