"""The messages of the detection rules added for generated copy are translated in every
catalog (the rule packs' messages are shown to sellers in their language)."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tradewinds.compliance.loader import builtin_packs

LOCALE = Path(__file__).resolve().parents[2] / "src" / "tradewinds" / "locale"
CATALOGS = ["zh_Hans", "zh_Hant", "ja", "ko", "de", "fr", "es", "pt_BR", "ar", "id", "vi", "th"]
RULES = [
    "claim.superiority.more-languages",
    "claim.superiority.ranking-more-languages",
    "claim.price.superlative-more-languages",
    "claim.health.disease-more-languages",
    "claim.guarantee.more-languages",
    "claim.health.weight-loss-more-languages",
    "brand-safety.profanity-more-languages",
    "google.editorial.symbol-substitution",
    "amazon.bullet.emoji",
]


def _messages() -> dict[str, str]:
    found = {rule.id: rule.message for pack in builtin_packs().values() for rule in pack.rules}
    return {rule_id: found[rule_id] for rule_id in RULES}


@pytest.mark.parametrize("code", CATALOGS)
def test_new_rule_messages_are_translated(code: str) -> None:
    with (LOCALE / code / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle)
    for rule_id, message in _messages().items():
        entry = catalog.get(message)
        assert entry is not None and entry.string and not entry.fuzzy, (code, rule_id)
        for example in ("fr3e", "sh!pping", "c@sino"):
            assert (example in message) == (example in entry.string), (code, rule_id)
