from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tradewinds.config import reset_settings

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture
def shared_data() -> Path:
    """../shared/data beside the checkout (read-only real data sets)."""
    if not SHARED_DATA.exists():
        pytest.skip(f"shared data not found at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture
def tw_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh TRADEWINDS_HOME for one test."""
    home = tmp_path / "home"
    monkeypatch.setenv("TRADEWINDS_HOME", str(home))
    monkeypatch.delenv("TRADEWINDS_DATABASE_URL", raising=False)
    monkeypatch.delenv("TRADEWINDS_WAREHOUSE_URL", raising=False)
    reset_settings()
    yield home
    reset_settings()
