"""The checker's own sentences are Texts: English as before in JSON and str(), translatable
where people read them."""

from __future__ import annotations

import json

import pytest

from tradewinds.compliance import user_packs
from tradewinds.compliance.batch import check_lines
from tradewinds.compliance.engine import check_text
from tradewinds.compliance.loader import PackError, PackProblem, _reason, parse_pack
from tradewinds.errors import InvalidInput
from tradewinds.i18n_markers import Text, translations

from .samples import BRAND_PACK


def test_the_coverage_notes_read_as_before_and_translate() -> None:
    result = check_text("Sofas", market="nz", platform="snapchat")
    notes = {f.rule_id: f for f in result.findings if f.pack == "tradewinds"}
    market = notes["coverage.market-unknown"].message
    assert isinstance(market, Text)
    assert market == "No rule pack for market 'NZ': only the global rules were applied."
    assert json.loads(json.dumps(result.to_dict()))["findings"][0]["message"] == market
    german = translations("de").gettext(market.msgid) % market.values
    assert german.startswith("Kein Regelpaket für den Markt 'NZ'")
    platform = notes["coverage.platform-unknown"].message
    assert platform == "No rule pack for platform 'snapchat': platform rules were not applied."


@pytest.mark.parametrize(
    ("text", "reason", "msgid"),
    [
        ("id: x\nid: y\n", "duplicate key 'id'", "duplicate key '%(key)s'"),
        ("", "the pack is empty", "the pack is empty"),
        (
            BRAND_PACK.replace("severity: block", "severity: loud"),
            "Input should be 'block', 'warn' or 'info'",
            "Input should be %(expected)s",
        ),
        (
            BRAND_PACK.replace("{en: [globex]}", "{xx: [globex]}"),
            "Value error, unknown language code(s): xx",
            "Value error, %(reason)s",
        ),
        (BRAND_PACK.replace("title: Acme brand terms\n", ""), "Field required", "Field required"),
    ],
)
def test_a_bad_packs_reasons_are_texts(text: str, reason: str, msgid: str) -> None:
    with pytest.raises(PackError) as info:
        parse_pack(text)
    problem = info.value.problems[0]
    assert problem.reason == reason
    assert isinstance(problem.reason, Text) and problem.reason.msgid == msgid


def test_an_unknown_pydantic_wording_is_kept_as_pydantic_writes_it() -> None:
    error = {"type": "missing", "msg": "Field required in a newer pydantic", "ctx": {}}
    assert not isinstance(_reason(error), Text)
    assert _reason(error) == "Field required in a newer pydantic"
    odd = {"type": "float_parsing", "msg": "Input should be a valid number", "ctx": {}}
    assert _reason(odd) == "Input should be a valid number"


def test_a_problem_reads_as_before() -> None:
    assert str(PackProblem(7, "rules.0.severity", "bad")) == "line 7 (rules.0.severity): bad"
    assert str(PackProblem(None, "id", "bad")) == "pack (id): bad"
    assert str(PackProblem(3, "", "bad")) == "line 3: bad"
    assert str(PackProblem(None, "", "bad")) == "pack: bad"


def test_an_invalid_own_pack_is_one_sentence_per_problem() -> None:
    bad = BRAND_PACK.replace("severity: block", "severity: loud").replace(
        "reference: Acme brand guide 2.1", "reference: x"
    )
    with pytest.raises(InvalidInput) as info:
        user_packs.validate_user_pack(bad)
    message = info.value.message
    assert isinstance(message, Text) and message.msgid == user_packs.INVALID_PACK
    assert message == (
        "The rule pack is not valid: line 7 (rules.0.severity): Input should be 'block', "
        "'warn' or 'info'; line 9 (rules.0.reference): String should have at least 3 characters"
    )
    reasons = [p["reason"] for p in info.value.details["problems"]]
    assert isinstance(reasons[0], Text) and not isinstance(reasons[1], Text)


def test_batch_errors_are_english_in_the_json_lines() -> None:
    out = list(check_lines(['{"id": "1", "text": 3, "market": "US"}', "{not json"]))
    assert out[0]["error"] == "'text' must be a string" and isinstance(out[0]["error"], Text)
    assert json.loads(json.dumps(out[1]))["error"].startswith("invalid JSON: ")
