"""The in-process job runner: one job at a time per key, failures contained, liveness."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

from tradewinds.jobs import runner as jobs
from tradewinds.jobs.runner import RUNNER_ID, JobRunner, runner_alive


def test_jobs_with_one_key_never_overlap_and_a_failure_does_not_stop_the_next():
    pool = JobRunner(workers=3)
    inside, overlaps, done = [0], [], []
    guard = threading.Lock()

    def job(n: int) -> None:
        with guard:
            inside[0] += 1
            overlaps.append(inside[0])
        if n == 2:
            with guard:
                inside[0] -= 1
            raise RuntimeError("boom")
        with guard:
            inside[0] -= 1
            done.append(n)

    for n in range(6):
        pool.submit(lambda n=n: job(n), key="warehouse:shop")
    assert pool.wait(timeout=60)
    pool.shutdown()
    assert max(overlaps) == 1
    assert sorted(done) == [0, 1, 3, 4, 5]


def test_runner_restarts_after_shutdown():
    first = jobs.get_runner()
    jobs.shutdown_runner()
    second = jobs.get_runner()
    assert second is not first and not second.closed
    ran = threading.Event()
    second.submit(ran.set, key="k")
    assert second.wait(timeout=30) and ran.is_set()


def test_runner_alive_tells_a_restart_from_a_live_process():
    host, pid, _token = RUNNER_ID.split(":")
    assert runner_alive(RUNNER_ID)
    assert not runner_alive(None)
    assert not runner_alive(f"{host}:{os.getpid()}:othertoken")  # this pid, restarted
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    assert not runner_alive(f"{host}:{gone}:abc")
    with subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"]) as other:
        try:
            assert runner_alive(f"{host}:{other.pid}:abc")
        finally:
            other.kill()
    assert runner_alive(f"another-host:{pid}:abc")  # cannot tell: leave it alone
