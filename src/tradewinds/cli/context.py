"""What CLI commands share: the actor name, workspace lookup, a migrated database."""

from __future__ import annotations

import getpass

from sqlalchemy.orm import Session

from tradewinds.db.models.tenancy import Workspace
from tradewinds.errors import NotFound
from tradewinds.workspaces.service import get_by_name


def cli_actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # pragma: no cover - no user name in a container
        return "cli"


def resolve_workspace(session: Session, name: str) -> Workspace:
    """Find a workspace by name or key; raise NotFound with a helpful message."""
    try:
        return get_by_name(session=session, name=name)
    except NotFound as exc:
        raise NotFound(f"{exc.message}; create it with `tradewinds workspace create`") from exc
