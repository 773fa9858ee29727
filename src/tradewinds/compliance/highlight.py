"""Cut ad text into segments for display, each with the findings that cover it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tradewinds.compliance.engine import Finding
from tradewinds.compliance.models import SEVERITY_ORDER


@dataclass(frozen=True, slots=True)
class Segment:
    text: str
    findings: tuple[int, ...]  # indexes into the findings list
    severity: str | None  # the worst severity covering the segment
    insertion: bool = False  # a zero-width finding (e.g. a missing label) at this point


def segments(text: str, findings: Sequence[Finding]) -> list[Segment]:
    """Consecutive segments covering ``text`` exactly once (plus zero-width markers)."""
    cuts = {0, len(text)}
    for f in findings:
        cuts.update((f.start, f.end))
    points = sorted(c for c in cuts if 0 <= c <= len(text))
    out: list[Segment] = []
    for i, point in enumerate(points):
        marks = tuple(j for j, f in enumerate(findings) if f.start == f.end == point)
        if marks:
            worst = max((findings[j].severity for j in marks), key=SEVERITY_ORDER.__getitem__)
            out.append(Segment("", marks, worst, insertion=True))
        if i + 1 == len(points):
            break
        start, end = point, points[i + 1]
        if start == end:
            continue
        covering = tuple(
            j
            for j, f in enumerate(findings)
            if f.start <= start and end <= f.end and f.start < f.end
        )
        worst = (
            max((findings[j].severity for j in covering), key=SEVERITY_ORDER.__getitem__)
            if covering
            else None
        )
        out.append(Segment(text[start:end], covering, worst))
    return out
