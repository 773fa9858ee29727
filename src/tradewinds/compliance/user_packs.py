"""A workspace's own rule packs: validate, store, list, and load them for checking."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from tradewinds.auth import audit
from tradewinds.compliance.loader import PackError, PackProblem, builtin_packs, parse_pack
from tradewinds.compliance.models import RulePack
from tradewinds.db.base import utcnow
from tradewinds.db.models.compliance import UserRulePack
from tradewinds.errors import Conflict, InvalidInput
from tradewinds.i18n_markers import N_, Text

MAX_PACK_BYTES = 512 * 1024
#: the message of a pack that does not parse (its problems are in ``details``)
INVALID_PACK = N_("The rule pack is not valid: %(problems)s")


def _joined(problems: list[PackProblem]) -> Text:
    """The problems as one sentence each, joined by "; " (translated one by one)."""
    if len(problems) == 1:
        return problems[0].text()
    half = len(problems) // 2  # halves, so a long list nests only log2(n) deep
    return Text(
        "%(first)s; %(then)s", first=_joined(problems[:half]), then=_joined(problems[half:])
    )


def validate_user_pack(source: str) -> RulePack:
    """Parse a user's YAML; a bad pack raises InvalidInput listing each line and reason."""
    if len(source.encode("utf-8")) > MAX_PACK_BYTES:
        raise InvalidInput(
            Text("a rule pack may be at most %(kb)s KB", kb=str(MAX_PACK_BYTES // 1024))
        )
    try:
        pack = parse_pack(source, source="rule pack")
    except PackError as exc:
        raise InvalidInput(
            Text(INVALID_PACK, problems=_joined(exc.problems)),
            details={
                "problems": [
                    {"line": p.line, "location": p.location, "reason": p.reason}
                    for p in exc.problems
                ]
            },
        ) from None
    if pack.scope != "user":
        raise InvalidInput(
            Text("A workspace's own pack must have 'scope: user'"),
            details={
                "problems": [{"line": None, "location": "scope", "reason": Text("must be user")}]
            },
        )
    if pack.id in builtin_packs():
        raise InvalidInput(
            Text("'%(id)s' is the id of a built-in pack; choose another id", id=pack.id),
            details={"problems": [{"line": None, "location": "id", "reason": Text("reserved")}]},
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
        raise Conflict(Text("This workspace already has a rule pack '%(id)s'", id=pack.id))
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
            raise Conflict(Text("This workspace already has a rule pack '%(id)s'", id=pack.id))
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
