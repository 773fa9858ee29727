"""The server's start-up moves what it built out of the garbage collector's way."""

from __future__ import annotations

import gc

import pytest


@pytest.mark.parametrize("freeze", ["1", "0"])
def test_start_up_freezes_and_shutdown_unfreezes(app_db, monkeypatch, freeze) -> None:
    from fastapi.testclient import TestClient

    from tradewinds.app import create_app
    from tradewinds.config import reset_settings

    monkeypatch.setenv("TRADEWINDS_GC_FREEZE", freeze)
    reset_settings()
    gc.unfreeze()  # whatever an earlier test of this process left frozen
    with TestClient(create_app(), base_url="https://testserver") as client:
        assert client.get("/healthz").status_code == 200
        frozen = gc.get_freeze_count()
    assert (frozen > 0) is (freeze == "1")
    assert gc.get_freeze_count() == 0
