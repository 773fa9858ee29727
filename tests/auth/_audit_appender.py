"""Appends audit entries from a separate process (started by tests with multiprocessing)."""

from __future__ import annotations

import os


def append_entries(home: str, database_url: str, count: int, tag: str) -> None:
    os.environ["TRADEWINDS_HOME"] = home
    os.environ["TRADEWINDS_DATABASE_URL"] = database_url
    from tradewinds.auth import audit
    from tradewinds.config import reset_settings
    from tradewinds.db.engine import dispose_engines, session_scope

    reset_settings()
    try:
        for i in range(count):
            with session_scope() as session:
                audit.record(session, action="test.concurrent", actor=tag, details={"i": i})
    finally:
        dispose_engines()
