"""The demo workspace: what `make run` shows a new user.

`load_demo` creates the demo workspaces and login, then runs every module in this
package that defines ``load(*, workspace_key: str) -> str`` (each returns one line saying
what it loaded), so the demo grows as capabilities land. A module's ``WORKSPACES`` (names
from ``DEMO_WORKSPACES``) says which workspaces it loads; without it, the first.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

from sqlalchemy import select

from tradewinds.auth import throttle, users
from tradewinds.auth.passwords import hash_password
from tradewinds.db.engine import session_scope
from tradewinds.db.models.tenancy import Membership, User, Workspace
from tradewinds.workspaces import service
from tradewinds.workspaces.schemas import WorkspaceCreate

DEMO_EMAIL = "demo@tradewinds.example"
DEMO_PASSWORD = "tradewinds-demo"
DEMO_WORKSPACES = [
    WorkspaceCreate(name="Demo Gift Shop", currency="GBP", timezone="Europe/London", region="uk"),
    WorkspaceCreate(name="Demo EU Store", currency="EUR", timezone="Europe/Berlin", region="eu"),
]
ACTOR = "demo"


def _ensure_workspaces() -> list[str]:
    keys = []
    with session_scope() as session:
        user = session.scalar(select(User).where(User.email == DEMO_EMAIL))
        if user is None:
            user = User(email=DEMO_EMAIL, password_hash=hash_password(DEMO_PASSWORD))
            session.add(user)
            session.flush()
        else:  # the demo login always works, whatever was done to it
            user.password_hash = hash_password(DEMO_PASSWORD)
            user.failed_logins = 0
            user.locked_until = None
            throttle.forget(session, email=DEMO_EMAIL)
        for ws_in in DEMO_WORKSPACES:
            ws = session.scalar(select(Workspace).where(Workspace.name == ws_in.name))
            if ws is None:
                ws = service.create_workspace(session=session, workspace_in=ws_in, actor=ACTOR)
            member = session.scalar(
                select(Membership).where(
                    Membership.workspace_id == ws.id, Membership.user_id == user.id
                )
            )
            if member is None:
                users.add_member(
                    session=session, workspace=ws, user=user, role="owner", actor=ACTOR
                )
            keys.append(ws.key)
    return keys


def load_demo(*, with_data: bool = True) -> dict[str, Any]:
    keys = _ensure_workspaces()
    by_name = {ws.name: key for ws, key in zip(DEMO_WORKSPACES, keys, strict=True)}
    steps = [f"workspaces ready: {', '.join(w.name for w in DEMO_WORKSPACES)}"]
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        load = getattr(module, "load", None)
        if not (with_data and callable(load)):
            continue
        for name in getattr(module, "WORKSPACES", (DEMO_WORKSPACES[0].name,)):
            steps.append(f"{name}: {load(workspace_key=by_name[name])}")
    return {"email": DEMO_EMAIL, "password": DEMO_PASSWORD, "workspaces": keys, "steps": steps}
