"""The audit chain: every entry links to the previous; any edit breaks verification."""

from __future__ import annotations

import sqlalchemy as sa
from typer.testing import CliRunner

from tradewinds.auth import audit
from tradewinds.cli.main import app as cli
from tradewinds.db.engine import get_engine, session_scope


def _write(n: int) -> None:
    with session_scope() as session:
        for i in range(n):
            audit.record(
                session,
                action="test.event",
                actor="tester",
                workspace_id=1,
                target=f"thing:{i}",
                details={"i": i, "note": "ünïcode ✓"},
            )


def test_chain_verifies_and_links(app_db):
    _write(5)
    with session_scope() as session:
        report = audit.verify_chain(session)
        rows = session.execute(
            sa.text("SELECT id, prev_hash, hash FROM audit_log ORDER BY id")
        ).all()
    assert report.ok and report.entries == 5
    assert rows[0].prev_hash == audit.GENESIS
    for prev, row in zip(rows, rows[1:], strict=False):
        assert row.prev_hash == prev.hash


def test_edited_row_is_reported_and_cli_exits_nonzero(app_db):
    _write(6)
    runner = CliRunner()
    ok = runner.invoke(cli, ["audit", "verify", "--json"])
    assert ok.exit_code == 0, ok.output
    with get_engine().begin() as conn:
        conn.execute(sa.text("UPDATE audit_log SET actor = 'mallory' WHERE id = 4"))
    broken = runner.invoke(cli, ["audit", "verify", "--json"])
    assert broken.exit_code == 1
    assert '"first_broken_id": 4' in broken.output


def test_deleted_row_is_reported(app_db):
    _write(4)
    with get_engine().begin() as conn:
        conn.execute(sa.text("DELETE FROM audit_log WHERE id = 2"))
    with session_scope() as session:
        report = audit.verify_chain(session)
    assert not report.ok and report.first_broken_id == 2


def test_rewritten_hash_without_the_key_is_detected(app_db):
    _write(3)
    with get_engine().begin() as conn:
        conn.execute(
            sa.text(
                "UPDATE audit_log SET details = '{}', "
                "hash = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'"
                " WHERE id = 3"
            )
        )
    with session_scope() as session:
        assert audit.verify_chain(session).first_broken_id == 3
