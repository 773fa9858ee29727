"""Benchmark: check 10,000 ad texts through `tradewinds compliance check --file` (batch mode).

The ads are drawn from the labelled set in tests/compliance/data (ad copy in nine languages)
and from the product descriptions of the UCI Online Retail data set in ../shared/data,
spread over every market and platform, some marked sponsored, with platform fields. The
script writes them to a temporary JSON-lines file, runs the real CLI once in a fresh
process (start-up and rule compilation included) and prints the wall-clock time.
Target: <= 10 s on the development machine.

    .venv/bin/python bench/compliance_batch.py [--n 10000]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LABELLED = ROOT / "tests" / "compliance" / "data" / "labelled_ads.jsonl"
RETAIL = ROOT.parent / "shared" / "data" / "online_retail" / "online_retail_non_uk.csv.gz"
MARKETS = ["EU", "DE", "FR", "UK", "US", "CN", "JP", "SA", "AE", "ID", "MY", "BR"]
PLATFORM_FIELDS = {
    None: [None],
    "google": ["headline", "description", None],
    "meta": ["primary_text", "headline"],
    "tiktok": ["ad_text"],
    "amazon": ["title", "bullet_point", "search_terms"],
}


def build_ads(n: int, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    labelled = [json.loads(x) for x in LABELLED.read_text(encoding="utf-8").splitlines() if x]
    descriptions: list[str] = []
    if RETAIL.exists():
        with gzip.open(RETAIL, "rt", encoding="utf-8", errors="replace") as fh:
            seen = set()
            for row in csv.DictReader(fh):
                text = (row.get("Description") or "").strip()
                if text and text not in seen:
                    seen.add(text)
                    descriptions.append(text.capitalize())
    ads = []
    for i in range(n):
        if descriptions and rng.random() < 0.5:
            text = rng.choice(descriptions)
            market = rng.choice(MARKETS)
        else:
            row = rng.choice(labelled)
            text, market = row["text"], row["market"]
        platform = rng.choice(list(PLATFORM_FIELDS))
        field = rng.choice(PLATFORM_FIELDS[platform])
        ads.append(
            {
                "id": f"ad-{i}",
                "text": text,
                "market": market,
                "platform": platform,
                "field": field,
                "sponsored": rng.random() < 0.15,
            }
        )
    return ads


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    args = parser.parse_args()
    cli = shutil.which("tradewinds", path=str(Path(sys.executable).parent)) or "tradewinds"
    ads = build_ads(args.n)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ads.jsonl"
        path.write_text(
            "".join(json.dumps(a, ensure_ascii=False) + "\n" for a in ads), encoding="utf-8"
        )
        load = os.getloadavg()[0]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        proc = subprocess.run(
            [cli, "compliance", "check", "--file", str(path), "--json"],
            capture_output=True,
            text=True,
            check=False,
        )
        elapsed = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode not in (0, 1) or not proc.stdout:  # 1: some ads are blocked
        sys.exit(f"CLI failed ({proc.returncode}): {proc.stderr[-2000:]}")
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(out) == len(ads) and all(o["id"] == a["id"] for o, a in zip(out, ads, strict=True))
    verdicts = Counter(o.get("verdict", "error") for o in out)
    findings = sum(len(o.get("findings", [])) for o in out)
    print(f"compliance batch: {len(ads):,} ads through `tradewinds compliance check --file`")
    print(f"  wall time      {elapsed:6.2f} s  (target <= 10 s; includes start-up)")
    print(f"  CPU time       {cpu:6.2f} s  (the CLI process; wall time grows when cores are busy)")
    print(f"  load average   {load:6.2f}   on {os.cpu_count()} cores when the run started")
    print(f"  throughput     {len(ads) / elapsed:8,.0f} ads/s")
    print("  verdicts       " + ", ".join(f"{k} {v:,}" for k, v in sorted(verdicts.items())))
    print(f"  findings       {findings:,}")
    return 0 if elapsed <= 10 else 1


if __name__ == "__main__":
    raise SystemExit(main())
