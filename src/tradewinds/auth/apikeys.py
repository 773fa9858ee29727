"""API keys: shown once, stored hashed, bound to one workspace and a role, revocable."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from tradewinds.auth import audit
from tradewinds.auth.crypto import token_hash
from tradewinds.auth.users import check_grant
from tradewinds.db.base import utcnow
from tradewinds.db.models.credentials import ApiKey
from tradewinds.db.models.tenancy import Workspace
from tradewinds.errors import Conflict, NotFound
from tradewinds.i18n_markers import Text

PREFIX = "tw"


@dataclass(frozen=True)
class CreatedKey:
    key: str  # the only time the full key exists outside the caller's hands
    record: ApiKey


def create_key(
    *,
    session: Session,
    workspace: Workspace,
    role: str,
    name: str,
    actor: str,
    actor_role: str | None = None,
) -> CreatedKey:
    """A new key with ``role``; ``actor_role`` (None: the instance operator) must grant it."""
    check_grant(actor_role, role, doing=f"create a key with the {role} role")
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    key = f"{PREFIX}_{prefix}_{secret}"
    record = ApiKey(
        workspace_id=workspace.id,
        name=name or "API key",
        prefix=prefix,
        secret_hash=token_hash(secret),
        role=role,
        created_by=actor,
    )
    session.add(record)
    session.flush()
    audit.record(
        session,
        action="apikey.create",
        actor=actor,
        workspace_id=workspace.id,
        target=f"apikey:{prefix}",
        details={"role": role, "name": record.name},
    )
    return CreatedKey(key, record)


def authenticate_key(*, session: Session, key: str) -> ApiKey | None:
    parts = key.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != PREFIX:
        return None
    record = session.scalar(select(ApiKey).where(ApiKey.prefix == parts[1]))
    if record is None or record.revoked_at is not None:
        return None
    if not secrets.compare_digest(record.secret_hash, token_hash(parts[2])):
        return None
    now = utcnow()
    if record.last_used_at is None or (now - record.last_used_at).total_seconds() > 60:
        record.last_used_at = now
    return record


def list_keys(*, session: Session, workspace_id: int) -> list[ApiKey]:
    return list(
        session.scalars(
            select(ApiKey).where(ApiKey.workspace_id == workspace_id).order_by(ApiKey.id)
        )
    )


def revoke_key(*, session: Session, workspace_id: int, key_id: int, actor: str) -> ApiKey:
    record = session.scalar(
        select(ApiKey).where(ApiKey.id == key_id, ApiKey.workspace_id == workspace_id)
    )
    if record is None:
        raise NotFound(Text("no such API key"))
    if record.revoked_at is not None:
        raise Conflict(Text("this key is already revoked"))
    record.revoked_at = utcnow()
    audit.record(
        session,
        action="apikey.revoke",
        actor=actor,
        workspace_id=workspace_id,
        target=f"apikey:{record.prefix}",
    )
    return record
