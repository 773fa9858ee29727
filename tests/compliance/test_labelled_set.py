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


def test_the_set_is_big_and_multilingual(labelled: list[dict]) -> None:
    assert len(labelled) >= 300
    languages = Counter(row["lang"] for row in labelled)
    for language in ["en", "de", "fr", "es", "zh", "ja", "ar", "id"]:
        assert languages[language] >= 20, language
    labels = Counter(row["label"] for row in labelled)
    assert labels["block"] >= 100 and labels["clean"] >= 100
    assert len({row["id"] for row in labelled}) == len(labelled)


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
