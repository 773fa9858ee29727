"""ChannelAttribution (GPL) as a benchmark peer, kept in its own venv under bench/.

It is never a dependency of Tradewinds: this module creates ``bench/.venv-peer``, installs
the peer there from PyPI, and talks to it through a subprocess.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
PEER_VENV = BENCH / ".venv-peer"
PEER_PYTHON = PEER_VENV / "bin" / "python"
RUNNER = BENCH / "attribution_peer_runner.py"
PEER_PACKAGES = ["channelattribution==2.2.5", "matplotlib"]  # the peer imports matplotlib


def ensure_peer() -> Path:
    """Create bench/.venv-peer with ChannelAttribution unless it already works."""
    if PEER_PYTHON.exists():
        check = subprocess.run(
            [str(PEER_PYTHON), "-c", "import ChannelAttribution"],
            capture_output=True,
            text=True,
        )
        if check.returncode == 0:
            return PEER_PYTHON
    print(f"setting up the peer in {PEER_VENV} ...", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(PEER_VENV)], check=True)
    subprocess.run([str(PEER_PYTHON), "-m", "pip", "install", "-q", *PEER_PACKAGES], check=True)
    return PEER_PYTHON


def run_peer(job: dict) -> dict:
    """Run one job in the peer venv; adds the wall time of the whole subprocess."""
    python = ensure_peer()
    started = time.perf_counter()
    proc = subprocess.run(
        [str(python), str(RUNNER)], input=json.dumps(job), capture_output=True, text=True
    )
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"peer failed: {proc.stderr[-2000:]}")
    answer = json.loads(proc.stdout)
    answer["wall_seconds"] = wall
    return answer
