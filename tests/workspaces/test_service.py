from __future__ import annotations

import pytest
from pydantic import ValidationError

from tradewinds.db.engine import session_scope
from tradewinds.errors import Conflict
from tradewinds.workspaces import service
from tradewinds.workspaces.schemas import WorkspaceCreate, WorkspaceUpdate


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("currency", "EURO", "ISO 4217"),
        ("timezone", "Europe/Atlantis", "IANA"),
        ("region", "mars", "data region"),
        ("name", "   ", "1 to 120"),
    ],
)
def test_validation_rejects_free_text(field, value, message):
    data = {"name": "Shop", "currency": "EUR", "timezone": "Europe/Paris", "region": "eu"}
    data[field] = value
    with pytest.raises(ValidationError, match=message):
        WorkspaceCreate(**data)


def test_normalises_codes():
    ws = WorkspaceCreate(name=" Shop ", currency="usd", timezone="America/New_York", region="US")
    assert (ws.name, ws.currency, ws.region) == ("Shop", "USD", "us")


def test_create_unique_names_and_keys(app_db):
    ws_in = WorkspaceCreate(name="Shop!", currency="EUR", timezone="Europe/Paris", region="eu")
    with session_scope() as session:
        ws = service.create_workspace(session=session, workspace_in=ws_in, actor="t")
        assert ws.key == "shop"
    with pytest.raises(Conflict), session_scope() as session:
        service.create_workspace(session=session, workspace_in=ws_in, actor="t")


def _shop(session, name: str):
    ws_in = WorkspaceCreate(name=name, currency="EUR", timezone="Europe/Paris", region="eu")
    return service.create_workspace(session=session, workspace_in=ws_in, actor="t")


def test_rename_keeps_the_key_and_is_audited(app_db):
    from tradewinds.auth import audit

    with session_scope() as session:
        ws = _shop(session, "Old Name")
        service.update_workspace(
            session=session,
            workspace=ws,
            workspace_in=WorkspaceUpdate(name="  New Name "),
            actor="owner@example.com",
        )
        assert (ws.name, ws.key) == ("New Name", "old-name")
        entry = audit.entries(session, workspace_id=ws.id, limit=1)[0]
        assert entry.action == "workspace.update" and entry.actor == "owner@example.com"
        assert entry.details["name"] == "New Name"
        assert entry.details["before"] == {"name": "Old Name"}


def test_rename_refuses_a_name_in_use_and_allows_its_own(app_db):
    with session_scope() as session:
        first, second = _shop(session, "First"), _shop(session, "Second")
        with pytest.raises(Conflict, match="already exists"):
            service.update_workspace(
                session=session,
                workspace=second,
                workspace_in=WorkspaceUpdate(name="First"),
                actor="t",
            )
        service.update_workspace(
            session=session,
            workspace=first,
            workspace_in=WorkspaceUpdate(name="First"),
            actor="t",
        )
        assert (first.name, second.name) == ("First", "Second")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "   "}, "1 to 120 characters"),
        ({"name": ""}, "at least 1"),
        ({"name": "x" * 121}, "at most 120"),
        ({"require_mfa": 0}, "valid boolean"),
        ({"require_mfa": "yes"}, "valid boolean"),
    ],
)
def test_update_validation(data, message):
    with pytest.raises(ValidationError, match=message):
        WorkspaceUpdate(**data)


def test_update_schema_lists_the_accepted_codes():
    properties = WorkspaceUpdate.model_json_schema()["properties"]
    currency = properties["currency"]["anyOf"][0]
    timezone = properties["timezone"]["anyOf"][0]
    assert "EUR" in currency["enum"] and "EURO" not in currency["enum"]
    assert "Europe/London" in timezone["enum"]
