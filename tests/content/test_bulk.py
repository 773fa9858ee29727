"""A bulk job over a catalogue × markets: progress, resumes after a crash or a killed
worker without writing anything twice, downloads in the export layouts."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from collections import Counter

import pandas as pd
import pytest
from sqlalchemy import func, select

from tradewinds import tasks
from tradewinds.content import bulk
from tradewinds.content.export import GOOGLE_COLUMNS, export
from tradewinds.content.models import GenerationRequest, GenerationResult, Product
from tradewinds.db.engine import session_scope
from tradewinds.db.models.content_jobs import ContentJob, ContentJobItem
from tradewinds.errors import InvalidInput, NotFound


class WorkerDied(BaseException):
    """What a worker process being killed looks like from inside the job: nothing after it
    runs (not an ``Exception``, so the job cannot catch it as one product's failure)."""


def catalogue(n: int) -> list[Product]:
    names = ["Trail Runner", "保温杯 Thermo", "Yoga Mat Pro", "Café Press", "Sac à dos 20L"]
    return [
        Product(
            id=f"SKU-{i:04d}",
            title=f"{names[i % len(names)]} {i}",
            price=f"{19 + i % 50}.90",
            currency="EUR",
            brand="Dune",
            category="outdoor",
        )
        for i in range(n)
    ]


def _request(products: list[Product], **kw) -> GenerationRequest:
    values = {
        "markets": ["DE", "US"],
        "platform": "google",
        "fields": ["headline", "description"],
        "n": 3,
    }
    values.update(kw)
    return GenerationRequest(products=products, **values)


def _create(workspace_id: int, request: GenerationRequest) -> int:
    with session_scope() as session:
        return bulk.create_job(
            session, workspace_id=workspace_id, actor="owner@alpha.example", request=request
        ).id


def _engine():
    from tradewinds.content.engine import generate

    return generate


class Counting:
    """The real engine, counting the product × market calls; ``die_at``: the call during
    which the worker "dies"."""

    def __init__(self, die_at: int | None = None) -> None:
        self.generate = _engine()
        self.calls: list[tuple[str, str, tuple[str, ...]]] = []
        self.die_at = die_at

    def __call__(self, request: GenerationRequest) -> GenerationResult:
        self.calls.append((request.products[0].id, request.markets[0], tuple(request.fields)))
        if self.die_at is not None and len(self.calls) == self.die_at:
            raise WorkerDied
        return self.generate(request)


def _items(job_id: int) -> list[tuple[str, str, str, str, int]]:
    with session_scope() as session:
        return [
            (i.product_id, i.market, i.field, i.status, len(i.variants))
            for i in session.scalars(
                select(ContentJobItem)
                .where(ContentJobItem.job_id == job_id)
                .order_by(ContentJobItem.id)
            )
        ]


def test_a_job_resumes_after_a_crash_and_writes_each_item_once(tenants) -> None:
    products = catalogue(6)
    job_id = _create(tenants.a.workspace_id, _request(products))
    with session_scope() as session:
        start = bulk.progress(session, job_id=job_id, workspace_id=tenants.a.workspace_id)
    assert (start.status, start.done, start.total) == ("queued", 0, 6 * 2 * 2)

    first = Counting(die_at=5)  # dies while writing the 5th product × market
    with pytest.raises(WorkerDied):
        bulk.run_job(job_id=job_id, generate=first)
    with session_scope() as session:
        midway = bulk.progress(session, job_id=job_id, workspace_id=tenants.a.workspace_id)
    assert (midway.status, midway.done, midway.runs) == ("running", 4 * 2, 1)

    second = Counting()
    final = bulk.run_job(job_id=job_id, generate=second)
    assert final is not None and (final.status, final.done, final.runs) == ("done", 24, 2)
    # the second run did only what the first had not finished: no pair twice
    assert len(second.calls) == 12 - 4
    assert not set(first.calls[:4]) & set(second.calls)
    assert Counter(first.calls[:4] + second.calls) == Counter(
        {(p.id, m, ("headline", "description")): 1 for p in products for m in ("DE", "US")}
    )
    items = _items(job_id)
    assert len(items) == len({(p, m, f) for p, m, f, _s, _n in items}) == 24
    assert all(status == "done" and n > 0 for *_k, status, n in items)

    # the same as a job that was never interrupted (the template engine is deterministic)
    straight = _create(tenants.a.workspace_id, _request(products))
    bulk.run_job(job_id=straight, generate=_engine())
    with session_scope() as session:
        resumed, _ = bulk.results(session, job_id=job_id, workspace_id=tenants.a.workspace_id)
        whole, _ = bulk.results(session, job_id=straight, workspace_id=tenants.a.workspace_id)
        counted = session.get(ContentJob, job_id)
        assert counted.variants == len(resumed.variants)
    assert [v.text for v in resumed.variants] == [v.text for v in whole.variants]

    # a third run finds nothing to do and changes nothing
    assert bulk.run_job(job_id=job_id, generate=Counting(die_at=1)) is None
    assert _items(job_id) == items


def test_the_queue_runs_the_task_and_downloads_open_in_pandas(tenants) -> None:
    job_id = _create(tenants.a.workspace_id, _request(catalogue(3), markets=["DE", "JP", "US"]))
    assert tasks.plugged() is None  # no queue plugged in: enqueue runs it at once
    bulk.start(job_id=job_id, workspace_key=tenants.a.workspace_key)
    with session_scope() as session:
        done = bulk.progress(session, job_id=job_id, workspace_id=tenants.a.workspace_id)
        result, products = bulk.results(session, job_id=job_id, workspace_id=tenants.a.workspace_id)
        jp, _ = bulk.results(
            session, job_id=job_id, workspace_id=tenants.a.workspace_id, market="jp"
        )
        with pytest.raises(NotFound):  # another workspace's job is not found
            bulk.progress(session, job_id=job_id, workspace_id=tenants.b.workspace_id)
    assert (done.status, done.done, done.total, done.fraction) == ("done", 18, 18, 1.0)
    assert {v.market for v in jp.variants} == {"JP"}
    file = export(result.variants, "google", products=products)
    frame = pd.read_csv(io.BytesIO(file.content), encoding="utf-8-sig", keep_default_na=False)
    assert list(frame.columns) == GOOGLE_COLUMNS and len(frame) == 3 * 3
    assert all(frame["Headline 1"] != "") and all(frame["Description 1"] != "")


def test_a_failing_product_fails_alone_and_can_be_retried(tenants) -> None:
    products = catalogue(3)
    job_id = _create(
        tenants.a.workspace_id, _request(products, markets=["DE"], fields=["headline"])
    )
    engine = _engine()

    def flaky(request: GenerationRequest) -> GenerationResult:
        if request.products[0].id == "SKU-0001":
            raise RuntimeError("the backend timed out")
        return engine(request)

    final = bulk.run_job(job_id=job_id, generate=flaky)
    assert final.status == "done" and final.message == "1 of 3 items failed"
    assert [s for *_k, s, _n in _items(job_id)] == ["done", "failed", "done"]
    with session_scope() as session:
        assert bulk.retry_failed(session, job_id=job_id, workspace_id=tenants.a.workspace_id) == 1
    again = Counting()
    assert bulk.run_job(job_id=job_id, generate=again).message is None
    assert [c[0] for c in again.calls] == ["SKU-0001"]


def test_bad_jobs_are_refused_with_the_reason(tenants) -> None:
    twice = [*catalogue(2), catalogue(1)[0]]
    with session_scope() as session, pytest.raises(InvalidInput, match="repeated: SKU-0000"):
        bulk.create_job(
            session, workspace_id=tenants.a.workspace_id, actor="x", request=_request(twice)
        )


KILL_SCRIPT = """
import sys
from tradewinds.content.bulk import run_job
run_job(job_id=int(sys.argv[1]))
"""


def _done(job_id: int) -> int:
    with session_scope() as session:
        return session.scalar(
            select(func.count())
            .select_from(ContentJobItem)
            .where(ContentJobItem.job_id == job_id, ContentJobItem.status == "done")
        )


@pytest.mark.parametrize("db_url", ["sqlite", "postgresql"], indirect=True)
def test_kill_9_of_the_worker_midway_then_a_restart_finishes_once(tenants) -> None:
    products = catalogue(120)
    request = _request(products, markets=["DE", "FR", "US"], fields=["headline"], n=2)
    job_id = _create(tenants.a.workspace_id, request)
    proc = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT, str(job_id)], env=dict(os.environ))
    deadline = time.monotonic() + 120
    while _done(job_id) < 10 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    at_kill = _done(job_id)
    if at_kill == len(products) * 3:
        pytest.skip("the worker finished before it could be killed")
    assert 10 <= at_kill < 360
    again = Counting()
    final = bulk.run_job(job_id=job_id, generate=again)
    assert (final.status, final.done) == ("done", 360)
    assert len(again.calls) == 360 - at_kill  # one field: one call per item left
    items = _items(job_id)
    assert len({(p, m, f) for p, m, f, _s, _n in items}) == len(items) == 360
