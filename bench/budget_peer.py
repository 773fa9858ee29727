"""PyMC-Marketing (Apache-2.0) as the budget benchmark's peer, kept in its own venv.

It is never a dependency of Tradewinds: this module creates ``bench/.venv-pymc``, installs
the peer there from PyPI, and talks to it through a subprocess (``budget_peer_runner.py``).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
PEER_VENV = BENCH / ".venv-pymc"
PEER_PYTHON = PEER_VENV / "bin" / "python"
RUNNER = BENCH / "budget_peer_runner.py"
PEER_PACKAGES = ["pymc-marketing"]
TIMEOUT_SECONDS = 1800


class PeerMissing(RuntimeError):
    """The peer cannot be installed or imported here (the reason is the message)."""


def ensure_peer() -> Path:
    """bench/.venv-pymc with PyMC-Marketing, created unless it already works."""
    if PEER_PYTHON.exists() and _imports():
        return PEER_PYTHON
    print(f"setting up PyMC-Marketing in {PEER_VENV} ...", file=sys.stderr)
    try:
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(PEER_VENV)], check=True)
        done = subprocess.run(
            [str(PEER_PYTHON), "-m", "pip", "install", "-q", *PEER_PACKAGES],
            capture_output=True,
            text=True,
        )
    except (OSError, subprocess.CalledProcessError) as exc:
        raise PeerMissing(f"cannot create {PEER_VENV}: {exc}") from None
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["pip failed"])[-1]
        raise PeerMissing(f"pip install pymc-marketing failed: {last}")
    if not _imports():
        raise PeerMissing("pymc_marketing does not import in its venv")
    return PEER_PYTHON


def _imports() -> bool:
    check = subprocess.run(
        [str(PEER_PYTHON), "-c", "import pymc_marketing.mmm"], capture_output=True, text=True
    )
    return check.returncode == 0


def run_peer(job: dict) -> dict:
    """Run one fit in the peer's venv; adds the wall time of the whole subprocess."""
    python = ensure_peer()
    started = time.perf_counter()
    try:
        proc = subprocess.run(
            [str(python), str(RUNNER)],
            input=json.dumps(job),
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
        )
    except subprocess.TimeoutExpired:
        raise PeerMissing(f"the fit took over {TIMEOUT_SECONDS} s and was stopped") from None
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise PeerMissing(f"the peer failed: {proc.stderr.strip()[-600:]}")
    answer = json.loads(proc.stdout.strip().splitlines()[-1])
    answer["wall_seconds"] = wall
    return answer
