"""The workspace's audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict

from tradewinds.api.deps import AuditReader, SessionDep
from tradewinds.auth import audit

router = APIRouter(prefix="/audit", tags=["audit"])


class AuditEntryPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    at: datetime
    actor: str
    action: str
    target: str
    details: dict[str, Any]
    ip: str | None
    request_id: str | None
    hash: str


@router.get("", response_model=list[AuditEntryPublic])
def list_entries(
    session: SessionDep,
    principal: AuditReader,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
):
    return audit.entries(session=session, workspace_id=principal.workspace_id, limit=limit)
