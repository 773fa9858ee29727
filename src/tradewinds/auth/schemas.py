"""What the API hands out about a workspace's API keys, members and audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from tradewinds.auth.permissions import role_literal

RoleName = role_literal()


class ApiKeyCreate(BaseModel):
    name: str = Field(default="API key", max_length=120)
    role: RoleName = Field(  # type: ignore[valid-type]
        description="one of the roles the caller may give: every permission of it must be the "
        "caller's own, and only an owner may create an owner key"
    )


class ApiKeyPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    prefix: str
    role: str = Field(
        description="one of the roles the caller may give: every permission of it must be the "
        "caller's own, and only an owner may create an owner key"
    )
    created_by: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class ApiKeyCreated(ApiKeyPublic):
    key: str = Field(description="shown once; store it now")


class MemberPublic(BaseModel):
    id: int
    email: str
    role: str
    mfa_enabled: bool
    created_at: datetime


class MemberUpdate(BaseModel):
    role: RoleName  # type: ignore[valid-type]


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
