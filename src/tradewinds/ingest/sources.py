"""Event sources: create write keys, look them up, list them.

A write key is shown once when the source is created; the app DB keeps only its SHA-256,
which is what the collector looks up (write keys are sent by browsers, so they identify a
source rather than protect it).
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tradewinds.auth import audit
from tradewinds.auth.crypto import decrypt, encrypt
from tradewinds.db.base import utcnow
from tradewinds.db.models.sources import Source
from tradewinds.db.models.tenancy import Workspace
from tradewinds.errors import InvalidInput
from tradewinds.ingest.connectors.base import Connector
from tradewinds.ingest.connectors.registry import CONNECTORS

KINDS = ("segment", *CONNECTORS)
CONNECTOR_SETTINGS = {kind: c.settings for kind, c in CONNECTORS.items()}
_PURPOSE = "source-config"


@dataclass(frozen=True)
class SourcePublic:
    id: int
    kind: str
    name: str
    storefront: str
    write_key_prefix: str
    created_at: str
    revoked: bool


def hash_write_key(write_key: str) -> str:
    return hashlib.sha256(write_key.encode()).hexdigest()


def _public(source: Source) -> SourcePublic:
    return SourcePublic(
        id=source.id,
        kind=source.kind,
        name=source.name,
        storefront=source.storefront,
        write_key_prefix=source.write_key_prefix,
        created_at=source.created_at.isoformat(),
        revoked=source.revoked_at is not None,
    )


def create_source(
    *,
    session: Session,
    workspace: Workspace,
    kind: str,
    actor: str,
    name: str | None = None,
    storefront: str = "web",
    settings: dict[str, str] | None = None,
) -> tuple[SourcePublic, str]:
    """Create a source and return it with its write key (shown only now).

    Connector kinds (``shopify``, ``meta``) need ``settings`` (credentials among them); they
    are stored encrypted with the instance key and never shown again.
    """
    if kind not in KINDS:
        raise InvalidInput(f"unknown source kind {kind!r}; supported: {', '.join(KINDS)}")
    config_enc = None
    if kind in CONNECTOR_SETTINGS:
        missing = [k for k in CONNECTOR_SETTINGS[kind] if not (settings or {}).get(k)]
        if missing:
            raise InvalidInput(f"a {kind} source needs {', '.join(missing)}")
        config_enc = encrypt(json.dumps(settings), purpose=_PURPOSE)
        storefront = kind if kind == "shopify" else storefront
    storefront = storefront.strip().lower()
    if not storefront or not storefront.replace("_", "").isalnum() or len(storefront) > 32:
        raise InvalidInput("storefront: use up to 32 letters, digits or '_'")
    write_key = secrets.token_urlsafe(24)
    source = Source(
        workspace_id=workspace.id,
        kind=kind,
        name=(name or f"{kind} source").strip()[:120],
        write_key_hash=hash_write_key(write_key),
        write_key_prefix=write_key[:8],
        storefront=storefront,
        config_enc=config_enc,
        created_by=actor,
    )
    session.add(source)
    session.flush()
    audit.record(
        session,
        action="source.create",
        actor=actor,
        workspace_id=workspace.id,
        target=f"source:{source.id}",
        details={"kind": kind, "name": source.name, "storefront": storefront},
    )
    return _public(source), write_key


def workspace_for_write_key(*, session: Session, write_key: str) -> str | None:
    """The key of the workspace a live write key belongs to, or None."""
    row = session.execute(
        select(Workspace.key)
        .join(Source, Source.workspace_id == Workspace.id)
        .where(Source.write_key_hash == hash_write_key(write_key), Source.revoked_at.is_(None))
    ).first()
    return row[0] if row else None


def list_sources(*, session: Session, workspace: Workspace) -> list[SourcePublic]:
    rows = session.scalars(
        select(Source).where(Source.workspace_id == workspace.id).order_by(Source.id)
    )
    return [_public(s) for s in rows]


def storefront_for(*, session: Session, workspace: Workspace) -> str:
    """The storefront name used for orders from this workspace's event sources."""
    value = session.scalar(
        select(Source.storefront)
        .where(Source.workspace_id == workspace.id, Source.revoked_at.is_(None))
        .order_by(Source.id)
        .limit(1)
    )
    return value or "web"


def revoke_source(*, session: Session, workspace: Workspace, source_id: int, actor: str) -> None:
    source = session.scalar(
        select(Source).where(Source.id == source_id, Source.workspace_id == workspace.id)
    )
    if source is None:
        from tradewinds.errors import NotFound

        raise NotFound(f"no source {source_id} in this workspace")
    source.revoked_at = utcnow()
    audit.record(
        session,
        action="source.revoke",
        actor=actor,
        workspace_id=workspace.id,
        target=f"source:{source.id}",
    )


def _connector(source: Source, *, today: date) -> Connector:
    settings = json.loads(decrypt(source.config_enc or "", purpose=_PURPOSE))
    state = json.loads(source.state) if source.state else None
    return CONNECTORS[source.kind].from_settings(settings, state=state, today=today)


def sync_connector(
    *, session: Session, workspace: Workspace, source_id: int, actor: str, today: date
) -> Any:
    """Run one live connector into the workspace's warehouse and save its cursors.

    Returns the :class:`~tradewinds.ingest.connectors.sync.SyncResult`. A failed run loads
    nothing and keeps the previous cursors.
    """
    from tradewinds.ingest.connectors.http import ConnectorError
    from tradewinds.ingest.connectors.sync import sync_source
    from tradewinds.warehouse.factory import open_warehouse

    source = session.scalar(
        select(Source).where(Source.id == source_id, Source.workspace_id == workspace.id)
    )
    if source is None or source.kind not in CONNECTOR_SETTINGS:
        from tradewinds.errors import NotFound

        raise NotFound(f"no connector source {source_id} in this workspace")
    connector = _connector(source, today=today)
    try:
        with open_warehouse(workspace.key) as warehouse:
            result = sync_source(source=connector, warehouse=warehouse)
    except ConnectorError as exc:
        raise InvalidInput(f"{source.kind} refused the request: {exc}") from exc
    finally:
        connector.close()
    source.state = json.dumps(result.state)
    source.last_synced_at = utcnow()
    audit.record(
        session,
        action="source.sync",
        actor=actor,
        workspace_id=workspace.id,
        target=f"source:{source.id}",
        details={"read": result.read, "tables": result.tables},
    )
    return result
