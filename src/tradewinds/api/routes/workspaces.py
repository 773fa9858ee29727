"""The caller's workspace."""

from __future__ import annotations

from fastapi import APIRouter

from tradewinds.api.deps import SessionDep, WorkspaceDep, WorkspaceManager, WorkspaceReader
from tradewinds.workspaces import service
from tradewinds.workspaces.schemas import WorkspacePublic, WorkspaceUpdate

router = APIRouter(prefix="/workspace", tags=["workspace"])


@router.get("", response_model=WorkspacePublic)
def read_workspace(_caller: WorkspaceReader, workspace: WorkspaceDep) -> WorkspacePublic:
    return WorkspacePublic.model_validate(workspace)


@router.patch("", response_model=WorkspacePublic)
def update_workspace(
    workspace_in: WorkspaceUpdate,
    session: SessionDep,
    principal: WorkspaceManager,
):
    ws = session.merge(principal.workspace)
    return service.update_workspace(
        session=session, workspace=ws, workspace_in=workspace_in, actor=principal.actor
    )
