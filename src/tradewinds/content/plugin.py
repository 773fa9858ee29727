"""The content studio's background work, declared for the task queue.

* ``content.bulk`` — one bulk job (``content/bulk.py``): a catalogue × markets × fields,
  resumable. It holds ``content-job:<id>`` while it runs, so two workers never fill one
  job at once, and waits on the queue at most once per job.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tradewinds.hooks import hookimpl

if TYPE_CHECKING:
    from tradewinds.tasks import TaskRegistry


def bulk_job(*, job_id: int, workspace_key: str) -> None:
    """Run bulk job ``job_id`` of workspace ``workspace_key``."""
    from tradewinds.content.bulk import run_job

    run_job(job_id=job_id)


@hookimpl
def tradewinds_tasks(tasks: TaskRegistry) -> None:
    tasks.add(
        "content.bulk",
        bulk_job,
        retries=2,
        retry_delay=10,
        exclusive="content-job:{job_id}",
        unique="{job_id}",
    )
