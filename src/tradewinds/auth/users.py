"""Users and their memberships (a user can hold a different role in each workspace)."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select
from sqlalchemy.orm import Session

from tradewinds.auth import audit
from tradewinds.auth.passwords import check_strength, hash_password
from tradewinds.auth.permissions import can_grant, is_role, roles
from tradewinds.db.models.tenancy import Membership, User, Workspace
from tradewinds.errors import Conflict, Forbidden, InvalidInput, NotFound


def normalise_email(email: str) -> str:
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise InvalidInput(f"{email!r} is not a valid email address: {exc}") from exc


def check_role(role: str) -> str:
    if not is_role(role):
        raise InvalidInput(f"unknown role {role!r}; choose one of {', '.join(roles())}")
    return role


def get_user(*, session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == normalise_email(email)))


def create_user(
    *, session: Session, email: str, password: str, workspace: Workspace, role: str, actor: str
) -> User:
    """Create a user (or add an existing one) as a member of the workspace with a role."""
    check_role(role)
    address = normalise_email(email)
    user = session.scalar(select(User).where(User.email == address))
    if user is None:
        try:
            check_strength(password)
        except ValueError as exc:
            raise InvalidInput(str(exc)) from exc
        user = User(email=address, password_hash=hash_password(password))
        session.add(user)
        session.flush()
        audit.record(
            session,
            action="user.create",
            actor=actor,
            workspace_id=workspace.id,
            target=f"user:{address}",
        )
    add_member(session=session, workspace=workspace, user=user, role=role, actor=actor)
    return user


def add_member(
    *, session: Session, workspace: Workspace, user: User, role: str, actor: str
) -> Membership:
    check_role(role)
    existing = session.scalar(
        select(Membership).where(
            Membership.workspace_id == workspace.id, Membership.user_id == user.id
        )
    )
    if existing is not None:
        raise Conflict(f"{user.email} is already a member of {workspace.name}")
    member = Membership(workspace_id=workspace.id, user_id=user.id, role=role)
    session.add(member)
    session.flush()
    audit.record(
        session,
        action="member.add",
        actor=actor,
        workspace_id=workspace.id,
        target=f"user:{user.email}",
        details={"role": role},
    )
    return member


def change_role(
    *, session: Session, member: Membership, role: str, actor: str, actor_role: str
) -> Membership:
    check_role(role)
    if not can_grant(actor_role, role) or not can_grant(actor_role, member.role):
        raise Forbidden(f"a {actor_role} cannot change a {member.role} into a {role}")
    if member.role == "owner" and role != "owner":
        owners = session.scalars(
            select(Membership).where(
                Membership.workspace_id == member.workspace_id, Membership.role == "owner"
            )
        ).all()
        if len(owners) <= 1:
            raise Conflict("a workspace must keep at least one owner")
    old = member.role
    member.role = role
    audit.record(
        session,
        action="member.role_change",
        actor=actor,
        workspace_id=member.workspace_id,
        target=f"user:{member.user.email}",
        details={"from": old, "to": role},
    )
    return member


def membership(*, session: Session, workspace_id: int, user_id: int) -> Membership:
    member = session.scalar(
        select(Membership).where(
            Membership.workspace_id == workspace_id, Membership.user_id == user_id
        )
    )
    if member is None:
        raise NotFound("not a member of this workspace")
    return member
