"""Members of the caller's workspace and their roles."""

from __future__ import annotations

from fastapi import APIRouter, Response
from sqlalchemy import select

from tradewinds.api.deps import (
    MembersManager,
    MembersReader,
    SessionDep,
    get_owned,
    scoped,
)
from tradewinds.auth import users
from tradewinds.auth.schemas import MemberPublic, MemberUpdate
from tradewinds.db.models.tenancy import Membership

router = APIRouter(prefix="/members", tags=["members"])


def _public(m: Membership) -> MemberPublic:
    return MemberPublic(
        id=m.id,
        email=m.user.email,
        role=m.role,
        mfa_enabled=m.user.mfa_enabled,
        created_at=m.created_at,
    )


@router.get("", response_model=list[MemberPublic])
def list_members(session: SessionDep, principal: MembersReader):
    rows = session.scalars(
        scoped(select(Membership), Membership, principal).order_by(Membership.id)
    )
    return [_public(m) for m in rows]


@router.get("/{member_id}", response_model=MemberPublic)
def read_member(
    member_id: int,
    session: SessionDep,
    principal: MembersReader,
):
    return _public(get_owned(session, Membership, member_id, principal))


GRANT_RESPONSES: dict[int | str, dict[str, str]] = {
    403: {"description": "the caller's role may not give or take away this role"},
    409: {"description": "the member is the workspace's last owner"},
}


@router.patch("/{member_id}", response_model=MemberPublic, responses=GRANT_RESPONSES)
def update_member(
    member_id: int,
    member_in: MemberUpdate,
    session: SessionDep,
    principal: MembersManager,
):
    member = get_owned(session, Membership, member_id, principal)
    users.change_role(
        session=session,
        member=member,
        role=member_in.role,
        actor=principal.actor,
        actor_role=principal.role,
        actor_user_id=principal.user.id if principal.user is not None else None,
    )
    return _public(member)


@router.delete("/{member_id}", status_code=204, responses=GRANT_RESPONSES)
def remove_member(
    member_id: int,
    session: SessionDep,
    principal: MembersManager,
):
    member = get_owned(session, Membership, member_id, principal)
    users.remove_member(
        session=session, member=member, actor=principal.actor, actor_role=principal.role
    )
    return Response(status_code=204)
