"""Generate copy: ask a backend for candidates, fit each to its field, check it with the
compliance engine, repair what can be repaired and drop the rest with the reason."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Protocol

import regex

from tradewinds.compliance.autofix import apply_fixes
from tradewinds.compliance.engine import CheckResult, check_text, verdict_of
from tradewinds.compliance.engine import Finding as CheckFinding
from tradewinds.compliance.models import RulePack
from tradewinds.content import fit, markets
from tradewinds.content.models import (
    Dropped,
    Finding,
    GenerationRequest,
    GenerationResult,
    Glossary,
    Product,
    Variant,
)
from tradewinds.content.templates import TemplateBackend, language_pack
from tradewinds.i18n_markers import N_

MAX_ROUNDS = 3  # the first ask plus at most two asks for more
_SHOWN = ("warn", "info")
_FIXED = ("block", "warn")  # findings whose safe fix is applied
MAX_REPAIRS = 6


class CopyBackend(Protocol):
    """Something that writes candidate copy (the templates, an LLM)."""

    def candidates(
        self,
        product: Product,
        market: str,
        language: str,
        platform: str,
        field: str,
        n: int,
        tone: str,
        glossary: Glossary,
        reason: str | None = None,
    ) -> list[str]: ...


class GenerationError(ValueError):
    """A request the studio cannot serve (unknown market, platform or field)."""


def _finding(f: CheckFinding) -> Finding:
    return Finding(
        rule_id=f.rule_id,
        severity=f.severity,
        category=f.category,
        message=" ".join(f.message.split()),
        matched=f.matched,
        start=f.start,
        end=f.end,
        suggested_fix=f.suggested_fix,
    )


def _blocks(result: CheckResult) -> list[CheckFinding]:
    return [f for f in result.findings if f.severity == "block"]


def _banned_pattern(banned: Sequence[str]) -> regex.Pattern[str] | None:
    words = [w for w in banned if w.strip()]
    if not words:
        return None
    alternatives = "|".join(regex.escape(w.strip()) for w in sorted(words, key=len, reverse=True))
    # whole words in spaced scripts; anywhere for a term written in an unspaced script
    return regex.compile(
        rf"(?:(?<![\p{{L}}\p{{N}}])(?:{alternatives})(?![\p{{L}}\p{{N}}]))"
        rf"|(?:{alternatives})(?=[\p{{Han}}\p{{Hiragana}}\p{{Katakana}}\p{{Thai}}])"
        rf"|(?<=[\p{{Han}}\p{{Hiragana}}\p{{Katakana}}\p{{Thai}}])(?:{alternatives})",
        regex.IGNORECASE | regex.V1,
    )


@dataclass
class _Context:
    product: Product
    market: str
    language: str
    limit: fit.FieldLimit
    glossary: Glossary
    banned: regex.Pattern[str] | None
    extra_packs: Sequence[RulePack]
    backend_name: str
    keep: list[str]  # the glossary's keep terms (and their path-slug forms on a path)

    def dropped(self, text: str, reason: str, result: CheckResult | None = None) -> Dropped:
        findings = [_finding(f) for f in result.findings] if result else []
        verdict = result.verdict if result else "pass"
        return Dropped(
            product_id=self.product.id,
            market=self.market,
            language=self.language,
            platform=self.limit.platform,
            field=self.limit.field,
            text=text,
            length=self.limit.measure(text),
            limit=self.limit.limit,
            verdict=verdict,  # type: ignore[arg-type]
            findings=findings,
            reason=reason,
            unit=self.limit.unit,
            direction=markets.direction(self.language),  # type: ignore[arg-type]
        )


def _remove_banned(text: str, ctx: _Context) -> tuple[str, list[str], bool]:
    if ctx.banned is None:
        return text, [], True
    spans = fit.protected_spans(text, ctx.keep)
    removed: list[str] = []
    ok = True
    out: list[str] = []
    last = 0
    for match in ctx.banned.finditer(text):
        if fit.overlaps_protected(match.start(), match.end(), spans):
            ok = False
            continue
        out.append(text[last : match.start()])
        removed.append(match.group())
        last = match.end()
    out.append(text[last:])
    return fit.tidy("".join(out)), removed, ok


def _shorten(text: str, ctx: _Context, repairs: list[str]) -> str | None:
    limit = ctx.limit
    if limit.fits(text):
        return text
    keep = ctx.keep
    pack = language_pack(ctx.language)
    shorter = fit.abbreviate(text, pack.abbreviations, keep)
    if shorter != text:
        repairs.append(N_("abbreviated"))
        text = shorter
        if limit.fits(text):
            return text
    shorter = fit.drop_tail_segments(text, limit, keep)
    if shorter != text:
        repairs.append(N_("dropped the last clause"))
        text = shorter
        if limit.fits(text):
            return text
    spaced = ctx.language not in markets.UNSPACED_LANGUAGES
    cut = fit.cut(
        text, limit, keep, spaced=spaced, path=limit.field == "path", language=ctx.language
    )
    if cut is None:
        return None
    repairs.append(N_("cut at a word boundary") if spaced else N_("cut at a character boundary"))
    return cut


# A keep term is the brand's own spelling, which the platforms allow ("brand spellings
# are fine"): a capitalisation finding inside one is not held against the copy.
_BRAND_SPELLING = frozenset({"capitalization"})


def _check(text: str, ctx: _Context) -> CheckResult:
    result = check_text(
        text,
        market=ctx.market,
        platform=ctx.limit.platform,
        field=ctx.limit.field,
        extra_packs=ctx.extra_packs,
    )
    if not ctx.keep or not any(f.category in _BRAND_SPELLING for f in result.findings):
        return result
    spans = fit.protected_spans(text, ctx.keep)
    findings = tuple(
        f
        for f in result.findings
        if not (
            f.category in _BRAND_SPELLING
            and any(start <= f.start and f.end <= end for start, end in spans)
        )
    )
    return replace(result, findings=findings, verdict=verdict_of(findings))


def fit_candidate(raw: str, ctx: _Context) -> Variant | Dropped:
    """Measure, shorten, fix and check one candidate."""
    limit = ctx.limit
    keep = ctx.keep
    repairs: list[str] = []
    text = fit.tidy(raw)
    if limit.field == "path":
        text = fit.slug(text)
    text, removed, ok = _remove_banned(text, ctx)
    if not ok:
        return ctx.dropped(text, "a banned word stands inside a glossary term kept as written")
    if removed:
        # the page translates the part before ": " (web/routes/content.py)
        repairs.append(N_("removed banned words") + ": " + ", ".join(sorted(set(removed))))
    cleaned, ok = fit.remove_forbidden(text, limit, keep)
    if not ok:
        return ctx.dropped(text, f"a glossary term holds a character {limit.platform} forbids")
    if cleaned != text:
        repairs.append(N_("removed characters the field forbids"))
        text = fit.tidy(cleaned)
    wanted = fit.kept_terms(text, keep)
    if not text:
        return ctx.dropped(raw, "nothing left after removing forbidden characters")
    # shorten what is too long, then check; safe fixes and shortening until it is stable
    # (a text that cannot be shortened yet may still fit once a fix took words out)
    if not limit.fits(text):
        shortened = _shorten(text, ctx, repairs)
        if shortened is not None:
            text = shortened
    result = _check(text, ctx)
    for _ in range(MAX_REPAIRS):
        spans = fit.protected_spans(text, keep)
        safe = [
            f
            for f in result.findings
            if f.severity in _FIXED
            and f.suggested_fix is not None
            and not fit.overlaps_protected(f.start, f.end, spans)
        ]
        fixed, applied = apply_fixes(text, safe) if safe else (text, [])
        if applied:
            fixed = fit.tidy(fixed)
            if limit.field == "path":
                fixed = fit.slug(fixed)
            if fixed != text:
                repairs.extend(dict.fromkeys(f"fixed {f.rule_id}" for f in applied))
                text = fixed
                result = _check(text, ctx)
                continue
        if not limit.fits(text):
            shortened = _shorten(text, ctx, repairs)
            if shortened is None:
                return ctx.dropped(
                    text,
                    f"too long ({limit.measure(text)} > {limit.limit} {limit.unit}) and no "
                    "shorter form keeps the glossary terms",
                    result,
                )
            text = shortened
            result = _check(text, ctx)
            continue
        break
    blocks = _blocks(result)
    if blocks:
        reasons = "; ".join(dict.fromkeys(f"{f.rule_id}: {f.matched!r}" for f in blocks))
        return ctx.dropped(text, f"blocked by compliance ({reasons})", result)
    if not text or not limit.fits(text):
        return ctx.dropped(text, f"does not fit {limit.minimum}-{limit.limit} {limit.unit}", result)
    if fit.kept_terms(text, keep) != wanted:
        return ctx.dropped(text, "a glossary term would not survive the repair", result)
    if limit.forbidden is not None and fit.remove_forbidden(text, limit, keep)[0] != text:
        return ctx.dropped(text, "a fix brought back a character the field forbids", result)
    if ctx.banned is not None and ctx.banned.search(text):
        return ctx.dropped(text, "a banned word came back in a fix", result)
    return Variant(
        product_id=ctx.product.id,
        market=ctx.market,
        language=ctx.language,
        platform=limit.platform,
        field=limit.field,
        text=text,
        length=limit.measure(text),
        limit=limit.limit,
        unit=limit.unit,
        verdict=result.verdict,  # type: ignore[arg-type]
        findings=[_finding(f) for f in result.findings if f.severity in _SHOWN],
        backend="template" if ctx.backend_name == "template" else "llm",
        repairs=repairs,
        direction=markets.direction(ctx.language),  # type: ignore[arg-type]
    )


def _fixed_value(value: str, ctx: _Context) -> str:
    result = _check(value, ctx)
    spans = fit.protected_spans(value, ctx.keep)
    safe = [
        f
        for f in result.findings
        if f.severity in _FIXED
        and f.suggested_fix is not None
        and not fit.overlaps_protected(f.start, f.end, spans)
    ]
    if not safe:
        return value
    fixed, _ = apply_fixes(value, safe)
    return fit.tidy(fixed) or value


def _prepare(product: Product, ctx: _Context) -> Product:
    """The product with the safe compliance fixes already made to its words (``SALE`` ->
    ``Sale``), so each candidate written from it needs no fixing of its own."""
    changes: dict[str, object] = {"title": _fixed_value(product.title, ctx)}
    if product.category:
        changes["category"] = _fixed_value(product.category, ctx)
    if product.attributes:
        changes["attributes"] = {k: _fixed_value(v, ctx) for k, v in product.attributes.items()}
    return product.model_copy(update=changes)


def _reason(dropped: list[Dropped]) -> str:
    reasons = list(dict.fromkeys(d.reason for d in dropped))[:5]
    return "earlier candidates were dropped: " + " | ".join(reasons)


def generate_one(
    product: Product,
    market: str,
    field: str,
    request: GenerationRequest,
    backend: CopyBackend,
    *,
    extra_packs: Sequence[RulePack] = (),
) -> tuple[list[Variant], list[Dropped]]:
    """Up to ``request.n`` variants of one product × market × field."""
    from tradewinds.compliance.registry import canonical_market

    code = canonical_market(market)
    try:
        language = markets.language_for(code, request.languages)
        limit = fit.field_limit(request.platform, field)
    except (markets.UnknownMarket, fit.UnknownField) as exc:
        raise GenerationError(str(exc)) from exc
    ctx = _Context(
        product=product,
        market=code,
        language=language,
        limit=limit,
        glossary=request.glossary,
        banned=_banned_pattern(request.glossary.banned),
        extra_packs=extra_packs,
        backend_name=getattr(backend, "name", "template"),
        keep=[
            *request.glossary.keep,
            *(fit.slug(t) for t in request.glossary.keep if limit.field == "path"),
        ],
    )
    prepared = _prepare(product, ctx)
    variants: list[Variant] = []
    dropped: list[Dropped] = []
    seen_raw: set[str] = set()
    seen_text: set[str] = set()
    ask = request.n
    reason: str | None = None
    for _ in range(MAX_ROUNDS):
        raws = backend.candidates(
            prepared,
            code,
            language,
            limit.platform,
            limit.field,
            ask,
            request.tone,
            request.glossary,
            reason,
        )
        fresh = [r for r in raws if isinstance(r, str) and r not in seen_raw]
        if not fresh:
            break
        for raw in fresh:
            seen_raw.add(raw)
            outcome = fit_candidate(raw, ctx)
            if isinstance(outcome, Variant):
                if outcome.text in seen_text:
                    continue
                seen_text.add(outcome.text)
                if len(variants) < request.n:
                    variants.append(outcome)
            else:
                dropped.append(outcome)
        if len(variants) >= request.n:
            break
        ask = ask + max(request.n - len(variants), 1) * 2
        reason = _reason(dropped) if dropped else None
    return variants, dropped


def generate(
    request: GenerationRequest,
    *,
    backend: CopyBackend | None = None,
    extra_packs: Sequence[RulePack] = (),
) -> GenerationResult:
    """Variants for every product × market × field of the request (template backend by
    default), each fitted to its field and checked; the rest dropped with the reason."""
    if backend is None:
        if request.backend == "llm":
            raise GenerationError(
                "the request asks for the LLM backend: configure one for the workspace "
                "(the template backend needs no configuration)"
            )
        backend = TemplateBackend(
            today=request.today or date.today(), calendar_days=request.calendar_days
        )
    for market in request.markets:  # fail before any work on a bad market or field
        try:
            markets.language_for(market, request.languages)
        except markets.UnknownMarket as exc:
            raise GenerationError(str(exc)) from exc
    for field in request.fields:
        try:
            fit.field_limit(request.platform, field)
        except fit.UnknownField as exc:
            raise GenerationError(str(exc)) from exc
    result = GenerationResult()
    for product in request.products:
        for market in request.markets:
            for field in request.fields:
                variants, dropped = generate_one(
                    product, market, field, request, backend, extra_packs=extra_packs
                )
                result.variants.extend(variants)
                result.dropped.extend(dropped)
    return result
