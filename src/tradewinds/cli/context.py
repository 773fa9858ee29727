"""What CLI commands share: the actor name, workspace lookup, a migrated database, and
whose view of a report a command prints."""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

import typer
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tradewinds.auth.access import Grant, ReportAccess, check_permission, grant
from tradewinds.cli.language import gettext as _
from tradewinds.db.models.tenancy import Membership, User, Workspace
from tradewinds.errors import InvalidInput, NotFound
from tradewinds.i18n_markers import Text
from tradewinds.workspaces.service import get_by_name

if TYPE_CHECKING:
    from tradewinds.analytics.filters import ReportScope
    from tradewinds.warehouse.backend import Warehouse


def cli_actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # pragma: no cover - no user name in a container
        return "cli"


# --- the workspace a command works in -------------------------------------------------
# Every command that works in one workspace takes the same option: ``--workspace`` / ``-w``,
# a name or key, read from TRADEWINDS_WORKSPACE when it is not given
# (``workspace: str = WorkspaceOption``, or ``workspace: WorkspaceName`` in an ``Annotated``
# signature). Commands for which a workspace is optional (compliance checks, exchange-rate
# look-ups) take the same option with no default: ``workspace: str | None = OptionalWorkspace``.

WORKSPACE_ENV = "TRADEWINDS_WORKSPACE"
WORKSPACE_HELP = _("workspace name or key (default: $%(variable)s)", variable=WORKSPACE_ENV)
_WORKSPACE_FLAGS = ("--workspace", "-w")
_WORKSPACE_SETTINGS: dict[str, Any] = {
    "envvar": WORKSPACE_ENV,
    "metavar": "WORKSPACE",
    "help": WORKSPACE_HELP,
    "show_envvar": False,
}

WorkspaceOption: Any = typer.Option(..., *_WORKSPACE_FLAGS, **_WORKSPACE_SETTINGS)
OptionalWorkspace: Any = typer.Option(None, *_WORKSPACE_FLAGS, **_WORKSPACE_SETTINGS)
WorkspaceName = Annotated[str, typer.Option(*_WORKSPACE_FLAGS, **_WORKSPACE_SETTINGS)]


def resolve_workspace(session: Session, name: str) -> Workspace:
    """The one workspace resolution of the CLI: by name or key, else NotFound saying how
    to create it."""
    try:
        return get_by_name(session=session, name=name.strip())
    except NotFound as exc:
        raise NotFound(
            Text("%(reason)s; create it with `tradewinds workspace create`", reason=exc.message)
        ) from exc


# --- reading reports as a member ------------------------------------------------------
# The CLI runs as the machine's operator, who reads every report in full (the owner role).
# ``--as EMAIL`` (a member's role) or ``--role ROLE`` shows a report as that member or role
# would see it, through the same ``grant`` as the API and the pages.

AsOption = typer.Option(
    None,
    "--as",
    metavar="EMAIL",
    help=_("read the report as this member of the workspace would (their role decides)"),
)
RoleOption = typer.Option(
    None,
    "--role",
    metavar="ROLE",
    help=_("read the report as this role would (e.g. viewer: no money figures)"),
)


@dataclass(frozen=True)
class ReadAs:
    """Whose view of a report a command prints: a member's, a role's, or the operator's."""

    email: str | None = None
    role: str | None = None


def workspace_or_exit(name: str, *, as_json: bool) -> tuple[int, str]:
    """(id, key) of the named workspace, or print the reason and exit."""
    from tradewinds.cli.output import fail
    from tradewinds.db.engine import session_scope
    from tradewinds.errors import TradewindsError

    try:
        with session_scope() as session:
            ws = resolve_workspace(session, name)
            return ws.id, ws.key
    except TradewindsError as exc:
        fail(exc.message, as_json=as_json, code=exc.code)
        raise  # unreachable: fail() exits


def reader_role(session: Session, workspace: Workspace, read_as: ReadAs) -> str:
    """The role a report is read with: the member's, the one named, or the operator's."""
    from tradewinds.auth.permissions import OWNER, is_role, roles

    if read_as.email and read_as.role:
        raise InvalidInput(Text("give --as or --role, not both"), details={"field": "--as"})
    if read_as.role:
        if not is_role(read_as.role):
            raise InvalidInput(
                Text(
                    "--role: %(role)s is not a role; choose one of %(roles)s",
                    role=repr(read_as.role),
                    roles=", ".join(roles()),
                ),
                details={"field": "--role"},
            )
        return read_as.role
    if read_as.email:
        member = session.scalar(
            select(Membership)
            .join(User, User.id == Membership.user_id)
            .where(
                Membership.workspace_id == workspace.id,
                func.lower(User.email) == read_as.email.strip().lower(),
            )
        )
        if member is None:
            raise NotFound(
                Text(
                    "--as: %(email)s is not a member of %(workspace)s",
                    email=read_as.email,
                    workspace=workspace.name,
                )
            )
        return member.role
    return OWNER


def report_grant(
    session: Session, workspace: Workspace, access: ReportAccess, read_as: ReadAs
) -> Grant:
    """The CLI's door to a report: the same check the API and the pages make (403 → exit 1)."""
    return grant(reader_role(session, workspace, read_as), access)


def check_as(session: Session, workspace: Workspace, permission: str, read_as: ReadAs) -> None:
    """A plain permission check (saving a segment, exporting) for ``--as`` / ``--role``."""
    check_permission(reader_role(session, workspace, read_as), permission)


@dataclass(frozen=True)
class ReportPeriod:
    """A workspace's warehouse, open, with a report's days and its reporting currency."""

    warehouse: Warehouse
    scope: ReportScope
    currency: str


@contextmanager
def report_period(
    workspace: str, date_from: str | None, date_to: str | None
) -> Iterator[ReportPeriod]:
    """The named workspace's warehouse with the days ``--from`` … ``--to`` (default: the 30
    days up to the last day with orders), as the pages and the API read them. A bad date is
    named before anything is opened; raises ``TradewindsError``."""
    from tradewinds.analytics import service
    from tradewinds.analytics.filters import parse_date, scope_from_query
    from tradewinds.db.engine import session_scope
    from tradewinds.warehouse import open_warehouse

    for value, name in ((date_from, "from"), (date_to, "to")):
        parse_date(value, name=name)
    with session_scope() as session:
        ws = resolve_workspace(session, workspace)
        key, currency, timezone = ws.key, ws.currency, ws.timezone
    with open_warehouse(key) as warehouse:
        scope = scope_from_query(
            {"from": date_from, "to": date_to},
            group_by="",
            timezone=timezone,
            default_end=service.default_end(warehouse=warehouse, timezone=timezone),
        )
        yield ReportPeriod(warehouse, scope, currency)
