from __future__ import annotations

import stat

from tradewinds.config import get_settings


def test_secret_key_created_once_with_0600(tw_home):
    settings = get_settings()
    key = settings.secret_key
    path = tw_home / "secret.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(key) >= 40 and settings.secret_key == key


def test_default_database_is_sqlite_in_home(tw_home):
    assert get_settings().db_url == f"sqlite:///{tw_home.resolve() / 'tradewinds.db'}"
