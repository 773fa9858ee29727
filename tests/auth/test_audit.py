"""The audit chain and its signed head: any edit, removal or truncation fails verification;
ids come from the database, so concurrent writers never collide."""

from __future__ import annotations

import json
import multiprocessing
import shutil
import threading

import pytest
import sqlalchemy as sa
from alembic import command
from typer.testing import CliRunner

from tradewinds.auth import audit, audit_head
from tradewinds.cli.main import app as cli
from tradewinds.config import reset_settings
from tradewinds.db.base import utcnow
from tradewinds.db.engine import dispose_engines, get_engine, session_scope
from tradewinds.db.migrate import alembic_config
from tradewinds.db.models.audit import AuditEntry

from ._audit_appender import append_entries

runner = CliRunner()


def _write(n: int, start: int = 0) -> None:
    with session_scope() as session:
        for i in range(start, start + n):
            audit.record(
                session,
                action="test.event",
                actor="tester",
                workspace_id=1,
                target=f"thing:{i}",
                details={"i": i, "note": "ünïcode ✓"},
            )


def _verify() -> audit.ChainReport:
    with session_scope() as session:
        return audit.verify_chain(session)


def _cli_verify():
    return runner.invoke(cli, ["audit", "verify", "--json"])


def _sql(statement: str) -> None:
    with get_engine().begin() as conn:
        conn.execute(sa.text(statement))


def test_chain_verifies_and_links(app_db):
    _write(5)
    report = _verify()
    with session_scope() as session:
        rows = session.execute(
            sa.text("SELECT id, prev_hash, hash FROM audit_log ORDER BY id")
        ).all()
    assert report.ok and report.entries == 5
    assert rows[0].prev_hash == audit.GENESIS
    for prev, row in zip(rows, rows[1:], strict=False):
        assert row.prev_hash == prev.hash
    assert report.head == audit_head.Head(5, rows[-1].id, rows[-1].hash)
    assert report.unsigned_entries == 0


def test_edited_row_is_reported_and_cli_exits_nonzero(app_db):
    _write(6)
    ok = _cli_verify()
    assert ok.exit_code == 0, ok.output
    _sql("UPDATE audit_log SET actor = 'mallory' WHERE id = 4")
    broken = _cli_verify()
    assert broken.exit_code == 1
    assert '"first_broken_id": 4' in broken.output


def test_deleted_row_is_reported(app_db):
    _write(4)
    _sql("DELETE FROM audit_log WHERE id = 2")
    report = _verify()
    assert not report.ok and report.first_broken_id == 3
    assert "does not link to entry 1" in report.reason


def test_rewritten_hash_without_the_key_is_detected(app_db):
    _write(3)
    _sql(
        "UPDATE audit_log SET details = '{}', "
        "hash = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'"
        " WHERE id = 3"
    )
    assert _verify().first_broken_id == 3


def test_entries_removed_from_the_end_are_reported(app_db):
    _write(6)
    with session_scope() as session:
        last_hash = session.scalar(sa.select(AuditEntry.hash).where(AuditEntry.id == 6))
    _sql("DELETE FROM audit_log WHERE id > 3")
    result = _cli_verify()
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert not report["ok"] and report["entries"] == 3
    assert "the log ends at entry 3 (3 entries)" in report["reason"]
    assert "the signed head says 6 entries, the last being entry 6" in report["reason"]
    assert last_hash[:16] in report["reason"]
    plain = runner.invoke(cli, ["audit", "verify"])
    assert plain.exit_code == 1 and "Audit log not intact" in plain.output


def test_an_emptied_log_is_reported(app_db):
    _write(4)
    _sql("DELETE FROM audit_log")
    report = _verify()
    assert not report.ok and report.entries == 0
    assert "the log is empty but the signed head says 4 entries" in report.reason


def test_later_entries_do_not_hide_a_truncation(app_db):
    _write(5)
    _sql("DELETE FROM audit_log WHERE id > 3")
    _write(3, start=10)
    report = _verify()
    assert not report.ok
    assert "the signed head says 5 entries, the last being entry 5" in report.reason
    with session_scope() as session:  # ids are never handed out twice
        ids = session.scalars(sa.select(AuditEntry.id).order_by(AuditEntry.id)).all()
    assert ids[:3] == [1, 2, 3] and min(ids[3:]) > 5


def test_a_head_edited_without_the_key_is_reported(app_db, tw_home):
    _write(6)
    _sql("DELETE FROM audit_log WHERE id > 3")
    path = tw_home / "audit.head"
    forged = json.loads(path.read_text())
    with session_scope() as session:
        entry3 = session.get(AuditEntry, 3)
        forged.update(entries=3, last_id=3, last_hash=entry3.hash)
    path.write_text(json.dumps(forged))
    report = _verify()
    assert not report.ok and "does not carry a valid signature" in report.reason
    path.write_text("not a head")
    assert "is not a head Tradewinds wrote" in _verify().reason


def test_missing_head_fails_until_signed_on_purpose(app_db, tw_home):
    _write(3)
    (tw_home / "audit.head").unlink()
    _write(1, start=3)  # a new entry does not quietly start a new head
    assert not (tw_home / "audit.head").exists()
    result = runner.invoke(cli, ["audit", "verify"])
    assert result.exit_code == 1
    assert "there is no signed head" in result.output and "reset-head" in result.output

    reset = runner.invoke(cli, ["audit", "reset-head", "--reason", "upgraded", "--yes", "--json"])
    assert reset.exit_code == 0, reset.output
    assert json.loads(reset.stdout)["head"]["entries"] == 5
    assert _cli_verify().exit_code == 0
    with session_scope() as session:
        last = session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert last.action == "audit.head_reset" and last.details["previous_head"] is None


def test_reset_head_refuses_a_broken_chain(app_db):
    _write(4)
    _sql("UPDATE audit_log SET actor = 'mallory' WHERE id = 2")
    result = runner.invoke(cli, ["audit", "reset-head", "--reason", "x", "--yes"])
    assert result.exit_code == 1
    assert "broken at entry 2" in result.output and "intact log" in result.output


def test_a_head_behind_the_table_is_in_progress_not_truncation(app_db, tw_home):
    _write(3)
    shutil.copy(tw_home / "audit.head", tw_home / "older.head")
    _write(2, start=3)
    shutil.copy(tw_home / "older.head", tw_home / "audit.head")  # as if not yet signed
    report = _verify()
    assert report.ok and report.head.entries == 3 and report.unsigned_entries == 2
    assert "not yet in the signed head" in runner.invoke(cli, ["audit", "verify"]).output
    _write(1, start=5)  # the next commit signs everything before it
    report = _verify()
    assert report.ok and report.head.entries == 6 and report.unsigned_entries == 0


def test_a_rolled_back_entry_is_never_signed(app_db, tw_home):
    _write(2)
    before = (tw_home / "audit.head").read_text()
    with pytest.raises(RuntimeError), session_scope() as session:
        audit.record(session, action="test.rolled_back", actor="tester")
        raise RuntimeError("the action failed")
    assert (tw_home / "audit.head").read_text() == before
    _write(2, start=2)
    report = _verify()
    assert report.ok and report.entries == 4 and report.head.entries == 4


def _check_concurrent_result(total: int, writers: set[str]) -> None:
    with session_scope() as session:
        rows = session.execute(sa.select(AuditEntry.id, AuditEntry.actor)).all()
    assert len(rows) == total and len({r.id for r in rows}) == total
    assert {r.actor for r in rows} == writers
    report = _verify()
    assert report.ok, report.reason
    assert report.head.entries == total  # the last commit signed everything before it


def test_concurrent_threads_never_collide(app_db, tw_home):
    errors: list[BaseException] = []

    def append(tag: str) -> None:
        try:
            for i in range(10):
                with session_scope() as session:
                    audit.record(session, action="test.concurrent", actor=tag, details={"i": i})
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=append, args=(f"thread-{n}",)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    _check_concurrent_result(40, {f"thread-{n}" for n in range(4)})


def test_concurrent_processes_never_collide(app_db, tw_home):
    dispose_engines()
    ctx = multiprocessing.get_context("spawn")
    procs = [
        ctx.Process(target=append_entries, args=(str(tw_home), app_db, 8, f"process-{n}"))
        for n in range(3)
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=180)
    assert [p.exitcode for p in procs] == [0, 0, 0]
    _check_concurrent_result(24, {f"process-{n}" for n in range(3)})


def test_upgrade_keeps_old_entries_and_numbers_new_ones_after_them(db_url, monkeypatch):
    """Entries numbered by the old code (ids given by hand) stay; new ids follow them."""
    monkeypatch.setenv("TRADEWINDS_DATABASE_URL", db_url)
    reset_settings()
    command.upgrade(alembic_config(db_url), "33a8de72427f")
    prev = audit.GENESIS
    rows = []
    for i in range(1, 4):
        entry = AuditEntry(
            id=i,
            at=utcnow(),
            workspace_id=None,
            actor="old",
            action="old.event",
            target="",
            details={},
            ip=None,
            request_id=None,
            prev_hash=prev,
            hash="",
        )
        entry.hash = audit.entry_hash(entry, prev)
        rows.append(entry)
        prev = entry.hash
    with session_scope() as session:
        session.add_all(rows)
    command.upgrade(alembic_config(db_url), "head")
    dispose_engines()
    _write(2)
    with session_scope() as session:
        ids = session.scalars(sa.select(AuditEntry.id).order_by(AuditEntry.id)).all()
        assert ids == [1, 2, 3, 4, 5]
        assert audit.verify_chain(session, check_head=False).ok
    # an upgraded log has no head yet: verify says so until it is signed on purpose
    assert "no signed head" in _verify().reason
    assert (
        runner.invoke(cli, ["audit", "reset-head", "--reason", "upgraded", "--yes"]).exit_code == 0
    )
    assert _verify().ok
    dispose_engines()
