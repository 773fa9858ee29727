"""The `lifetimes` package as a benchmark peer, kept in its own venv under bench/.

lifetimes (0.11.3, unmaintained since 2020) needs pandas < 2, numpy < 1.24 and
scipy < 1.11, so it cannot share Tradewinds' environment: this module creates
``bench/.venv-lifetimes`` with those pins and talks to it through a subprocess.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
PEER_VENV = BENCH / ".venv-lifetimes"
PEER_PYTHON = PEER_VENV / "bin" / "python"
RUNNER = BENCH / "customers_peer_runner.py"
PEER_PACKAGES = ["lifetimes==0.11.3", "pandas<2", "numpy<1.24", "scipy<1.11"]


def ensure_peer() -> Path:
    """Create bench/.venv-lifetimes unless it already works."""
    if PEER_PYTHON.exists():
        check = subprocess.run(
            [str(PEER_PYTHON), "-c", "import lifetimes"], capture_output=True, text=True
        )
        if check.returncode == 0:
            return PEER_PYTHON
    print(f"setting up lifetimes in {PEER_VENV} ...", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(PEER_VENV)], check=True)
    subprocess.run([str(PEER_PYTHON), "-m", "pip", "install", "-q", *PEER_PACKAGES], check=True)
    return PEER_PYTHON


def run_peer(job: dict, *, timeout: float | None = None) -> dict:
    """Run one job in the peer venv; {"timed_out": True} if it takes longer than timeout."""
    python = ensure_peer()
    started = time.perf_counter()
    try:
        proc = subprocess.run(
            [str(python), str(RUNNER)],
            input=json.dumps(job),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return {"timed_out": True, "wall_seconds": time.perf_counter() - started}
    if proc.returncode != 0:
        raise RuntimeError(f"lifetimes failed: {proc.stderr[-2000:]}")
    answer = json.loads(proc.stdout)
    answer["wall_seconds"] = time.perf_counter() - started
    return answer
