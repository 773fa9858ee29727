"""How to make an object of a given workspace for each path parameter of the API.

The isolation test walks every /api/v1 route; for a path like ``/members/{member_id}`` it
asks the factory registered here under ``member_id`` for an object of workspace B, then
calls the route with workspace A's key and expects a 404. A route whose path parameter has
no factory fails the test until one is added here.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from tradewinds.db.models.credentials import ApiKey
from tradewinds.db.models.tenancy import Membership

from ..conftest import Tenant

Factory = Callable[[Session, Tenant], str]


def _member_id(session: Session, tenant: Tenant) -> str:
    return str(
        session.scalar(select(Membership.id).where(Membership.workspace_id == tenant.workspace_id))
    )


def _key_id(session: Session, tenant: Tenant) -> str:
    return str(session.scalar(select(ApiKey.id).where(ApiKey.workspace_id == tenant.workspace_id)))


def _segment_id(session: Session, tenant: Tenant) -> str:
    from tradewinds.db.models.audiences import SavedSegment

    segment = SavedSegment(
        workspace_id=tenant.workspace_id, name="Isolation", rule="orders >= 2", created_by="test"
    )
    session.add(segment)
    session.flush()
    return str(segment.id)


def _user_pack_id(session: Session, tenant: Tenant) -> str:
    import secrets

    from tradewinds.db.models.compliance import UserRulePack

    pack = UserRulePack(
        workspace_id=tenant.workspace_id,
        pack_key=f"iso-{secrets.token_hex(4)}",
        title="Isolation",
        source="id: iso\ntitle: Isolation\nscope: user\nrules: []\n",
        rule_count=0,
        created_by="test",
    )
    session.add(pack)
    session.flush()
    return str(pack.id)


FACTORIES: dict[str, Factory] = {
    "member_id": _member_id,
    "key_id": _key_id,
    "segment_id": _segment_id,
    "user_pack_id": _user_pack_id,
}


def _import_id(session: Session, tenant: Tenant) -> str:
    from tradewinds.db.models.imports import ImportJob

    job = ImportJob(
        workspace_id=tenant.workspace_id,
        status="done",
        progress=1.0,
        stage="finished",
        created_by="test",
    )
    session.add(job)
    session.flush()
    return str(job.id)


FACTORIES["import_id"] = _import_id
