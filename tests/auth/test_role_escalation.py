"""Nobody gives, keys or assigns a role beyond their own — over the whole role matrix.

Each actor role acts once as an API key (REST API) and once as a signed-in member (the
web forms, and the REST API with the browser session for removals), on every target
role. The expected answer comes from the table below, written out by hand from
roles.yaml, not from the code under test. Members are invited only through the web
page (the REST API has no invitation route).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tradewinds.config import reset_settings
from tradewinds.db.engine import dispose_engines, session_scope
from tradewinds.db.models.credentials import ApiKey
from tradewinds.db.models.tenancy import Membership, User

from ..migrated import MigratedTemplates
from ..services import postgres_schema
from ..web.browser import csrf_from, login

ROLES = ["owner", "admin", "marketer", "analyst", "finance", "viewer"]
# Who may give which role: every permission of the role must be the giver's own, and
# only an owner gives owner.
GRANTS = {
    "owner": {"owner", "admin", "marketer", "analyst", "finance", "viewer"},
    "admin": {"admin", "marketer", "analyst", "finance", "viewer"},
    "marketer": {"marketer", "finance", "viewer"},
    "analyst": {"analyst", "finance", "viewer"},
    "finance": {"finance", "viewer"},
    "viewer": {"viewer"},
}
MANAGERS = {"owner", "admin"}  # the roles with members.manage and apikeys.manage
PASSWORD = "matrix-password-1"


def may_give(actor: str, role: str) -> bool:
    return actor in MANAGERS and role in GRANTS[actor]


def may_change(actor: str, old: str, new: str) -> bool:
    return may_give(actor, old) and may_give(actor, new)


@dataclass
class Signed:
    client: TestClient
    csrf: str
    member_id: int


@dataclass
class World:
    api: TestClient
    workspace_id: int
    target_id: int
    keys: dict[str, str] = field(default_factory=dict)
    web: dict[str, Signed] = field(default_factory=dict)

    def bearer(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[role]}"}


def _workspace(name: str):
    from tradewinds.workspaces import service
    from tradewinds.workspaces.schemas import WorkspaceCreate

    with session_scope() as session:
        ws = service.create_workspace(
            session=session,
            workspace_in=WorkspaceCreate(
                name=name, currency="GBP", timezone="Europe/London", region="uk"
            ),
            actor="test",
        )
        return ws.id


@cache
def _password_hash() -> str:
    from tradewinds.auth.passwords import hash_password

    return hash_password(PASSWORD)


def add_member(workspace_id: int, email: str, role: str) -> int:
    """Add a member as the instance operator (no grant rule), return the membership id."""
    from tradewinds.auth import users
    from tradewinds.db.models.tenancy import Workspace

    with session_scope() as session:
        user = User(email=email, password_hash=_password_hash())  # one hash for the module
        session.add(user)
        session.flush()
        ws = session.get(Workspace, workspace_id)
        return users.add_member(
            session=session, workspace=ws, user=user, role=role, actor="test"
        ).id


def operator_key(workspace_id: int, role: str) -> str:
    from tradewinds.auth import apikeys
    from tradewinds.db.models.tenancy import Workspace

    with session_scope() as session:
        ws = session.get(Workspace, workspace_id)
        return apikeys.create_key(
            session=session, workspace=ws, role=role, name=role, actor="test"
        ).key


def sign_in(app, email: str, member_id: int) -> Signed:
    client = TestClient(app, base_url="https://testserver")
    response = login(client, email, PASSWORD)
    assert response.status_code == 303, response.text
    return Signed(client, csrf_from(client.get("/settings").text), member_id)


def role_of(member_id: int) -> str | None:
    with session_scope() as session:
        member = session.get(Membership, member_id)
        return member.role if member is not None else None


def set_role(member_id: int, role: str) -> None:
    with session_scope() as session:
        session.get(Membership, member_id).role = role


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(
    request: pytest.FixtureRequest, tmp_path_factory, migrated_templates: MigratedTemplates
) -> Iterator[World]:
    """One workspace with a member and an API key of every role, two extra owners (so the
    last-owner rule never decides a matrix case) and a target member whose role each case
    sets; on SQLite and on PostgreSQL."""
    from tradewinds.app import create_app

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
        app = create_app()
        api = stack.enter_context(TestClient(app, base_url="https://testserver"))
        ws = _workspace("Matrix Shop")
        add_member(ws, "owner2@matrix.example", "owner")
        target = add_member(ws, "target@matrix.example", "viewer")
        w = World(api=api, workspace_id=ws, target_id=target)
        for role in ROLES:
            email = f"{role}@matrix.example"
            w.web[role] = sign_in(app, email, add_member(ws, email, role))
            w.keys[role] = operator_key(ws, role)
        yield w


def _refused(response, actor: str, role: str | None = None) -> None:
    """A 403 that says which role was refused and why."""
    assert response.status_code == 403, response.text
    text = response.text
    assert actor in text, text
    if actor in MANAGERS and role is not None:
        assert role in text and "you cannot" in text, text


# --- creating API keys -------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("actor", ROLES)
def test_api_key_creates_a_key(world: World, actor: str, role: str):
    name = f"api-{actor}-{role}"
    response = world.api.post(
        "/api/v1/apikeys", headers=world.bearer(actor), json={"name": name, "role": role}
    )
    if may_give(actor, role):
        assert response.status_code == 201, response.text
        created = response.json()
        assert created["role"] == role
        follow = world.api.get(
            "/api/v1/workspace", headers={"Authorization": f"Bearer {created['key']}"}
        )
        assert follow.status_code == 200
    else:
        _refused(response, actor, role)
    with session_scope() as session:
        made = session.scalars(select(ApiKey).where(ApiKey.name == name)).all()
    assert len(made) == (1 if may_give(actor, role) else 0)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("actor", ROLES)
def test_member_creates_a_key_on_the_web_page(world: World, actor: str, role: str):
    me = world.web[actor]
    name = f"web-{actor}-{role}"
    response = me.client.post(
        "/settings/api-keys", data={"name": name, "role": role, "csrf_token": me.csrf}
    )
    if may_give(actor, role):
        assert response.status_code == 200 and 'data-testid="new-key"' in response.text
    else:
        _refused(response, actor, role)
        assert 'data-testid="new-key"' not in response.text
    with session_scope() as session:
        made = session.scalars(select(ApiKey).where(ApiKey.name == name)).all()
    assert len(made) == (1 if may_give(actor, role) else 0)


def test_key_form_offers_only_roles_the_member_may_give(world: World):
    page = world.web["admin"].client.get("/settings/api-keys")
    options = page.text.split('id="k-role"', 1)[1].split("</select>", 1)[0]
    assert "<option>owner</option>" not in options and "admin" in options


# --- inviting members ----------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("actor", ROLES)
def test_member_invites_on_the_web_page(world: World, actor: str, role: str):
    me = world.web[actor]
    email = f"invited-{actor}-{role}@matrix.example"
    response = me.client.post(
        "/settings/members",
        data={"email": email, "password": PASSWORD, "role": role, "csrf_token": me.csrf},
        follow_redirects=False,
    )
    if may_give(actor, role):
        assert response.status_code == 303, response.text
    else:
        _refused(response, actor, role)
    with session_scope() as session:
        user = session.scalar(select(User).where(User.email == email))
        member = user and session.scalar(
            select(Membership).where(
                Membership.user_id == user.id, Membership.workspace_id == world.workspace_id
            )
        )
        assert (member.role if member else None) == (role if may_give(actor, role) else None)
        assert may_give(actor, role) or user is None  # a refused invitation creates nobody


# --- changing another member's role -------------------------------------------------


@pytest.mark.parametrize("new", ROLES)
@pytest.mark.parametrize("old", ROLES)
@pytest.mark.parametrize("actor", ROLES)
def test_api_key_changes_a_members_role(world: World, actor: str, old: str, new: str):
    set_role(world.target_id, old)
    response = world.api.patch(
        f"/api/v1/members/{world.target_id}", headers=world.bearer(actor), json={"role": new}
    )
    if may_change(actor, old, new):
        assert response.status_code == 200, response.text
        assert response.json()["role"] == new
        assert role_of(world.target_id) == new
    else:
        _refused(response, actor, new if may_give(actor, old) else old)
        assert role_of(world.target_id) == old


@pytest.mark.parametrize("new", ROLES)
@pytest.mark.parametrize("old", ROLES)
@pytest.mark.parametrize("actor", ROLES)
def test_member_changes_a_members_role_on_the_web_page(
    world: World, actor: str, old: str, new: str
):
    set_role(world.target_id, old)
    me = world.web[actor]
    response = me.client.post(
        f"/settings/members/{world.target_id}/role",
        data={"role": new, "csrf_token": me.csrf},
        follow_redirects=False,
    )
    if may_change(actor, old, new):
        assert response.status_code == 303, response.text
        assert role_of(world.target_id) == new
    else:
        _refused(response, actor, new if may_give(actor, old) else old)
        assert role_of(world.target_id) == old


# --- changing one's own role ---------------------------------------------------------


@pytest.mark.parametrize("new", ROLES)
@pytest.mark.parametrize("actor", ROLES)
def test_member_changes_their_own_role(world: World, actor: str, new: str):
    """On the web page and through the API with the browser session: never upwards."""
    for way in ("web", "api"):
        email = f"self-{way}-{actor}-{new}@matrix.example"
        me = sign_in(world.api.app, email, add_member(world.workspace_id, email, actor))
        if way == "web":
            response = me.client.post(
                f"/settings/members/{me.member_id}/role",
                data={"role": new, "csrf_token": me.csrf},
                follow_redirects=False,
            )
        else:
            response = me.client.patch(
                f"/api/v1/members/{me.member_id}",
                json={"role": new},
                headers={"X-CSRF-Token": me.csrf},
            )
        if may_give(actor, new):
            assert response.status_code in (200, 303), response.text
            assert role_of(me.member_id) == new
        else:
            _refused(response, actor, new)
            assert role_of(me.member_id) == actor


# --- removing a member ---------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("actor", ROLES)
def test_api_key_removes_a_member(world: World, actor: str, role: str):
    gone = add_member(world.workspace_id, f"remove-key-{actor}-{role}@matrix.example", role)
    response = world.api.delete(f"/api/v1/members/{gone}", headers=world.bearer(actor))
    if may_give(actor, role):
        assert response.status_code == 204, response.text
        assert role_of(gone) is None
    else:
        _refused(response, actor, role)
        assert role_of(gone) == role


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("actor", ROLES)
def test_member_removes_a_member_with_the_browser_session(world: World, actor: str, role: str):
    gone = add_member(world.workspace_id, f"remove-web-{actor}-{role}@matrix.example", role)
    me = world.web[actor]
    response = me.client.delete(f"/api/v1/members/{gone}", headers={"X-CSRF-Token": me.csrf})
    if may_give(actor, role):
        assert response.status_code == 204, response.text
        assert role_of(gone) is None
    else:
        _refused(response, actor, role)
        assert role_of(gone) == role


# --- the last owner, and the reported escalation --------------------------------------


def _single_owner_shop(name: str) -> tuple[int, int]:
    ws = _workspace(name)
    return ws, add_member(ws, f"owner@{name.lower().replace(' ', '-')}.example", "owner")


def test_the_last_owner_cannot_be_demoted_or_removed(world: World):
    ws, owner = _single_owner_shop("Lone Owner Shop")
    key = {"Authorization": f"Bearer {operator_key(ws, 'owner')}"}
    for role in ROLES[1:]:
        response = world.api.patch(f"/api/v1/members/{owner}", headers=key, json={"role": role})
        assert response.status_code == 409 and "last owner" in response.text
    response = world.api.delete(f"/api/v1/members/{owner}", headers=key)
    assert response.status_code == 409 and "last owner" in response.text
    assert role_of(owner) == "owner"


def test_the_last_owner_cannot_step_down_on_the_web_page(world: World):
    ws, owner = _single_owner_shop("Step Down Shop")
    me = sign_in(world.api.app, "owner@step-down-shop.example", owner)
    response = me.client.post(
        f"/settings/members/{owner}/role", data={"role": "admin", "csrf_token": me.csrf}
    )
    assert response.status_code == 409 and "last owner" in response.text
    assert role_of(owner) == "owner"
    second = add_member(ws, "second@step-down-shop.example", "owner")
    response = me.client.post(
        f"/settings/members/{owner}/role",
        data={"role": "admin", "csrf_token": me.csrf},
        follow_redirects=False,
    )
    assert response.status_code == 303 and role_of(owner) == "admin"
    # now the second owner is the last one, and the former owner (an admin) cannot touch them
    response = me.client.post(
        f"/settings/members/{second}/role", data={"role": "viewer", "csrf_token": me.csrf}
    )
    assert response.status_code == 403 and "only an owner" in response.text
    assert role_of(second) == "owner"


def test_an_admin_key_cannot_make_itself_or_anyone_owner(world: World):
    """The reported escalation: an admin key made an owner key, promoted itself, demoted
    the real owner."""
    ws, owner = _single_owner_shop("Escalation Shop")
    admin_email = "admin@escalation-shop.example"
    admin = add_member(ws, admin_email, "admin")
    key = {"Authorization": f"Bearer {operator_key(ws, 'admin')}"}
    response = world.api.post("/api/v1/apikeys", headers=key, json={"role": "owner"})
    assert response.status_code == 403
    assert response.json()["error"]["message"] == (
        "as admin you cannot create a key with the owner role: "
        "only an owner can give the owner role"
    )
    response = world.api.patch(f"/api/v1/members/{admin}", headers=key, json={"role": "owner"})
    assert response.status_code == 403 and role_of(admin) == "admin"
    response = world.api.patch(f"/api/v1/members/{owner}", headers=key, json={"role": "viewer"})
    assert response.status_code == 403 and role_of(owner) == "owner"
    assert "only an owner can change an owner" in response.json()["error"]["message"]
    me = sign_in(world.api.app, admin_email, admin)
    response = me.client.patch(
        f"/api/v1/members/{admin}", json={"role": "owner"}, headers={"X-CSRF-Token": me.csrf}
    )
    assert response.status_code == 403 and "raise your own role" in response.text


def test_keys_a_member_made_stop_when_their_role_no_longer_allows_them(world: World):
    ws, owner = _single_owner_shop("Demotion Shop")
    admin_email = "admin@demotion-shop.example"
    admin = add_member(ws, admin_email, "admin")
    me = sign_in(world.api.app, admin_email, admin)
    made = {}
    for role in ("admin", "viewer"):
        page = me.client.post(
            "/settings/api-keys", data={"name": role, "role": role, "csrf_token": me.csrf}
        )
        made[role] = page.text.split('data-testid="new-key">', 1)[1].split("<", 1)[0]
    owner_key = {"Authorization": f"Bearer {operator_key(ws, 'owner')}"}
    response = world.api.patch(
        f"/api/v1/members/{admin}", headers=owner_key, json={"role": "marketer"}
    )
    assert response.status_code == 200
    check = {
        r: world.api.get("/api/v1/workspace", headers={"Authorization": f"Bearer {k}"})
        for r, k in made.items()
    }
    assert check["admin"].status_code == 401  # a marketer could not have made it
    assert check["viewer"].status_code == 200  # a marketer may give viewer
    assert world.api.delete(f"/api/v1/members/{admin}", headers=owner_key).status_code == 204
    gone = world.api.get("/api/v1/workspace", headers={"Authorization": f"Bearer {made['viewer']}"})
    assert gone.status_code == 401
