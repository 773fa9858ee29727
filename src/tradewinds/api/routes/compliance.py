"""Compliance: check ad copy (batch), auto-fix, rule packs, the workspace's own packs."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr, model_validator

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
from tradewinds.db.models.compliance import UserRulePack

router = APIRouter(prefix="/compliance", tags=["compliance"])



class AdIn(BaseModel):
    id: StrictStr | StrictInt | None = Field(default=None, description="echoed in the result")
    text: str = Field(max_length=20_000)
    market: str = Field(min_length=2, max_length=10, examples=["DE"])
    platform: str | None = Field(default=None, max_length=20, examples=["google"])
    field: str | None = Field(default=None, max_length=40, examples=["headline"])
    sponsored: StrictBool = False


# Checking costs time in proportion to the text (phone numbers above all): a batch carries
# at most this much ad text, so one request cannot hold the server for minutes.
MAX_BATCH_CHARACTERS = 200_000


class CheckRequest(BaseModel):
    ads: list[AdIn] = Field(
        min_length=1, max_length=5_000,
        description=f"at most {MAX_BATCH_CHARACTERS:,} characters of text in all",
    )

    @model_validator(mode="after")
    def _within_budget(self) -> CheckRequest:
        total = sum(len(ad.text) for ad in self.ads)
        if total > MAX_BATCH_CHARACTERS:
            raise ValueError(
                f"the ads hold {total:,} characters of text; send at most "
                f"{MAX_BATCH_CHARACTERS:,} per request (split the batch)"
            )
        return self


class FindingOut(BaseModel):
    rule_id: str
    pack: str
    market: str | None
    platform: str | None
    severity: Literal["block", "warn", "info"]
    category: str
    start: int
    end: int
    span: list[int]
    matched: str
    message: str
    reference: str
    suggested_fix: str | None


class CheckResultOut(BaseModel):
    id: str | int | None
    verdict: Literal["block", "warn", "pass"]
    findings: list[FindingOut]


class CheckResponse(BaseModel):
    results: list[CheckResultOut]


class FixResponse(CheckResultOut):
    original: str
    fixed: str
    applied: list[FindingOut]


class RuleOut(BaseModel):
    id: str
    kind: str
    severity: str
    category: str
    languages: list[str]
    message: str
    reference: str
    fixable: bool


class PackOut(BaseModel):
    id: str
    title: str
    scope: str
    markets: list[str]
    platforms: list[str]
    extends: list[str]
    description: str
    sources: list[str]
    rules: list[RuleOut]


class UserPackIn(BaseModel):
    yaml: str = Field(min_length=1, description="the rule pack as YAML (scope: user)")
    enabled: StrictBool = True


class UserPackUpdate(BaseModel):
    yaml: str | None = Field(default=None, min_length=1)
    enabled: StrictBool | None = None


class UserPackPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    pack_key: str
    title: str
    rule_count: int
    enabled: bool
    source: str
    created_by: str
    created_at: datetime
    updated_at: datetime


def _pack_out(pack: Any) -> PackOut:
    return PackOut(
        id=pack.id, title=pack.title, scope=pack.scope, markets=pack.markets,
        platforms=pack.platforms, extends=pack.extends, description=pack.description.strip(),
        sources=pack.sources,
        rules=[RuleOut(id=r.id, kind=r.kind, severity=r.severity, category=r.category,
                       languages=r.languages, message=r.message, reference=r.reference,
                       fixable=r.fixable) for r in pack.rules],
    )


@router.post("/check", response_model=CheckResponse)
def check_ads(body: CheckRequest, session: SessionDep, principal: ComplianceChecker):
    """Check a batch of ads; each result has the same id, a verdict and its findings."""
    extra = user_packs.enabled_user_packs(session=session, workspace_id=principal.workspace_id)
    results = []
    for ad in body.ads:
        result = check_text(ad.text, market=ad.market, platform=ad.platform, field=ad.field,
                            sponsored=ad.sponsored, extra_packs=extra)
        results.append({"id": ad.id, "verdict": result.verdict,
                        "findings": [f.to_dict() for f in result.findings]})
    return {"results": results}


@router.post("/fix", response_model=FixResponse)
def fix_ad(ad: AdIn, session: SessionDep, principal: ComplianceChecker):
    """Apply only the safe replacements rules carry, then check the fixed text again."""
    extra = user_packs.enabled_user_packs(session=session, workspace_id=principal.workspace_id)
    fixed = autofix(ad.text, market=ad.market, platform=ad.platform, field=ad.field,
                    sponsored=ad.sponsored, extra_packs=extra)
    return {
        "id": ad.id, "original": fixed.original, "fixed": fixed.fixed,
        "applied": [f.to_dict() for f in fixed.applied],
        "verdict": fixed.result.verdict,
        "findings": [f.to_dict() for f in fixed.result.findings],
    }


@router.get("/packs", response_model=list[PackOut])
def list_packs(session: SessionDep, principal: ComplianceChecker):
    """Built-in packs and the workspace's enabled packs, with their rules."""
    own = user_packs.enabled_user_packs(session=session, workspace_id=principal.workspace_id)
    return [_pack_out(p) for p in [*builtin_packs().values(), *own]]


@router.get("/user-packs", response_model=list[UserPackPublic])
def list_user_packs(session: SessionDep, principal: ComplianceChecker):
    return user_packs.list_user_packs(session=session, workspace_id=principal.workspace_id)


@router.post("/user-packs", response_model=UserPackPublic, status_code=201)
def create_user_pack(body: UserPackIn, session: SessionDep, principal: ComplianceManager):
    """Add a pack (brand terms, competitor names …); a bad pack answers 422 with each line."""
    return user_packs.create_user_pack(
        session=session, workspace_id=principal.workspace_id, source=body.yaml,
        actor=principal.actor, enabled=body.enabled,
    )


@router.get("/user-packs/{user_pack_id}", response_model=UserPackPublic)
def read_user_pack(user_pack_id: int, session: SessionDep, principal: ComplianceChecker):
    return get_owned(session, UserRulePack, user_pack_id, principal)


@router.put("/user-packs/{user_pack_id}", response_model=UserPackPublic)
def update_user_pack(
    user_pack_id: int, body: UserPackUpdate, session: SessionDep, principal: ComplianceManager
):
    record = get_owned(session, UserRulePack, user_pack_id, principal)
    return user_packs.update_user_pack(session=session, record=record, source=body.yaml,
                                       enabled=body.enabled, actor=principal.actor)


@router.delete("/user-packs/{user_pack_id}", status_code=204)
def delete_user_pack(user_pack_id: int, session: SessionDep, principal: ComplianceManager):
    record = get_owned(session, UserRulePack, user_pack_id, principal)
    user_packs.delete_user_pack(session=session, record=record, actor=principal.actor)
