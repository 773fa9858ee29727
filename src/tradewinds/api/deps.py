"""Dependencies shared by every API route.

Tenant isolation lives here and nowhere else: every request is bound to exactly one
workspace (the API key's, or the browser session's current one), and ``get_owned`` is the
only way a route loads an object by id — anything outside the caller's workspace is a 404,
and so is an id no row can have (0, negative, or beyond what the id column holds).

``COMMON_RESPONSES`` documents, once for the whole API, the error answers any route may give,
so the OpenAPI document lists every status code a client can see.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from pydantic import AfterValidator, BaseModel, BeforeValidator, Field
from sqlalchemy import BigInteger, SmallInteger, inspect, select
from sqlalchemy.orm import Session

from tradewinds.auth import apikeys, sessions
from tradewinds.auth.access import GATES, Grant, ReportAccess, check_permission, grant
from tradewinds.auth.permissions import allowed
from tradewinds.db.engine import session_scope
from tradewinds.db.models.tenancy import Membership, User, Workspace
from tradewinds.errors import Forbidden, NotFound, Unauthorized
from tradewinds.warehouse.backend import Warehouse

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
    grant: Grant | None = None  # set by ``reads``: the report this request reads

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
    """Dependency factory: the caller's role must grant ``permission``.

    The dependency carries ``permission`` so tests can read what every route needs."""

    def check(principal: PrincipalDep) -> Principal:
        check_permission(principal.role, permission)
        return principal

    check.permission = permission  # type: ignore[attr-defined]
    return check


def reads(access: ReportAccess) -> Callable[..., Principal]:
    """Dependency factory for a report route: ``grant`` decides (403, or what is hidden);
    a route of a ``ReportRoute`` router then answers without the hidden money fields."""

    def check(request: Request, principal: PrincipalDep) -> Principal:
        principal.grant = grant(principal.role, access)
        request.state.report_grant = principal.grant
        return principal

    check.permission = access.permission  # type: ignore[attr-defined]
    check.report = access  # type: ignore[attr-defined]
    return check


def reader(access: ReportAccess) -> Any:
    """``Annotated[Principal, Depends(reads(access))]`` for a route's signature."""
    return Annotated[Principal, Depends(reads(access))]


class ReportRoute(APIRoute):
    """The route class of report routers: a JSON answer to a caller whose grant hides money
    loses those fields (and says so, ``hidden`` / ``reason``), whatever the route returned."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        answer = super().get_route_handler()

        async def without_hidden_money(request: Request) -> Response:
            response = await answer(request)
            found: Grant | None = getattr(request.state, "report_grant", None)
            kind = response.headers.get("content-type", "")
            if found is None or found.finance or not kind.startswith("application/json"):
                return response
            stripped = JSONResponse(
                found.strip(json.loads(response.body)), status_code=response.status_code
            )
            for name, value in response.headers.items():
                if name not in ("content-length", "content-type"):
                    stripped.headers[name] = value
            return stripped

        return without_hidden_money


def gate(name: str) -> Any:
    """``Annotated[Principal, Depends(require(GATES[name]))]``: the named check of
    ``auth.access.GATES`` (the pages declare the same names in ``web/deps.py``)."""
    return Annotated[Principal, Depends(require(GATES[name]))]


# Every route declares its caller with one of these (or with ``reader(report)``).
WorkspaceReader = gate("WorkspaceReader")
WorkspaceManager = gate("WorkspaceManager")
MembersReader = gate("MembersReader")
MembersManager = gate("MembersManager")
KeysManager = gate("KeysManager")
AuditReader = gate("AuditReader")
DataImporter = gate("DataImporter")
DataReader = gate("DataReader")
SqlRunner = gate("SqlRunner")
FinanceReader = gate("FinanceReader")
ComplianceChecker = gate("ComplianceChecker")
ComplianceManager = gate("ComplianceManager")
AudienceExporter = gate("AudienceExporter")
ContentWriter = gate("ContentWriter")


def caller_workspace(principal: PrincipalDep) -> Workspace:
    return principal.workspace


# The caller's workspace (every route is bound to exactly one).
WorkspaceDep = Annotated[Workspace, Depends(caller_workspace)]


def workspace_warehouse(principal: PrincipalDep) -> Iterator[Warehouse]:
    """The caller's workspace's warehouse, open while the route runs. Declare it after the
    route's permission dependency so a refused caller never opens it."""
    from tradewinds.warehouse import open_warehouse

    with open_warehouse(principal.workspace.key) as warehouse:
        yield warehouse


WarehouseDep = Annotated[Warehouse, Depends(workspace_warehouse, scope="function")]


# The largest id each integer column type holds on every app DB (PostgreSQL's are the
# narrowest: INTEGER is 32-bit there, while SQLite's are all 64-bit).
LARGEST_ID = {SmallInteger: 2**15 - 1, BigInteger: 2**63 - 1}
LARGEST_INTEGER_ID = 2**31 - 1


def largest_id(model: type) -> int:
    """The largest primary key ``model``'s id column can hold on any app DB."""
    column = inspect(model).primary_key[0]
    for kind, largest in LARGEST_ID.items():
        if isinstance(column.type, kind):
            return largest
    return LARGEST_INTEGER_ID


def id_in_range(model: type, object_id: Any) -> bool:
    """False for an integer id that no row of ``model`` can have (0, negative, too large):
    such an id is answered 404 before the database, which would refuse to compare it."""
    if not isinstance(object_id, int) or isinstance(object_id, bool):
        return True
    return 1 <= object_id <= largest_id(model)


def get_owned_in_workspace(
    session: Session, model: type[T], object_id: Any, workspace_id: int
) -> T:
    """Load ``model`` by primary key if it belongs to ``workspace_id``, else 404."""
    obj = session.get(model, object_id) if id_in_range(model, object_id) else None
    if obj is None or getattr(obj, "workspace_id", None) != workspace_id:
        raise NotFound(f"no {getattr(model, '__tablename__', model.__name__)} with id {object_id}")
    return obj


def get_owned(session: Session, model: type[T], object_id: Any, principal: Principal) -> T:
    """Load ``model`` by primary key within the caller's workspace, else 404."""
    return get_owned_in_workspace(session, model, object_id, principal.workspace_id)


def scoped(query: Any, model: Any, principal: Principal) -> Any:
    """Restrict a select() over ``model`` to the caller's workspace."""
    return query.where(model.workspace_id == principal.workspace_id)


class ErrorDetail(BaseModel):
    code: str = Field(description="machine-readable, e.g. not_found, invalid_input")
    message: str = Field(description="what went wrong and why, in plain words")
    details: Any = Field(default=None, description="per-field problems, limits, …")


class ErrorBody(BaseModel):
    """Every error the API answers: ``{"error": {"code", "message", "details"}}``."""

    error: ErrorDetail


def _error(description: str) -> dict[str, Any]:
    return {"model": ErrorBody, "description": description}


COMMON_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: _error("the body is not well-formed JSON or form data"),
    401: _error("no API key or session, or a revoked or wrong one"),
    403: _error("the caller's role may not do this, or the CSRF token is missing"),
    404: _error("no such object in the caller's workspace, or no data for the report yet"),
    409: _error("conflicts with the current state (a name in use, the last owner)"),
    413: _error("the request or an uploaded file is larger than allowed"),
    422: _error("a field is not valid; details name each field and why"),
    429: _error("too many requests; try again later"),
}


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)


def _written_as_iso_date(value: Any) -> Any:
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not ISO_DATE.fullmatch(value):
        raise ValueError(f"{value!r} is not a date; write it as YYYY-MM-DD")
    return value


def _in_report_range(value: date) -> date:
    if not FIRST_DAY <= value <= LAST_DAY:
        raise ValueError(f"{value} is outside the dates reports cover ({FIRST_DAY} to {LAST_DAY})")
    return value


# A report's day in a query string: only YYYY-MM-DD (not a number of seconds, which pydantic
# would otherwise read as a date), within years reports can cover.
IsoDate = Annotated[date, BeforeValidator(_written_as_iso_date), AfterValidator(_in_report_range)]
