"""The caller's workspace."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from tradewinds.api.deps import Principal, SessionDep, require
from tradewinds.workspaces import service
from tradewinds.workspaces.schemas import WorkspacePublic, WorkspaceUpdate

router = APIRouter(prefix="/workspace", tags=["workspace"])


@router.get("", response_model=WorkspacePublic)
def read_workspace(principal: Annotated[Principal, Depends(require("workspace.read"))]):
    return principal.workspace


@router.patch("", response_model=WorkspacePublic)
def update_workspace(
    workspace_in: WorkspaceUpdate,
    session: SessionDep,
    principal: Annotated[Principal, Depends(require("workspace.manage"))],
):
    ws = session.merge(principal.workspace)
    return service.update_workspace(
        session=session, workspace=ws, workspace_in=workspace_in, actor=principal.actor
    )
