"""Apply only the safe replacements that rules carry, then check the result again."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tradewinds.compliance.engine import CheckResult, Finding, get_ruleset
from tradewinds.compliance.models import RulePack


@dataclass(frozen=True, slots=True)
class FixResult:
    original: str
    fixed: str
    applied: tuple[Finding, ...]
    result: CheckResult  # the check of the fixed text


def apply_fixes(text: str, findings: Sequence[Finding]) -> tuple[str, list[Finding]]:
    """Rewrite the spans of fixable findings (left-most first; overlapping ones are skipped)."""
    chosen: list[Finding] = []
    last_end = -1
    fixable = [f for f in findings if f.suggested_fix is not None]
    for finding in sorted(fixable, key=lambda f: (f.start, -(f.end - f.start))):
        if finding.start < last_end or (
            finding.start == finding.end and finding.start <= last_end and chosen
        ):
            continue
        if any(
            c.rule_id == finding.rule_id and c.start == finding.start == finding.end for c in chosen
        ):
            continue
        chosen.append(finding)
        last_end = max(last_end, finding.end)
    out = text
    for finding in sorted(chosen, key=lambda f: f.start, reverse=True):
        start, end = finding.start, finding.end
        replacement = finding.suggested_fix or ""
        if replacement == "":  # removing a word: do not leave a double or stray space
            if end < len(out) and out[end] == " " and (start == 0 or out[start - 1] == " "):
                end += 1
            elif start > 0 and out[start - 1] == " " and (end == len(out) or out[end] in ".,!?;:"):
                start -= 1
        out = out[:start] + replacement + out[end:]
    return out, chosen


def autofix(
    text: str,
    *,
    market: str,
    platform: str | None = None,
    field: str | None = None,
    sponsored: bool = False,
    extra_packs: Sequence[RulePack] = (),
    rounds: int = 3,
    allow_terms: Sequence[str] = (),
) -> FixResult:
    """Fix what can be fixed safely and re-check; the result says what is still wrong.

    ``allow_terms`` (trademarks, product names) are exempt from wording rules, so a fix never
    rewrites them (see ``engine.check_text``).
    """
    ruleset = get_ruleset(market, platform, extra_packs=extra_packs)
    current = text
    applied: list[Finding] = []
    result = ruleset.check(current, field=field, sponsored=sponsored, allow_terms=allow_terms)
    for _ in range(rounds):
        current_next, chosen = apply_fixes(current, result.findings)
        if not chosen:
            break
        applied.extend(chosen)
        current = current_next
        result = ruleset.check(current, field=field, sponsored=sponsored, allow_terms=allow_terms)
    return FixResult(original=text, fixed=current, applied=tuple(applied), result=result)
