"""``kill -9`` of a worker in the middle of an import and of a drain: after a restart each
task completes once, and the warehouse holds what it would without the kill."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.jobs.conftest import task_runs, wait_for, write_orders
from tradewinds import tasks
from tradewinds.db.engine import session_scope
from tradewinds.db.models.imports import ImportJob
from tradewinds.jobs.worker import make_queue
from tradewinds.warehouse import open_warehouse
from tradewinds.warehouse.schema import TABLES

RETAIL = (
    "online_retail_non_uk.csv.gz",
    "online_retail_2011-05_2011-08.csv.gz",
    "online_retail_2011-09_2011-12.csv.gz",
)
EVENTS = 30_000


def counts(warehouse) -> dict[str, int]:
    """Rows per table, but the bundled exchange rates a workspace's warehouse starts with."""
    return {t: n for t in TABLES if t != "fx_rates" and (n := warehouse.count(t))}


@pytest.fixture
def queue(tenants):
    """The app's queue, plugged in for this process (what the web server enqueues on)."""
    made = make_queue()
    tasks.plug(made)
    yield made
    tasks.plug(None)
    made.huey.storage.close()


def _job(job_id: int) -> dict:
    with session_scope() as session:
        job = session.get(ImportJob, job_id)
        return {"status": job.status, "files": [(f.status, f.imported) for f in job.files]}


def _file_states(job_id: int) -> list[str]:
    with session_scope() as session:
        return [f.status for f in session.get(ImportJob, job_id).files]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_an_import_killed_midway_finishes_once_after_a_restart(
    tenants, queue, shared_data, spawn_worker, tmp_path
):
    from tradewinds.db.models.tenancy import Workspace
    from tradewinds.ingest import history
    from tradewinds.ingest.service import import_file
    from tradewinds.warehouse.duckdb_backend import DuckDBWarehouse

    paths = [shared_data / "online_retail" / name for name in RETAIL]
    reference = DuckDBWarehouse(tmp_path / "reference.duckdb")
    reference.ensure_tables()
    for path in paths:
        import_file(warehouse=reference, path=path, format=None)
    expected = counts(reference)
    reference.close()

    key = tenants.a.workspace_key
    with session_scope() as session:
        ws = session.get(Workspace, tenants.a.workspace_id)
        uploads = [history.Upload(p.name, p.open("rb")) for p in paths]
        job_id = history.create_import(
            session=session, workspace=ws, actor="owner@test", uploads=uploads
        ).id
    history.start_import(job_id=job_id, workspace_key=key)
    first = spawn_worker("first")
    assert wait_for(lambda: _file_states(job_id)[1] == "running", 120), first.lines()
    first.kill()  # in the middle of the second file
    assert _file_states(job_id)[:2] == ["done", "running"]
    assert [r["name"] for r in queue.running().values()] == ["ingest.import"]

    second = spawn_worker("second")
    assert wait_for(lambda: _job(job_id)["status"] == "done", 180), second.lines()
    second.stop()
    job = _job(job_id)
    assert [status for status, _ in job["files"]] == ["done", "done", "done"]
    assert job["files"][0][1] == 46431  # kept from the first run, not imported again
    assert len(task_runs(first.lines() + second.lines(), "ingest.import")) == 1
    assert queue.running() == {} and queue.pending() == 0
    with open_warehouse(key) as warehouse:
        assert counts(warehouse) == expected
    with session_scope() as session:
        from tradewinds.db.models.audit import AuditEntry

        entries = session.scalars(
            select(AuditEntry.target).where(
                AuditEntry.action == "data.import", AuditEntry.workspace_id == ws.id
            )
        ).all()
    assert sorted(entries) == sorted(f"file:{p.name}" for p in paths)  # one entry per file


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_drain_killed_midway_finishes_once_after_a_restart(tenants, queue, spawn_worker):
    key = tenants.b.workspace_key
    write_orders(key, EVENTS)
    tasks.enqueue("ingest.drain", workspace_key=key)
    first = spawn_worker("first")
    assert wait_for(
        lambda: any("task started: name=ingest.drain" in line for line in first.lines()), 120
    ), first.lines()
    first.kill()
    assert [r["name"] for r in queue.running().values()] == ["ingest.drain"]  # cut short

    second = spawn_worker("second")
    assert wait_for(lambda: task_runs(second.lines(), "ingest.drain"), 180), second.lines()
    second.stop()
    assert len(task_runs(first.lines() + second.lines(), "ingest.drain")) == 1
    assert queue.running() == {} and queue.pending() == 0
    with open_warehouse(key) as warehouse:
        assert warehouse.count("events") == EVENTS
        assert warehouse.count("orders") == EVENTS
