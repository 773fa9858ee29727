from __future__ import annotations

import json

from tradewinds.compliance.batch import check_lines


def test_one_output_per_input_in_order_with_ids() -> None:
    lines = [
        json.dumps({"id": "a", "text": "The cheapest sofas", "market": "UK"}),
        "",
        json.dumps(
            {
                "id": 7,
                "text": "Nice sofas",
                "market": "DE",
                "platform": "google",
                "field": "headline",
                "sponsored": False,
            }
        ),
        "not json",
        json.dumps({"id": "c", "text": "x"}),
        json.dumps({"id": "d", "text": 5, "market": "US"}),
    ]
    out = list(check_lines(lines))
    assert [o["id"] for o in out] == ["a", 7, None, "c", "d"]
    assert out[0]["verdict"] == "block" and out[0]["findings"][0]["span"] == [4, 12]
    assert out[1] == {"id": 7, "verdict": "pass", "findings": []}
    assert "invalid JSON" in out[2]["error"] and out[2]["line"] == 4
    assert "market" in out[3]["error"]
    assert "text" in out[4]["error"]


def test_defaults_from_the_command_line() -> None:
    line = json.dumps({"id": "a", "text": "FREE sofas"})
    (out,) = check_lines([line], default_market="US", default_platform="google")
    assert out["verdict"] == "block"


def test_sponsored_given_as_text() -> None:
    base = {"id": "a", "text": "Nice sofas", "market": "US"}
    lines = [json.dumps({**base, "sponsored": value}) for value in ["false", "true", 0, True]]
    assert [o["verdict"] for o in check_lines(lines)] == ["pass", "block", "pass", "block"]


def test_worker_processes_give_the_same_output_in_order() -> None:
    from tradewinds.compliance.batch import check_lines_json

    texts = ["The cheapest sofas", "Nice sofas", "最佳咖啡", "not json", "FREE sofas!!"]
    lines = [
        t
        if t == "not json"
        else json.dumps(
            {"id": i, "text": t, "market": "US", "platform": "google"}, ensure_ascii=False
        )
        for i, t in enumerate(texts * 30)
    ]
    one = list(check_lines_json(lines, workers=1))
    two = list(check_lines_json(lines, workers=2, chunk_size=7))
    assert one == two and len(two) == len(lines)
    errors = [json.loads(x) for x in two if "error" in json.loads(x)]
    assert [e["line"] for e in errors] == [4 + 5 * k for k in range(30)]


def test_allow_terms_in_a_line_exempt_a_trademark() -> None:
    base = {"text": "最佳拍档保温杯", "market": "CN"}
    lines = [
        json.dumps({**base, "id": "plain"}),
        json.dumps({**base, "id": "brand", "allow_terms": ["最佳拍档"]}),
        json.dumps({**base, "id": "bad", "allow_terms": "最佳拍档"}),
    ]
    plain, brand, bad = check_lines(lines)
    assert (plain["verdict"], brand["verdict"]) == ("block", "pass")
    assert "allow_terms" in bad["error"]
