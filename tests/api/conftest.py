"""The shop the role walk reads: one workspace with small data, a key and a signed-in
member of every role, on SQLite and on PostgreSQL (built once per module)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tradewinds.config import reset_settings
from tradewinds.db.engine import dispose_engines, session_scope

from ..migrated import MigratedTemplates
from ..services import postgres_schema
from ..web.browser import csrf_from, login

PASSWORD = "walk-password-123"


@dataclass
class RoleShop:
    app: object
    api: TestClient
    workspace_id: int
    workspace_key: str
    keys: dict[str, str] = field(default_factory=dict)
    web: dict[str, TestClient] = field(default_factory=dict)
    csrf: dict[str, str] = field(default_factory=dict)

    def bearer(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[role]}"}


def _member(workspace_id: int, role: str, password_hash: str) -> str:
    from tradewinds.auth import users
    from tradewinds.db.models.tenancy import User, Workspace

    email = f"{role}@walk.example"
    with session_scope() as session:
        user = User(email=email, password_hash=password_hash)
        session.add(user)
        session.flush()
        users.add_member(
            session=session,
            workspace=session.get(Workspace, workspace_id),
            user=user,
            role=role,
            actor="test",
        )
    return email


def _key(workspace_id: int, role: str) -> str:
    from tradewinds.auth import apikeys
    from tradewinds.db.models.tenancy import Workspace

    with session_scope() as session:
        return apikeys.create_key(
            session=session,
            workspace=session.get(Workspace, workspace_id),
            role=role,
            name=role,
            actor="test",
        ).key


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def role_shop(
    request: pytest.FixtureRequest, tmp_path_factory, migrated_templates: MigratedTemplates
) -> Iterator[RoleShop]:
    from tradewinds.app import create_app
    from tradewinds.auth.passwords import hash_password
    from tradewinds.auth.permissions import roles
    from tradewinds.workspaces import service
    from tradewinds.workspaces.schemas import WorkspaceCreate

    from ..shop_data import load_shop

    home: Path = tmp_path_factory.mktemp("home")
    env = pytest.MonkeyPatch()
    with ExitStack() as stack:
        stack.callback(env.undo)
        env.setenv("TRADEWINDS_HOME", str(home))
        env.delenv("TRADEWINDS_WAREHOUSE_URL", raising=False)
        if request.param == "sqlite":
            url = f"sqlite:///{home / 'app.db'}"
        else:
            url, _schema = stack.enter_context(postgres_schema())
        env.setenv("TRADEWINDS_DATABASE_URL", url)
        reset_settings()
        stack.callback(reset_settings)
        stack.callback(dispose_engines)
        migrated_templates.apply(url)
        with session_scope() as session:
            ws = service.create_workspace(
                session=session,
                workspace_in=WorkspaceCreate(
                    name="Walk Shop", currency="GBP", timezone="Europe/London", region="uk"
                ),
                actor="test",
            )
            workspace_id, key = ws.id, ws.key
        load_shop(key)
        app = create_app()
        api = stack.enter_context(TestClient(app, base_url="https://testserver"))
        shop = RoleShop(app=app, api=api, workspace_id=workspace_id, workspace_key=key)
        password_hash = hash_password(PASSWORD)
        for role in roles():
            email = _member(workspace_id, role, password_hash)
            client = stack.enter_context(TestClient(app, base_url="https://testserver"))
            response = login(client, email, PASSWORD)
            assert response.status_code == 303, response.text
            shop.web[role] = client
            shop.csrf[role] = csrf_from(client.get("/settings").text)
            shop.keys[role] = _key(workspace_id, role)
        yield shop
