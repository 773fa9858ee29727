"""Members of the caller's workspace and their roles."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel
from sqlalchemy import select

from tradewinds.api.deps import Principal, SessionDep, get_owned, require, scoped
from tradewinds.auth import audit, users
from tradewinds.auth.permissions import can_grant
from tradewinds.db.models.tenancy import Membership
from tradewinds.errors import Conflict, Forbidden

router = APIRouter(prefix="/members", tags=["members"])


class MemberPublic(BaseModel):
    id: int
    email: str
    role: str
    mfa_enabled: bool
    created_at: datetime


class MemberUpdate(BaseModel):
    role: str


def _public(m: Membership) -> MemberPublic:
    return MemberPublic(
        id=m.id,
        email=m.user.email,
        role=m.role,
        mfa_enabled=m.user.mfa_enabled,
        created_at=m.created_at,
    )


@router.get("", response_model=list[MemberPublic])
def list_members(
    session: SessionDep, principal: Annotated[Principal, Depends(require("members.read"))]
):
    rows = session.scalars(
        scoped(select(Membership), Membership, principal).order_by(Membership.id)
    )
    return [_public(m) for m in rows]


@router.get("/{member_id}", response_model=MemberPublic)
def read_member(
    member_id: int,
    session: SessionDep,
    principal: Annotated[Principal, Depends(require("members.read"))],
):
    return _public(get_owned(session, Membership, member_id, principal))


@router.patch("/{member_id}", response_model=MemberPublic)
def update_member(
    member_id: int,
    member_in: MemberUpdate,
    session: SessionDep,
    principal: Annotated[Principal, Depends(require("members.manage"))],
):
    member = get_owned(session, Membership, member_id, principal)
    users.change_role(
        session=session,
        member=member,
        role=member_in.role,
        actor=principal.actor,
        actor_role=principal.role,
    )
    return _public(member)


@router.delete("/{member_id}", status_code=204)
def remove_member(
    member_id: int,
    session: SessionDep,
    principal: Annotated[Principal, Depends(require("members.manage"))],
):
    member = get_owned(session, Membership, member_id, principal)
    if not can_grant(principal.role, member.role):
        raise Forbidden(f"a {principal.role} cannot remove a {member.role}")
    if member.role == "owner":
        owners = session.scalars(
            scoped(select(Membership), Membership, principal).where(Membership.role == "owner")
        ).all()
        if len(owners) <= 1:
            raise Conflict("a workspace must keep at least one owner")
    audit.record(
        session,
        action="member.remove",
        actor=principal.actor,
        workspace_id=principal.workspace_id,
        target=f"user:{member.user.email}",
    )
    session.delete(member)
    return Response(status_code=204)
