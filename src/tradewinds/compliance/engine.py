"""Check ad copy against the rule packs of a market and a platform.

Rule sets are compiled once per (market, platform, user packs) and cached, so checking a
batch costs one normalisation per text plus one pass of each precompiled matcher.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cachetools import LRUCache, cached

from tradewinds.compliance.loader import builtin_packs
from tradewinds.compliance.matching import AdText, CompiledRule, Hit, compile_rule
from tradewinds.compliance.models import (
    SEVERITY_ORDER,
    CapsRule,
    DisclosureRule,
    ProfanityRule,
    RegexRule,
    RulePack,
    TermsRule,
)
from tradewinds.compliance.normalise import Normalised, normalise_term
from tradewinds.compliance.registry import (
    canonical_field,
    canonical_market,
    canonical_platform,
    packs_for,
)
from tradewinds.compliance.termindex import TermIndex
from tradewinds.i18n_markers import N_, Text

#: the reference of the engine's own notes (shown translated, like their messages)
COVERAGE_REFERENCE = N_("Tradewinds rule-pack coverage")


@dataclass(frozen=True, slots=True)
class Finding:
    rule_id: str
    pack: str
    market: str | None
    platform: str | None
    severity: str
    category: str
    start: int
    end: int
    matched: str
    message: str
    reference: str
    suggested_fix: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "pack": self.pack,
            "market": self.market,
            "platform": self.platform,
            "severity": self.severity,
            "category": self.category,
            "start": self.start,
            "end": self.end,
            "span": [self.start, self.end],
            "matched": self.matched,
            "message": self.message,
            "reference": self.reference,
            "suggested_fix": self.suggested_fix,
        }


@dataclass(frozen=True, slots=True)
class CheckResult:
    text: str
    market: str
    platform: str | None
    field: str | None
    sponsored: bool
    verdict: str  # block | warn | pass
    findings: tuple[Finding, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "verdict": self.verdict,
            "market": self.market,
            "platform": self.platform,
            "field": self.field,
            "sponsored": self.sponsored,
            "findings": [f.to_dict() for f in self.findings],
        }


def verdict_of(findings: Sequence[Finding]) -> str:
    worst = max((SEVERITY_ORDER[f.severity] for f in findings), default=0)
    return {2: "block", 1: "warn"}.get(worst, "pass")


def _match_case(source: str, replacement: str) -> str:
    if not replacement or not source:
        return replacement
    letters = [c for c in source if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return replacement.upper()
    if source[0].isupper() and replacement[0].islower():
        return replacement[0].upper() + replacement[1:]
    return replacement


def fix_text(compiled: CompiledRule, hit: Hit, text: str) -> str | None:
    """Safe replacement for a hit, or None when the rule carries no safe fix."""
    rule = compiled.rule
    matched = text[hit.start : hit.end]
    if isinstance(rule, DisclosureRule):
        return rule.prefix
    if rule.transform == "remove":
        return ""
    if rule.transform == "lowercase":
        return matched.lower()
    if rule.transform == "capitalize":
        return matched[:1].upper() + matched[1:].lower()
    if rule.transform == "first_char":
        return matched[:1]
    replacement = rule.replacement
    if isinstance(replacement, dict):
        replacement = replacement.get(hit.language or "", replacement.get("any"))
    if replacement is None:
        return None
    return _match_case(matched, replacement)


@dataclass(frozen=True, slots=True)
class RuleSet:
    market: str
    platform: str | None
    rules: tuple[CompiledRule, ...]
    notes: tuple[Finding, ...]
    default_field: str | None = None
    indexes: tuple[tuple[TermIndex, int], ...] = ()  # (index of one pack, its first slot)
    skipped: frozenset[int] = frozenset()  # slots of rules another rule replaces

    def check(
        self,
        text: str,
        *,
        field: str | None = None,
        sponsored: bool = False,
        allow_terms: Sequence[str] = (),
    ) -> CheckResult:
        field = canonical_field(field) or self.default_field
        ad = AdText(text=text, field=field, sponsored=sponsored)
        allowed = allowed_spans(ad.normalised, allow_terms) if allow_terms else []
        findings: list[Finding] = list(self.notes)
        seen: set[tuple[str, int, int]] = set()
        indexed: dict[int, list[tuple[int, int, str]]] = {}
        text_norm = ad.normalised.text
        for index, offset in self.indexes:
            for slot, spans in index.find(text_norm).items():
                indexed[slot + offset] = spans
        skipped = self.skipped
        for slot, compiled in enumerate(self.rules):
            if slot in skipped or not compiled.applies_to(ad):
                continue
            for hit in compiled.hits(ad, indexed.get(slot)):
                key = (compiled.rule.id, hit.start, hit.end)
                if key in seen:
                    continue
                if allowed and _is_wording_rule(compiled) and _inside(hit, allowed):
                    continue
                seen.add(key)
                rule = compiled.rule
                findings.append(
                    Finding(
                        rule_id=rule.id,
                        pack=compiled.pack_id,
                        market=self.market if compiled.pack_scope != "platform" else None,
                        platform=self.platform if compiled.pack_scope == "platform" else None,
                        severity=rule.severity,
                        category=rule.category,
                        start=hit.start,
                        end=hit.end,
                        matched=text[hit.start : hit.end],
                        message=rule.message,
                        reference=rule.reference,
                        suggested_fix=fix_text(compiled, hit, text),
                    )
                )
        findings = _drop_shadowed(findings)
        findings.sort(key=lambda f: (f.start, -SEVERITY_ORDER[f.severity], f.rule_id))
        return CheckResult(
            text=text,
            market=self.market,
            platform=self.platform,
            field=field,
            sponsored=sponsored,
            verdict=verdict_of(findings),
            findings=tuple(findings),
        )


# Rules about wording; a trademark or product name the seller names as allowed is exempt from
# them. Length, personal data and missing labels are about the whole ad and always count.
_WORDING_RULES = (TermsRule, RegexRule, ProfanityRule, CapsRule)


def _is_wording_rule(compiled: CompiledRule) -> bool:
    return isinstance(compiled.rule, _WORDING_RULES)


def allowed_spans(norm: Normalised, allow_terms: Sequence[str]) -> list[tuple[int, int]]:
    """``[start, end)`` spans of the original text where an allowed term is written.

    Terms are matched like rule terms: normalised (case, width, look-alikes, accents), whole
    words where the script has word boundaries, anywhere in Chinese, Japanese and Thai.
    """
    spans: list[tuple[int, int]] = []
    text = norm.text
    for term in allow_terms:
        if not isinstance(term, str) or not term.strip():
            continue
        key = normalise_term(term.strip())
        if not key:
            continue
        bounded = key[0].isascii() and key[0].isalnum()
        bounded_end = key[-1].isascii() and key[-1].isalnum()
        start = text.find(key)
        while start >= 0:
            end = start + len(key)
            before_ok = not bounded or start == 0 or not text[start - 1].isalnum()
            after_ok = not bounded_end or end == len(text) or not text[end].isalnum()
            if before_ok and after_ok:
                spans.append(norm.to_original(start, end))
            start = text.find(key, start + 1)
    return spans


def _inside(hit: Hit, spans: list[tuple[int, int]]) -> bool:
    return hit.start < hit.end and any(lo <= hit.start and hit.end <= hi for lo, hi in spans)


def _drop_shadowed(findings: list[Finding]) -> list[Finding]:
    """Where a market/platform/user rule flags exactly the span a global rule flags, at the
    same or a higher severity, report only the more specific finding."""
    specific: dict[tuple[int, int], int] = {}
    for f in findings:
        if f.pack != "global" and f.start < f.end:
            key = (f.start, f.end)
            specific[key] = max(specific.get(key, -1), SEVERITY_ORDER[f.severity])
    if not specific:
        return findings
    return [
        f
        for f in findings
        if f.pack != "global" or specific.get((f.start, f.end), -1) < SEVERITY_ORDER[f.severity]
    ]


def _note(rule_id: str, message: Text, market: str, platform: str | None) -> Finding:
    return Finding(
        rule_id=rule_id,
        pack="tradewinds",
        market=market,
        platform=platform,
        severity="info",
        category="coverage",
        start=0,
        end=0,
        matched="",
        message=message,
        reference=COVERAGE_REFERENCE,
        suggested_fix=None,
    )


def build_ruleset(
    market: str, platform: str | None, *, extra_packs: Sequence[RulePack] = ()
) -> RuleSet:
    """Compile every rule that applies to a market/platform (plus the user's own packs)."""
    packs = builtin_packs()
    chosen, market_known, platform_known = packs_for(market, platform, packs)
    code = canonical_market(market)
    name = canonical_platform(platform)
    all_packs = [*chosen, *extra_packs]
    replaced = {rid for pack in all_packs for rule in pack.rules for rid in rule.replaces}
    compiled: list[CompiledRule] = []
    indexes: list[tuple[TermIndex, int]] = []
    for pack in all_packs:
        pack_rules, pack_index = compile_pack(pack)
        indexes.append((pack_index, len(compiled)))
        compiled.extend(pack_rules)
    skipped = frozenset(i for i, c in enumerate(compiled) if c.rule.id in replaced)
    notes = []
    if not market_known:
        notes.append(
            _note(
                "coverage.market-unknown",
                Text(
                    "No rule pack for market '%(market)s': only the global rules were applied.",
                    market=code,
                ),
                code,
                name,
            )
        )
    if not platform_known:
        notes.append(
            _note(
                "coverage.platform-unknown",
                Text(
                    "No rule pack for platform '%(platform)s': platform rules were not applied.",
                    platform=name,
                ),
                code,
                name,
            )
        )
    default_field = next(
        (p.default_field for p in chosen if p.scope == "platform" and p.default_field), None
    )
    return RuleSet(
        market=code,
        platform=name,
        rules=tuple(compiled),
        notes=tuple(notes),
        default_field=default_field,
        indexes=tuple(indexes),
        skipped=skipped,
    )


# by the pack's identity: the entry keeps the pack alive, so its id is not reused meanwhile
_PACKS: LRUCache[int, tuple[RulePack, list[CompiledRule], TermIndex]] = LRUCache(maxsize=512)
_PACKS_LOCK = threading.Lock()


def compile_pack(pack: RulePack) -> tuple[list[CompiledRule], TermIndex]:
    """Compile a pack's rules and its term automaton once (shared by every rule set)."""
    with _PACKS_LOCK:
        known = _PACKS.get(id(pack))
    if known is not None and known[0] is pack:
        return known[1], known[2]
    rules = [compile_rule(rule, pack_id=pack.id, pack_scope=pack.scope) for rule in pack.rules]
    index = TermIndex()
    for slot, rule in enumerate(rules):
        for language, term in rule.index_terms:
            index.add(slot, language, term, inflect=rule.inflect)
    index.build()
    with _PACKS_LOCK:
        _PACKS[id(pack)] = (pack, rules, index)
    return rules, index


def packs_key(packs: Sequence[RulePack]) -> str:
    if not packs:
        return ""
    digest = hashlib.sha256()
    for pack in packs:
        digest.update(pack.model_dump_json().encode())
    return digest.hexdigest()


def _ruleset_key(
    market: str, platform: str | None = None, *, extra_packs: Sequence[RulePack] = ()
) -> tuple[str, str | None, str]:
    return canonical_market(market), canonical_platform(platform), packs_key(extra_packs)


@cached(LRUCache(maxsize=256), key=_ruleset_key, lock=threading.Lock())
def get_ruleset(
    market: str, platform: str | None = None, *, extra_packs: Sequence[RulePack] = ()
) -> RuleSet:
    """Cached ``build_ruleset``."""
    return build_ruleset(market, platform, extra_packs=extra_packs)


def check_text(
    text: str,
    *,
    market: str,
    platform: str | None = None,
    field: str | None = None,
    sponsored: bool = False,
    extra_packs: Sequence[RulePack] = (),
    allow_terms: Sequence[str] = (),
) -> CheckResult:
    """Check one ad text; the verdict is ``block`` when any block-level rule fires.

    ``allow_terms`` are registered trademarks, brand and product names (e.g. a brand
    glossary's keep terms): wording rules do not fire on words that lie inside one of them,
    as SAMR's 2023 guideline on absolute terms allows for trademarks and product names.
    """
    ruleset = get_ruleset(market, platform, extra_packs=extra_packs)
    return ruleset.check(text, field=field, sponsored=sponsored, allow_terms=allow_terms)
