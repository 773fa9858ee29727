"""A workspace's own rule packs: validate, store, list, and load them for checking."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from tradewinds.auth import audit
from tradewinds.compliance.loader import PackError, builtin_packs, parse_pack
from tradewinds.compliance.models import RulePack
from tradewinds.db.base import utcnow
from tradewinds.db.models.compliance import UserRulePack
from tradewinds.errors import Conflict, InvalidInput

MAX_PACK_BYTES = 512 * 1024


def validate_user_pack(source: str) -> RulePack:
    """Parse a user's YAML; a bad pack raises InvalidInput listing each line and reason."""
    if len(source.encode("utf-8")) > MAX_PACK_BYTES:
        raise InvalidInput(f"a rule pack may be at most {MAX_PACK_BYTES // 1024} KB")
    try:
        pack = parse_pack(source, source="rule pack")
    except PackError as exc:
        raise InvalidInput(
            "The rule pack is not valid: " + "; ".join(str(p) for p in exc.problems),
            details={
                "problems": [
                    {"line": p.line, "location": p.location, "reason": p.reason}
                    for p in exc.problems
                ]
            },
        ) from None
    if pack.scope != "user":
        raise InvalidInput(
            "A workspace's own pack must have 'scope: user'",
            details={"problems": [{"line": None, "location": "scope", "reason": "must be user"}]},
        )
    if pack.id in builtin_packs():
        raise InvalidInput(
            f"'{pack.id}' is the id of a built-in pack; choose another id",
            details={"problems": [{"line": None, "location": "id", "reason": "reserved"}]},
        )
    return pack


def list_user_packs(*, session: Session, workspace_id: int) -> list[UserRulePack]:
    query = (
        select(UserRulePack)
        .where(UserRulePack.workspace_id == workspace_id)
        .order_by(UserRulePack.pack_key)
    )
    return list(session.scalars(query))


def _key_taken(session: Session, workspace_id: int, key: str, exclude_id: int | None) -> bool:
    query = select(UserRulePack.id).where(
        UserRulePack.workspace_id == workspace_id, UserRulePack.pack_key == key
    )
    found = session.scalar(query)
    return found is not None and found != exclude_id


def create_user_pack(
    *, session: Session, workspace_id: int, source: str, actor: str, enabled: bool = True
) -> UserRulePack:
    pack = validate_user_pack(source)
    if _key_taken(session, workspace_id, pack.id, None):
        raise Conflict(f"This workspace already has a rule pack '{pack.id}'")
    record = UserRulePack(
        workspace_id=workspace_id,
        pack_key=pack.id,
        title=pack.title,
        source=source,
        rule_count=len(pack.rules),
        enabled=enabled,
        created_by=actor,
    )
    session.add(record)
    session.flush()
    audit.record(
        session,
        action="compliance.pack_create",
        actor=actor,
        workspace_id=workspace_id,
        target=f"rule_pack:{pack.id}",
        details={"rules": len(pack.rules)},
    )
    return record


def update_user_pack(
    *,
    session: Session,
    record: UserRulePack,
    source: str | None,
    enabled: bool | None,
    actor: str,
) -> UserRulePack:
    if source is not None:
        pack = validate_user_pack(source)
        if _key_taken(session, record.workspace_id, pack.id, record.id):
            raise Conflict(f"This workspace already has a rule pack '{pack.id}'")
        record.pack_key, record.title, record.source = pack.id, pack.title, source
        record.rule_count = len(pack.rules)
    if enabled is not None:
        record.enabled = enabled
    record.updated_at = utcnow()
    session.flush()
    audit.record(
        session,
        action="compliance.pack_update",
        actor=actor,
        workspace_id=record.workspace_id,
        target=f"rule_pack:{record.pack_key}",
        details={"enabled": record.enabled, "rules": record.rule_count},
    )
    return record


def delete_user_pack(*, session: Session, record: UserRulePack, actor: str) -> None:
    audit.record(
        session,
        action="compliance.pack_delete",
        actor=actor,
        workspace_id=record.workspace_id,
        target=f"rule_pack:{record.pack_key}",
    )
    session.delete(record)
    session.flush()


@lru_cache(maxsize=256)
def _parsed(source: str) -> RulePack:
    # the same pack object for the same text, so its compiled rules are reused
    return parse_pack(source, source="rule pack")


def enabled_user_packs(*, session: Session, workspace_id: int) -> list[RulePack]:
    """The workspace's enabled packs, parsed (they were validated when saved)."""
    return [
        _parsed(record.source)
        for record in list_user_packs(session=session, workspace_id=workspace_id)
        if record.enabled
    ]
