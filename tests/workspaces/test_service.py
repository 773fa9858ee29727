from __future__ import annotations

import pytest
from pydantic import ValidationError

from tradewinds.db.engine import session_scope
from tradewinds.errors import Conflict
from tradewinds.workspaces import service
from tradewinds.workspaces.schemas import WorkspaceCreate


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
