"""Classifying order lines: the rules file, the pure classifier, Online Retail's codes."""

from __future__ import annotations

import csv
import gzip
import re
from collections import Counter
from pathlib import Path

import pyarrow as pa
import pytest
from pydantic import ValidationError

from tradewinds.ingest.line_kinds import LineRules, classify, rules_for

#: every Online Retail stock code that is not a product, read off the data (the codes
#: that do not start with five digits, with their descriptions)
NOT_PRODUCTS = {
    "POST": "postage",
    "DOT": "postage",
    "C2": "postage",
    "D": "discount",
    "M": "adjustment",
    "m": "adjustment",
    "B": "adjustment",
    "S": "adjustment",
    "PADS": "adjustment",
    "BANK CHARGES": "fee",
    "AMAZONFEE": "fee",
    "CRUK": "fee",
    "gift_0001_10": "voucher",
    "gift_0001_20": "voucher",
    "gift_0001_30": "voucher",
    "gift_0001_40": "voucher",
    "gift_0001_50": "voucher",
}


def _kinds(codes: list[str], storefront: str = "online_retail") -> list[str]:
    return classify(pa.array(codes, pa.string()), rules_for(storefront)).to_pylist()


def test_every_online_retail_code_gets_its_kind(shared_data: Path) -> None:
    codes: Counter[str] = Counter()
    for part in sorted((shared_data / "online_retail").glob("online_retail_20*.csv.gz")):
        with gzip.open(part, "rt", encoding="utf-8") as fh:
            codes.update(row["StockCode"] for row in csv.DictReader(fh))
    assert sum(codes.values()) == 541_909
    names = sorted(codes)
    got = dict(zip(names, _kinds(names), strict=True))
    not_products = {c: k for c, k in got.items() if k != "product"}
    assert not_products == NOT_PRODUCTS
    # the dotcom shop's own items (DCGS…) are goods, as are all five-digit codes
    assert all(got[c] == "product" for c in names if c.startswith("DCGS"))
    assert all(got[c] == "product" for c in names if re.match(r"\d{5}", c))
    assert codes["POST"] == 1256 and codes["M"] == 571  # what the lists were read from


def test_codes_ignore_case_and_unknown_storefronts_sell_products() -> None:
    assert _kinds(["post", "Dot", "GIFT_0001_20", "22633", None]) == [  # type: ignore[list-item]
        "postage",
        "postage",
        "voucher",
        "product",
        "product",
    ]
    assert _kinds(["POST", "D"], storefront="shopify") == ["product", "product"]
    assert rules_for("../online_retail") is None


def test_the_first_matching_rule_wins() -> None:
    rules = LineRules.model_validate(
        {
            "storefront": "x",
            "rules": [
                {"kind": "fee", "codes": ["FEE1"]},
                {"kind": "adjustment", "pattern": "FEE.*"},
            ],
        }
    )
    assert classify(pa.array(["FEE1", "FEE2", "SOCK"]), rules).to_pylist() == [
        "fee",
        "adjustment",
        "product",
    ]


@pytest.mark.parametrize(
    "rule",
    [
        {"kind": "product", "codes": ["X"]},  # rules name what is not a product
        {"kind": "shipping", "codes": ["X"]},  # not a kind
        {"kind": "fee"},  # matches nothing
        {"kind": "fee", "pattern": "("},  # not a pattern
        {"kind": "fee", "codes": ["X"], "colour": "red"},
    ],
)
def test_rules_that_cannot_be_meant_are_refused(rule: dict) -> None:
    with pytest.raises(ValidationError):
        LineRules.model_validate({"storefront": "x", "rules": [rule]})
