"""``tradewinds worker``: run the task queue's work apart from the web server."""

from __future__ import annotations

import typer

from tradewinds.cli.language import gettext as _


def register(app: typer.Typer) -> None:
    @app.command(
        "worker",
        help=_(
            "Run queued imports, drains, connector syncs and periodic work until "
            "stopped.\n\n"
            "Takes tasks from the queue TRADEWINDS_QUEUE_URL names (Redis; or the "
            "SQLite file in TRADEWINDS_HOME). Ctrl-C (SIGINT) finishes the running "
            "tasks first; SIGTERM stops at once (a task cut short is run again by "
            "the next worker)."
        ),
    )
    def worker(
        threads: int = typer.Option(
            None,
            "--threads",
            min=1,
            help=_("tasks run at once (default: TRADEWINDS_QUEUE_THREADS, 2)"),
        ),
    ) -> None:
        """Run queued imports, drains, connector syncs and periodic work until stopped.

        Takes tasks from the queue TRADEWINDS_QUEUE_URL names (Redis; or the SQLite file
        in TRADEWINDS_HOME). Ctrl-C (SIGINT) finishes the running tasks first; SIGTERM
        stops at once (a task cut short is run again by the next worker).
        """
        from tradewinds.jobs.worker import Worker, make_queue
        from tradewinds.observability import configure_logging
        from tradewinds.tasks import plug

        configure_logging()
        queue = make_queue()
        plug(queue)
        threads_shown = str(threads) if threads else _("default")
        typer.echo(
            _(
                "worker: %(kinds)s kinds of task, %(threads)s thread(s); stop with Ctrl-C",
                kinds=len(queue.registry),
                threads=threads_shown,
            ),
            err=True,
        )
        Worker(queue, threads=threads).run()
