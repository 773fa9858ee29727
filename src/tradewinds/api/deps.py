"""Dependencies shared by every API route.

Tenant isolation lives here and nowhere else: every request is bound to exactly one
workspace (the API key's, or the browser session's current one), and ``get_owned`` is the
only way a route loads an object by id — anything outside the caller's workspace is a 404.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from tradewinds.auth import apikeys, sessions
from tradewinds.auth.permissions import allowed
from tradewinds.db.engine import session_scope
from tradewinds.db.models.tenancy import Membership, User, Workspace
from tradewinds.errors import Forbidden, NotFound, Unauthorized

T = TypeVar("T")

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def get_db() -> Iterator[Session]:
    with session_scope() as session:
        yield session


# Committed before the response is sent, so a client that follows a redirect sees the change.
SessionDep = Annotated[Session, Depends(get_db, scope="function")]


@dataclass
class Principal:
    """Who is calling, in which workspace, with which role."""

    workspace: Workspace
    role: str
    actor: str
    user: User | None = None
    api_key_id: int | None = None

    @property
    def workspace_id(self) -> int:
        return self.workspace.id

    def can(self, permission: str) -> bool:
        return allowed(self.role, permission)


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def current_principal(request: Request, session: SessionDep) -> Principal:
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        record = apikeys.authenticate_key(session=session, key=auth[7:])
        if record is None:
            raise Unauthorized("the API key is missing, revoked or wrong")
        workspace = session.get(Workspace, record.workspace_id)
        assert workspace is not None
        return Principal(
            workspace=workspace,
            role=record.role,
            actor=f"apikey:{record.prefix}",
            api_key_id=record.id,
        )
    web = sessions.lookup(session=session, token=request.cookies.get(sessions.COOKIE))
    if web is None or not web.mfa_passed or web.workspace_id is None:
        raise Unauthorized("send an API key as 'Authorization: Bearer tw_…' or sign in")
    if request.method not in SAFE_METHODS and request.headers.get("x-csrf-token") != web.csrf_token:
        raise Forbidden("missing or wrong X-CSRF-Token header")
    member = session.scalar(
        select(Membership).where(
            Membership.workspace_id == web.workspace_id, Membership.user_id == web.user_id
        )
    )
    if member is None:
        raise Unauthorized("you are no longer a member of this workspace")
    user = session.get(User, web.user_id)
    assert user is not None
    return Principal(workspace=member.workspace, role=member.role, actor=user.email, user=user)


PrincipalDep = Annotated[Principal, Depends(current_principal)]


def require(permission: str) -> Callable[[Principal], Principal]:
    """Dependency factory: the caller's role must grant ``permission``."""

    def check(principal: PrincipalDep) -> Principal:
        if not principal.can(permission):
            raise Forbidden(f"the {principal.role} role may not do this ({permission})")
        return principal

    return check


def get_owned_in_workspace(
    session: Session, model: type[T], object_id: Any, workspace_id: int
) -> T:
    """Load ``model`` by primary key if it belongs to ``workspace_id``, else 404."""
    obj = session.get(model, object_id)
    if obj is None or getattr(obj, "workspace_id", None) != workspace_id:
        raise NotFound(f"no {getattr(model, '__tablename__', model.__name__)} with id {object_id}")
    return obj


def get_owned(session: Session, model: type[T], object_id: Any, principal: Principal) -> T:
    """Load ``model`` by primary key within the caller's workspace, else 404."""
    return get_owned_in_workspace(session, model, object_id, principal.workspace_id)


def scoped(query: Any, model: Any, principal: Principal) -> Any:
    """Restrict a select() over ``model`` to the caller's workspace."""
    return query.where(model.workspace_id == principal.workspace_id)
