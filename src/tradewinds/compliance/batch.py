"""Check many ads given as JSON lines.

Each line: ``{"id", "text", "market", "platform", "field", "sponsored"}``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from tradewinds.compliance.engine import check_text
from tradewinds.compliance.models import RulePack


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
        return {"id": None, "error": "each line must be a JSON object"}
    ad_id = record.get("id")
    text = record.get("text")
    market = record.get("market") or default_market
    if not isinstance(text, str):
        return {"id": ad_id, "error": "'text' must be a string"}
    if not isinstance(market, str) or not market.strip():
        return {"id": ad_id, "error": "'market' is required (in the line or with --market)"}
    platform = record.get("platform") or default_platform
    field = record.get("field") or None
    sponsored = _truthy(record.get("sponsored"))
    if platform is not None and not isinstance(platform, str):
        return {"id": ad_id, "error": "'platform' must be a string"}
    if field is not None and not isinstance(field, str):
        return {"id": ad_id, "error": "'field' must be a string"}
    result = check_text(
        text, market=market, platform=platform, field=field, sponsored=sponsored,
        extra_packs=extra_packs,
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
            yield {"id": None, "line": number, "error": f"invalid JSON: {exc.msg}"}
            continue
        yield check_record(
            record, default_market=default_market, default_platform=default_platform,
            extra_packs=extra_packs,
        )
