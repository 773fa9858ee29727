"""Check many ads given as JSON lines.

Each line: ``{"id", "text", "market", "platform", "field", "sponsored"}``. A line's
``error`` is a :class:`~tradewinds.i18n_markers.Text`: English in the JSON lines, translated
where a person reads it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from tradewinds.compliance.engine import check_text
from tradewinds.compliance.models import RulePack
from tradewinds.i18n_markers import Text


def _truthy(value: Any) -> bool:
    """JSON true, 1, or a string such as "true"/"yes" (a string "false" is not sponsored)."""
    if isinstance(value, str):
        return value.strip().lower() in {"true", "1", "yes", "y", "on"}
    return bool(value)


def check_record(
    record: Any,
    *,
    default_market: str | None = None,
    default_platform: str | None = None,
    extra_packs: Sequence[RulePack] = (),
) -> dict[str, Any]:
    """Check one decoded input record; problems with the record become an ``error`` entry."""
    if not isinstance(record, dict):
        return {"id": None, "error": Text("each line must be a JSON object")}
    ad_id = record.get("id")
    text = record.get("text")
    market = record.get("market") or default_market
    if not isinstance(text, str):
        return {"id": ad_id, "error": Text("'text' must be a string")}
    if not isinstance(market, str) or not market.strip():
        error = Text("'market' is required (in the line or with --market)")
        return {"id": ad_id, "error": error}
    platform = record.get("platform") or default_platform
    field = record.get("field") or None
    sponsored = _truthy(record.get("sponsored"))
    if platform is not None and not isinstance(platform, str):
        return {"id": ad_id, "error": Text("'platform' must be a string")}
    if field is not None and not isinstance(field, str):
        return {"id": ad_id, "error": Text("'field' must be a string")}
    allow = record.get("allow_terms") or []
    if not isinstance(allow, list) or not all(isinstance(t, str) for t in allow):
        return {"id": ad_id, "error": Text("'allow_terms' must be a list of strings")}
    result = check_text(
        text,
        market=market,
        platform=platform,
        field=field,
        sponsored=sponsored,
        extra_packs=extra_packs,
        allow_terms=allow,
    )
    return {
        "id": ad_id,
        "verdict": result.verdict,
        "findings": [finding.to_dict() for finding in result.findings],
    }


def check_lines(
    lines: Iterable[str],
    *,
    default_market: str | None = None,
    default_platform: str | None = None,
    extra_packs: Sequence[RulePack] = (),
) -> Iterator[dict[str, Any]]:
    """One output record per non-blank input line, in input order, with the same id."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            error = Text("invalid JSON: %(problem)s", problem=exc.msg)
            yield {"id": None, "line": number, "error": error}
            continue
        yield check_record(
            record,
            default_market=default_market,
            default_platform=default_platform,
            extra_packs=extra_packs,
        )


def _check_chunk(args: tuple[list[str], str | None, str | None, int]) -> list[str]:
    lines, market, platform, first_line = args
    out = []
    for record in check_lines(lines, default_market=market, default_platform=platform):
        if "line" in record:
            record["line"] += first_line - 1
        out.append(json.dumps(record, ensure_ascii=False))
    return out


def check_lines_json(
    lines: Sequence[str],
    *,
    default_market: str | None = None,
    default_platform: str | None = None,
    extra_packs: Sequence[RulePack] = (),
    workers: int = 1,
    chunk_size: int = 500,
) -> Iterator[str]:
    """Like ``check_lines`` but yields JSON text, optionally on several processes.

    With ``workers > 1`` (and no extra packs) the rule packs are compiled once, then the
    lines are checked in chunks by forked worker processes; output keeps the input order.
    """
    if workers <= 1 or extra_packs or len(lines) <= chunk_size or not _can_fork():
        for record in check_lines(
            lines,
            default_market=default_market,
            default_platform=default_platform,
            extra_packs=extra_packs,
        ):
            yield json.dumps(record, ensure_ascii=False)
        return
    import multiprocessing

    from tradewinds.compliance.engine import compile_pack
    from tradewinds.compliance.loader import builtin_packs

    for pack in builtin_packs().values():  # compiled before the fork, shared by the workers
        compile_pack(pack)
    chunks = [
        (list(lines[i : i + chunk_size]), default_market, default_platform, i + 1)
        for i in range(0, len(lines), chunk_size)
    ]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        for out in pool.imap(_check_chunk, chunks):
            yield from out


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()
