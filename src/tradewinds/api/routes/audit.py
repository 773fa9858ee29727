"""The workspace's audit log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from tradewinds.api.deps import AuditReader, SessionDep
from tradewinds.auth import audit
from tradewinds.auth.schemas import AuditEntryPublic

router = APIRouter(prefix="/audit", tags=["audit"])


@router.get("", response_model=list[AuditEntryPublic])
def list_entries(
    session: SessionDep,
    principal: AuditReader,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
):
    return audit.entries(session=session, workspace_id=principal.workspace_id, limit=limit)
