"""Report: the compliance rule packs against the labelled ad set (tests/compliance/data).

Prints recall (blocked ads the engine blocks) and the false-alarm rate (clean ads that get
anything but "pass") per market and per language, and the time the whole set takes.

    .venv/bin/python bench/compliance_labelled.py [--markdown] [--misses]
"""

from __future__ import annotations

import sys
import time

from tradewinds.compliance.evaluate import main

if __name__ == "__main__":
    started = time.perf_counter()
    status = main(sys.argv[1:])
    print(f"\nchecked in {time.perf_counter() - started:.2f} s (rule compilation included)")
    raise SystemExit(status)
