"""Benchmark: what showing compliance findings in the reader's language costs.

Checks the ads of the labelled set (tests/compliance/data, ad copy in nine languages) in
every market they name, then times (1) checking them, (2) translating every finding's
message and reference for a Chinese page (``web.texts.translate``, as ``|tr`` does) and
(3) for a German command (``cli.compliance.said``), and prints the figures with how many
findings were translated and how many fell back to the English (a workspace's own pack).

    .venv/bin/python bench/compliance_languages.py [--repeat 20]
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "compliance" / "data"


def _ads() -> list[dict]:
    ads = []
    for path in sorted(DATA.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                if isinstance(row.get("text"), str) and row.get("market"):
                    ads.append(row)
    return ads


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    from tradewinds.compliance.engine import check_text
    from tradewinds.web import i18n
    from tradewinds.web.texts import translate

    ads = _ads()
    start = time.perf_counter()
    results = [
        check_text(a["text"], market=a["market"], platform=a.get("platform"), field=a.get("field"))
        for a in ads
    ]
    checked = time.perf_counter() - start
    findings = [f for r in results for f in r.findings]
    print(f"ads: {len(ads):,}, findings: {len(findings):,}, check: {checked * 1000:,.1f} ms")

    token = i18n.start_request("zh-CN", "", "zh-CN")
    try:
        translated = sum(translate(f.message) != f.message for f in findings)
        start = time.perf_counter()
        for _ in range(args.repeat):
            for f in findings:
                translate(f.message), translate(f.reference)
        page = (time.perf_counter() - start) / args.repeat
    finally:
        i18n.end_request(token)
    per = page / max(len(findings), 1) * 1e6
    print(
        f"page (zh_Hans): {page * 1000:,.2f} ms for all findings, {per:,.2f} µs a finding; "
        f"{translated:,} of {len(findings):,} messages translated"
    )

    os.environ["TRADEWINDS_LANG"] = "de"
    from tradewinds.cli.compliance import said

    translated = sum(said(f.message) != f.message for f in findings)
    start = time.perf_counter()
    for _ in range(args.repeat):
        for f in findings:
            said(f.message), said(f.reference)
    cli = (time.perf_counter() - start) / args.repeat
    per = cli / max(len(findings), 1) * 1e6
    print(
        f"CLI (de): {cli * 1000:,.2f} ms for all findings, {per:,.2f} µs a finding; "
        f"{translated:,} of {len(findings):,} messages translated"
    )


if __name__ == "__main__":
    main()
