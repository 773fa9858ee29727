"""Two ``tradewinds worker`` processes on Redis and the PostgreSQL app DB share the drains
of ten workspaces, never draining one workspace twice at once; a drain asked for again
while one waits is the same task."""

from __future__ import annotations

import uuid
from collections import defaultdict

import pytest

from tests.jobs.conftest import task_runs, wait_for, write_orders
from tests.services import need
from tradewinds import tasks
from tradewinds.config import reset_settings
from tradewinds.jobs.worker import make_queue
from tradewinds.warehouse import open_warehouse

WORKSPACES = 10
EVENTS = 1500
ROUNDS = 3  # drains asked for per workspace, all at once


def _workspaces() -> list[str]:
    from tradewinds.db.engine import session_scope
    from tradewinds.workspaces import service
    from tradewinds.workspaces.schemas import WorkspaceCreate

    keys = []
    with session_scope() as session:
        for n in range(WORKSPACES):
            ws = service.create_workspace(
                session=session,
                actor="test",
                workspace_in=WorkspaceCreate(
                    name=f"Shop {n}", currency="GBP", timezone="Europe/London", region="uk"
                ),
            )
            keys.append(ws.key)
    return keys


@pytest.fixture
def redis_queue(app_db, monkeypatch):
    """The app's queue on Redis under a name of its own, emptied afterwards."""
    need("Redis", "127.0.0.1", 6379)
    monkeypatch.setenv("TRADEWINDS_QUEUE_URL", "redis://127.0.0.1:6379/0")
    monkeypatch.setenv("TRADEWINDS_QUEUE_NAME", f"test-{uuid.uuid4().hex[:12]}")
    reset_settings()
    queue = make_queue()
    tasks.plug(queue)
    yield queue
    tasks.plug(None)
    queue.huey.storage.flush_all()


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_two_workers_share_ten_workspaces_drains_one_at_a_time_each(redis_queue, spawn_worker):
    keys = _workspaces()
    for key in keys:
        write_orders(key, EVENTS)
        asked = {tasks.enqueue("ingest.drain", workspace_key=key) for _ in range(ROUNDS)}
        assert len(asked) == 1  # asked for while one waits: the same task
    assert redis_queue.pending() == WORKSPACES
    drain = redis_queue._tasks["ingest.drain"]
    for key in keys:  # drains asked for while another runs (its claim dropped): queued too
        for _ in range(ROUNDS - 1):
            redis_queue.huey.enqueue(drain.s(workspace_key=key))
    assert redis_queue.pending() == WORKSPACES * ROUNDS
    workers = [spawn_worker("a", threads=2), spawn_worker("b", threads=2)]

    def runs() -> list[dict[str, str]]:
        return [r for w in workers for r in task_runs(w.lines(), "ingest.drain")]

    assert wait_for(lambda: len(runs()) == WORKSPACES * ROUNDS, 300), [
        w.lines()[-20:] for w in workers
    ]
    for worker in workers:
        worker.stop()

    by_workspace: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for run in runs():
        by_workspace[run["lock"]].append((float(run["start"]), float(run["end"])))
    assert sorted(by_workspace) == sorted(f"warehouse:{key}" for key in keys)
    for lock, spans in by_workspace.items():
        spans.sort()
        assert len(spans) == ROUNDS
        for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
            assert start >= end, f"{lock} was drained twice at once"
    assert len({run["worker"] for run in runs()}) == 2  # both workers did work
    assert redis_queue.running() == {} and redis_queue.pending() == 0
    for key in keys:
        with open_warehouse(key) as warehouse:
            assert warehouse.count("orders") == EVENTS
