"""Users and their memberships (a user can hold a different role in each workspace).

Every change to who holds which role goes through this module, which enforces the grant
rule of ``permissions.can_grant``: nobody invites, promotes, demotes or removes anyone
beyond their own role, only owners touch owners, and a workspace keeps at least one
owner. ``actor_role=None`` stands for the instance operator at the command line, who may
do anything except leave a workspace without an owner.
"""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tradewinds.auth import audit
from tradewinds.auth.passwords import check_strength, hash_password
from tradewinds.auth.permissions import OWNER, can_grant, grant_refusal, is_role, roles
from tradewinds.db.base import utcnow
from tradewinds.db.models.credentials import ApiKey
from tradewinds.db.models.tenancy import Membership, User, Workspace
from tradewinds.errors import Conflict, Forbidden, InvalidInput, NotFound
from tradewinds.i18n_markers import Text

LAST_OWNER = Text("a workspace must keep at least one owner; make someone else owner first")


def normalise_email(email: str) -> str:
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise InvalidInput(
            Text(
                "%(email)s is not a valid email address: %(reason)s",
                email=repr(email),
                reason=str(exc),
            )
        ) from exc


def check_role(role: str) -> str:
    if not is_role(role):
        raise InvalidInput(
            Text(
                "unknown role %(role)s; choose one of %(roles)s",
                role=repr(role),
                roles=", ".join(roles()),
            )
        )
    return role


def check_grant(actor_role: str | None, role: str, *, doing: str) -> None:
    """Refuse (403) when ``actor_role`` may not hand out ``role``; ``doing`` names the act."""
    check_role(role)
    if actor_role is None:
        return
    why = grant_refusal(actor_role, role)
    if why is not None:
        raise Forbidden(_refused(actor_role, doing, why))


def _refused(actor_role: str, doing: str, why: str) -> Text:
    return Text("as %(role)s you cannot %(doing)s: %(why)s", role=actor_role, doing=doing, why=why)


def _last_owner(member: Membership) -> Text:
    return Text("%(email)s is the last owner: %(why)s", email=member.user.email, why=LAST_OWNER)


def get_user(*, session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == normalise_email(email)))


def create_user(
    *,
    session: Session,
    email: str,
    password: str,
    workspace: Workspace,
    role: str,
    actor: str,
    actor_role: str | None = None,
) -> User:
    """Create a user (or add an existing one) as a member of the workspace with a role."""
    check_grant(actor_role, role, doing=Text("add a member as %(role)s", role=role))
    address = normalise_email(email)
    user = session.scalar(select(User).where(User.email == address))
    if user is None:
        try:
            check_strength(password)
        except ValueError as exc:
            raise InvalidInput(exc.args[0] if exc.args else str(exc)) from exc
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
    add_member(
        session=session,
        workspace=workspace,
        user=user,
        role=role,
        actor=actor,
        actor_role=actor_role,
    )
    return user


def add_member(
    *,
    session: Session,
    workspace: Workspace,
    user: User,
    role: str,
    actor: str,
    actor_role: str | None = None,
) -> Membership:
    check_grant(actor_role, role, doing=Text("add a member as %(role)s", role=role))
    existing = session.scalar(
        select(Membership).where(
            Membership.workspace_id == workspace.id, Membership.user_id == user.id
        )
    )
    if existing is not None:
        raise Conflict(
            Text(
                "%(email)s is already a member of %(workspace)s",
                email=user.email,
                workspace=workspace.name,
            )
        )
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


def _owner_count(session: Session, workspace_id: int) -> int:
    return session.scalar(
        select(func.count())
        .select_from(Membership)
        .where(Membership.workspace_id == workspace_id, Membership.role == OWNER)
    )


def _check_may_touch(actor_role: str | None, member: Membership, *, doing: str) -> None:
    """The actor must be allowed to hold ``member``'s current role to change or remove it."""
    if actor_role is None:
        return
    if member.role == OWNER and actor_role != OWNER:
        raise Forbidden(_refused(actor_role, doing, Text("only an owner can change an owner")))
    why = grant_refusal(actor_role, member.role)
    if why is not None:
        raise Forbidden(_refused(actor_role, doing, why))


def change_role(
    *,
    session: Session,
    member: Membership,
    role: str,
    actor: str,
    actor_role: str | None,
    actor_user_id: int | None = None,
) -> Membership:
    """Give ``member`` a new role, if the actor may both take away the old and give the new."""
    check_role(role)
    doing = Text("change a %(old)s into a %(new)s", old=member.role, new=role)
    own = actor_user_id is not None and actor_user_id == member.user_id
    if own and not can_grant(member.role, role):
        raise Forbidden(
            Text(
                "you cannot raise your own role from %(old)s to %(new)s; ask an owner to do it",
                old=member.role,
                new=role,
            )
        )
    _check_may_touch(actor_role, member, doing=doing)
    check_grant(actor_role, role, doing=doing)
    if member.role == role:
        return member
    if member.role == OWNER and _owner_count(session, member.workspace_id) <= 1:
        raise Conflict(_last_owner(member))
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
    _revoke_keys_beyond(session, member, actor=actor, role=role)
    return member


def remove_member(
    *, session: Session, member: Membership, actor: str, actor_role: str | None
) -> None:
    """Take ``member`` out of their workspace (and stop the API keys they created)."""
    _check_may_touch(actor_role, member, doing=Text("remove a %(role)s", role=member.role))
    if member.role == OWNER and _owner_count(session, member.workspace_id) <= 1:
        raise Conflict(_last_owner(member))
    audit.record(
        session,
        action="member.remove",
        actor=actor,
        workspace_id=member.workspace_id,
        target=f"user:{member.user.email}",
        details={"role": member.role},
    )
    _revoke_keys_beyond(session, member, actor=actor, role=None)
    session.delete(member)
    session.flush()


def _revoke_keys_beyond(
    session: Session, member: Membership, *, actor: str, role: str | None
) -> None:
    """Revoke keys ``member`` created that their new role (None: gone) could not create."""
    keys = session.scalars(
        select(ApiKey).where(
            ApiKey.workspace_id == member.workspace_id,
            ApiKey.created_by == member.user.email,
            ApiKey.revoked_at.is_(None),
        )
    )
    for key in keys:
        if role is not None and can_grant(role, key.role):
            continue
        key.revoked_at = utcnow()
        audit.record(
            session,
            action="apikey.revoke",
            actor=actor,
            workspace_id=member.workspace_id,
            target=f"apikey:{key.prefix}",
            details={"reason": "its creator no longer holds a role that may create it"},
        )


def membership(*, session: Session, workspace_id: int, user_id: int) -> Membership:
    member = session.scalar(
        select(Membership).where(
            Membership.workspace_id == workspace_id, Membership.user_id == user_id
        )
    )
    if member is None:
        raise NotFound(Text("not a member of this workspace"))
    return member
