"""The engine against the labelled ad set (tests/compliance/data/labelled_ads.jsonl).

Each line is an ad text written from the laws and policies the rule packs cite, labelled
``block`` (a block-level violation) or ``clean`` (copy that should pass), with the market,
platform, field and sponsored flag it is published with.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from tradewinds.compliance.batch import check_record

DATA = Path(__file__).parent / "data" / "labelled_ads.jsonl"


@pytest.fixture(scope="module")
def labelled() -> list[dict]:
    return [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line]


CONTENT_LANGUAGES = [
    "en", "de", "fr", "es", "it", "pt", "nl", "pl", "ja", "ko", "zh", "ar", "id", "ms", "th", "vi"
]  # fmt: skip


def test_the_set_is_big_and_multilingual(labelled: list[dict]) -> None:
    assert len(labelled) >= 1000
    languages = Counter(row["lang"] for row in labelled)
    pairs = Counter((row["lang"], row["label"]) for row in labelled)
    for language in CONTENT_LANGUAGES:
        assert languages[language] >= 15, language
        assert pairs[language, "block"] >= 5 and pairs[language, "clean"] >= 5, language
    labels = Counter(row["label"] for row in labelled)
    assert labels["block"] >= 300 and labels["clean"] >= 300
    assert len({row["id"] for row in labelled}) == len(labelled)
    assert all(row["basis"].strip() for row in labelled)


def test_the_set_covers_disguises_emoji_and_exemptions(labelled: list[dict]) -> None:
    texts = [row["text"] for row in labelled]
    assert sum("\u200b" in t or "\u200d" in t for t in texts) >= 3  # zero-width characters
    assert sum(any("\uff01" <= c <= "\uff5e" for c in t) for t in texts) >= 3  # full width
    emoji_rows = [r for r in labelled if r["platform"] in {"tiktok", "google", "amazon"}]
    assert sum(any(ord(c) > 0x1F000 for c in r["text"]) for r in emoji_rows) >= 20
    assert sum("最佳" in t and "期" in t for t in texts) >= 3  # SAMR usage notes


def test_recall_and_false_alarms(labelled: list[dict]) -> None:
    block = [row for row in labelled if row["label"] == "block"]
    clean = [row for row in labelled if row["label"] == "clean"]
    missed = [row["id"] for row in block if check_record(row)["verdict"] != "block"]
    alarms = [row["id"] for row in clean if check_record(row)["verdict"] != "pass"]
    recall = 1 - len(missed) / len(block)
    false_alarm_rate = len(alarms) / len(clean)
    assert recall >= 0.95, missed
    assert false_alarm_rate <= 0.05, alarms


def test_recall_holds_in_every_language(labelled: list[dict]) -> None:
    by_language: dict[str, list[bool]] = {}
    for row in labelled:
        if row["label"] == "block":
            by_language.setdefault(row["lang"], []).append(check_record(row)["verdict"] == "block")
    for language, hits in by_language.items():
        assert sum(hits) / len(hits) >= 0.9, language


def test_a_held_out_set_not_used_for_tuning() -> None:
    """heldout_ads.jsonl was written after the rules and never used to change them."""
    path = Path(__file__).parent / "data" / "heldout_ads.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    assert {row["lang"] for row in rows} >= set(CONTENT_LANGUAGES)
    block = [row for row in rows if row["label"] == "block"]
    clean = [row for row in rows if row["label"] == "clean"]
    missed = [row["id"] for row in block if check_record(row)["verdict"] != "block"]
    alarms = [row["id"] for row in clean if check_record(row)["verdict"] != "pass"]
    assert len(missed) / len(block) <= 0.1, missed
    assert len(alarms) / len(clean) <= 0.1, alarms
