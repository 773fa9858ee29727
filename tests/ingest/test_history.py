"""Import history service: names, error wording, jobs a stopped worker left behind."""

from __future__ import annotations

import io

from hypothesis import given
from hypothesis import strategies as st

from tradewinds.ingest import history


@given(st.text(max_size=300))
def test_safe_name_never_leaves_the_folder(name):
    safe = history.safe_name(name)
    assert safe and "/" not in safe and "\\" not in safe and not safe.startswith(".")
    assert len(safe) <= 120


def test_errors_in_words():
    row = {
        "file": "a.csv",
        "row": 17,
        "field": "Date",
        "value": "31/02/2024",
        "reason": "the date 31/02/2024 does not exist",
    }
    assert history.describe_error(row) == (
        "Row 17, column “Date”: the date 31/02/2024 does not exist"
    )
    whole = {
        "file": "a.csv",
        "row": None,
        "field": None,
        "value": None,
        "reason": "12 of 20 rows have errors, more than 10%: nothing was imported",
    }
    assert history.describe_error(whole).startswith("12 of 20 rows have errors")
    assert "--format" not in history.friendly(
        "x: the header matches no supported format. Supported formats: a. Use --format NAME "
        "to choose one, or --mapping FILE for any other table (see docs/importing.md)"
    )


def test_a_job_left_running_by_a_stopped_worker_keeps_its_finished_files(tenants):
    from tradewinds.db.engine import session_scope
    from tradewinds.db.models.imports import ImportJob
    from tradewinds.db.models.tenancy import Workspace

    with session_scope() as session:
        ws = session.get(Workspace, tenants.a.workspace_id)
        job = history.create_import(
            session=session,
            workspace=ws,
            actor="owner@test",
            uploads=[
                history.Upload("a.csv", io.BytesIO(b"Day,Cost\n")),
                history.Upload("b.csv", io.BytesIO(b"Day,Cost\n")),
            ],
        )
        job.status, job.runner = "running", "another-host:4242"
        finished, left = job.files
        finished.status, finished.imported, finished.read = "done", 7, 7
        job_id = job.id
    history.run_import(job_id=job_id)
    with session_scope() as session:
        job = session.get(ImportJob, job_id)
        finished, left = job.files
        assert job.status == "done" and job.runner == history.RUNNER
        assert (finished.status, finished.imported) == ("done", 7)  # not imported again
        assert left.status not in history.ACTIVE
    history.run_import(job_id=job_id)  # a finished job is never run again
    with session_scope() as session:
        assert session.get(ImportJob, job_id).files[0].imported == 7


def test_an_import_opens_the_warehouse_while_a_console_query_runs(tw_home):
    from tradewinds.warehouse import open_warehouse

    open_warehouse("shop").close()
    reader, writer = open_warehouse("shop"), open_warehouse("shop")
    with reader.readonly() as run:  # a console query: the same database, read-only
        run("SELECT 1")
        history._connect(writer, patience=0)  # no "different configuration", no waiting
        assert writer.count("orders") == 0
    writer.close()
