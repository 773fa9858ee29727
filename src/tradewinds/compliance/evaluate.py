"""Measure the rule packs against a labelled ad set: recall and false alarms per market and
per language.

Each line of the set is ``{"id", "lang", "text", "market", "platform", "field", "sponsored",
"label", "basis"}``; ``label`` is ``block`` (the copy breaks a block-level rule of the law or
policy named in ``basis``) or ``clean`` (it should pass). A blocked ad counts as caught when
the verdict is ``block``; a clean ad is a false alarm when the verdict is anything but
``pass`` (a warning on clean copy is an alarm too).

    python -m tradewinds.compliance.evaluate [FILE] [--markdown] [--misses]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tradewinds.compliance.batch import check_record

DEFAULT_SET = (
    Path(__file__).resolve().parents[3] / "tests" / "compliance" / "data" / "labelled_ads.jsonl"
)
REQUIRED = ("id", "lang", "text", "market", "label", "basis")
LABELS = ("block", "clean")


class LabelledSetError(ValueError):
    """A line of the labelled set that cannot be used, with the file, line and field."""


@dataclass(slots=True)
class Tally:
    """Counts for one group (a market, a language or everything)."""

    blocked: int = 0
    caught: int = 0
    clean: int = 0
    alarms: int = 0
    missed_ids: list[str] = field(default_factory=list)
    alarm_ids: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float | None:
        return self.caught / self.blocked if self.blocked else None

    @property
    def false_alarm_rate(self) -> float | None:
        return self.alarms / self.clean if self.clean else None


@dataclass(slots=True)
class Report:
    total: Tally
    by_market: dict[str, Tally]
    by_language: dict[str, Tally]


def load_set(path: Path) -> list[dict[str, Any]]:
    """Read and validate the labelled set; a bad line raises LabelledSetError."""
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            where = f"{path.name} line {number}"
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise LabelledSetError(f"{where}: not valid JSON ({exc.msg})") from exc
            if not isinstance(row, dict):
                raise LabelledSetError(f"{where}: each line must be a JSON object")
            for key in REQUIRED:
                if not isinstance(row.get(key), str) or not row[key].strip():
                    raise LabelledSetError(f"{where} ({key}): a non-empty string is required")
            if row["label"] not in LABELS:
                raise LabelledSetError(
                    f"{where} (label): {row['label']!r} is not one of {', '.join(LABELS)}"
                )
            if row["id"] in seen:
                raise LabelledSetError(f"{where} (id): {row['id']!r} is used twice")
            seen.add(row["id"])
            rows.append(row)
    return rows


def evaluate(rows: Iterable[dict[str, Any]]) -> Report:
    """Check every row and count hits, misses and false alarms."""
    total = Tally()
    by_market: dict[str, Tally] = {}
    by_language: dict[str, Tally] = {}
    for row in rows:
        verdict = check_record(row).get("verdict")
        groups = (
            total,
            by_market.setdefault(row["market"].upper(), Tally()),
            by_language.setdefault(row["lang"], Tally()),
        )
        for tally in groups:
            if row["label"] == "block":
                tally.blocked += 1
                if verdict == "block":
                    tally.caught += 1
                else:
                    tally.missed_ids.append(row["id"])
            else:
                tally.clean += 1
                if verdict != "pass":
                    tally.alarms += 1
                    tally.alarm_ids.append(row["id"])
    return Report(
        total=total,
        by_market=dict(sorted(by_market.items())),
        by_language=dict(sorted(by_language.items())),
    )


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.1f} %"


def table(title: str, groups: dict[str, Tally], total: Tally, *, markdown: bool) -> list[str]:
    header = (title, "block ads", "caught", "recall", "clean ads", "false alarms", "rate")
    body = [
        (
            key,
            str(t.blocked),
            str(t.caught),
            _pct(t.recall),
            str(t.clean),
            str(t.alarms),
            _pct(t.false_alarm_rate),
        )
        for key, t in [*groups.items(), ("all", total)]
    ]
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(row) + " |" for row in body]
        return lines
    widths = [max(len(r[i]) for r in [header, *body]) for i in range(len(header))]
    return ["  ".join(cell.rjust(widths[i]) for i, cell in enumerate(r)) for r in [header, *body]]


def render(report: Report, *, markdown: bool = False, misses: bool = False) -> str:
    lines = table("market", report.by_market, report.total, markdown=markdown)
    lines.append("")
    lines += table("language", report.by_language, report.total, markdown=markdown)
    if misses:
        lines.append("")
        lines.append("missed: " + (", ".join(report.total.missed_ids) or "none"))
        lines.append("false alarms: " + (", ".join(report.total.alarm_ids) or "none"))
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path, default=DEFAULT_SET)
    parser.add_argument("--markdown", action="store_true", help="print Markdown tables")
    parser.add_argument("--misses", action="store_true", help="list missed and alarmed ids")
    args = parser.parse_args(argv)
    try:
        rows = load_set(args.file)
    except OSError as exc:
        print(f"cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 1
    except LabelledSetError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(f"{len(rows)} labelled ads from {args.file.name}")
    print(render(evaluate(rows), markdown=args.markdown, misses=args.misses))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
