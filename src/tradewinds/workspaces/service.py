"""Creating, finding and changing workspaces."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from tradewinds.auth import audit
from tradewinds.db.models.tenancy import Membership, Workspace
from tradewinds.errors import Conflict, NotFound
from tradewinds.workspaces.schemas import WorkspaceCreate, WorkspaceUpdate, slugify


def _refuse_taken_name(session: Session, name: str, *, other_than: int | None = None) -> None:
    query = select(Workspace.id).where(Workspace.name == name)
    if other_than is not None:
        query = query.where(Workspace.id != other_than)
    if session.scalar(query) is not None:
        raise Conflict(f"a workspace named {name!r} already exists; choose another name")


def create_workspace(*, session: Session, workspace_in: WorkspaceCreate, actor: str) -> Workspace:
    _refuse_taken_name(session, workspace_in.name)
    base = slugify(workspace_in.name)
    key, n = base, 1
    while session.scalar(select(Workspace.id).where(Workspace.key == key)):
        n += 1
        key = f"{base}-{n}"
    ws = Workspace(key=key, **workspace_in.model_dump())
    session.add(ws)
    session.flush()
    audit.record(
        session,
        action="workspace.create",
        actor=actor,
        workspace_id=ws.id,
        target=f"workspace:{ws.id}",
        details=workspace_in.model_dump(),
    )
    return ws


def get_by_name(*, session: Session, name: str) -> Workspace:
    ws = session.scalar(select(Workspace).where((Workspace.name == name) | (Workspace.key == name)))
    if ws is None:
        raise NotFound(f"no workspace named {name!r}")
    return ws


def update_workspace(
    *, session: Session, workspace: Workspace, workspace_in: WorkspaceUpdate, actor: str
) -> Workspace:
    """Change the settings sent (a rename keeps the key, so the data stays where it is);
    the audit log keeps what each changed setting was before."""
    changes = workspace_in.model_dump(exclude_none=True)
    if "name" in changes:
        _refuse_taken_name(session, changes["name"], other_than=workspace.id)
    before = {field: getattr(workspace, field) for field in changes}
    for field, value in changes.items():
        setattr(workspace, field, value)
    session.flush()
    audit.record(
        session,
        action="workspace.update",
        actor=actor,
        workspace_id=workspace.id,
        target=f"workspace:{workspace.id}",
        details={**changes, "before": before},
    )
    return workspace


def workspaces_of(*, session: Session, user_id: int) -> list[tuple[Workspace, str]]:
    rows = session.execute(
        select(Workspace, Membership.role)
        .join(Membership, Membership.workspace_id == Workspace.id)
        .where(Membership.user_id == user_id)
        .order_by(Workspace.name)
    )
    return [(ws, role) for ws, role in rows]
