"""Matching touches to ad-platform campaigns: ids, mappings, names, click ids."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import pytest

from tradewinds.analytics.campaign_match import (
    TouchMapping,
    build_catalog,
    match_touches,
    normalise,
    suggest,
    url_campaign_id,
    url_campaign_ids,
)

SPEND = pd.DataFrame(
    {
        "date": ["2025-03-05"] * 5 + ["2025-03-06"],
        "platform": ["google", "google", "meta", "meta", "tiktok", "tiktok"],
        "campaign_id": ["111", "222", "333", "336", "444", "555"],
        "campaign_name": [
            "Brand search",
            "Shopping - gifts",
            "Prospecting EU",
            "Retargeting",
            "UGC video",
            "Spark ads",
        ],
    }
)


def touch(**fields: object) -> dict[str, object]:
    row: dict[str, object] = {
        c: None
        for c in (
            "source",
            "medium",
            "campaign",
            "gclid",
            "fbclid",
            "ttclid",
            "landing_url",
            "campaign_id",
        )
    }
    row["occurred_at"] = datetime(2025, 3, 5, 12)
    row.update(fields)
    return row


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("brand_search", "Brand search"),
        ("Shopping-Gifts", "Shopping - gifts"),
        ("CRÈME-brûlée", "creme brulee"),
        ("  Spring  Sale!! ", "spring sale"),
    ],
)
def test_names_compare_without_case_accents_or_punctuation(a: str, b: str) -> None:
    assert normalise(a) == normalise(b)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://shop.example/p?gclid=x&gad_campaignid=111", "111"),
        ("https://shop.example/?utm_id=222&utm_campaign=gifts", "222"),
        ("https://shop.example/?campaignid=123&campaign_id=999", "123"),
        ("https://shop.example/?campaign_id=120208", "120208"),
        ("https://shop.example/?cid=1789", "1789"),
        ("https://shop.example/?utm_id={campaignid}", None),
        ("https://shop.example/?utm_id=%7B%7Bcampaign.id%7D%7D", None),
        ("https://shop.example/?cid=__CID__", None),
        ("https://shop.example/", None),
        (None, None),
    ],
)
def test_campaign_ids_in_landing_urls(url: str | None, expected: str | None) -> None:
    assert url_campaign_id(url) == expected


def test_each_way_of_tagging_reaches_its_campaign() -> None:
    catalog = build_catalog(SPEND)
    touches = pd.DataFrame(
        [
            touch(gclid="g1", campaign="spring", landing_url="https://s/?utm_id=222&gclid=g1"),
            touch(source="google", medium="cpc", campaign="brand_search"),
            touch(source="google", medium="cpc", campaign="222"),
            touch(gclid="g2", landing_url="https://s/?gad_campaignid=111"),
            touch(campaign_id="333", fbclid="f1"),  # captured at collection time
            touch(ttclid="t1"),  # the only TikTok campaign with spend on 5 March
            touch(ttclid="t2", occurred_at=datetime(2025, 3, 7)),  # none that day
            touch(gclid="g3"),  # Google had two campaigns that day: platform only
            touch(fbclid="f2", campaign="prospecting"),
            touch(source="newsletter", medium="email", campaign="brand_search"),
        ]
    )
    got = match_touches(touches, catalog)
    assert list(got.campaign_id) == ["222", "111", "222", "111", "333", "444", "", "", "", ""]
    assert list(got.how) == [
        "url_id",
        "name",
        "url_id",
        "url_id",
        "url_id",
        "click_id",
        "",
        "",
        "",
        "",
    ]
    assert list(got.platform) == ["google"] * 4 + ["meta", "tiktok", "tiktok", "google", "meta", ""]


def test_the_sellers_mapping_beats_the_name_but_not_an_id() -> None:
    catalog = build_catalog(SPEND)
    touches = pd.DataFrame(
        [
            touch(fbclid="f", campaign="Prospecting"),
            touch(source="google", medium="cpc", campaign="Brand search"),
            touch(
                source="google",
                medium="cpc",
                campaign="brand search",
                landing_url="https://s/?utm_id=111",
            ),
        ]
    )
    mappings = [
        TouchMapping("meta", "prospecting", "333"),
        TouchMapping("google", "brand search", "222"),
    ]
    got = match_touches(touches, catalog, mappings)
    assert list(got.campaign_id) == ["333", "222", "111"]
    assert list(got.how) == ["mapping", "mapping", "url_id"]


def test_a_mapping_to_a_campaign_without_spend_is_ignored() -> None:
    got = match_touches(
        pd.DataFrame([touch(fbclid="f", campaign="x")]),
        build_catalog(SPEND),
        [TouchMapping("meta", "x", "999")],
    )
    assert list(got.campaign_id) == [""]


def test_suggestions_rank_the_likeliest_campaign_first() -> None:
    catalog = build_catalog(SPEND)
    ranked = suggest("brand", "google", catalog)
    assert [s.campaign.name for s in ranked][0] == "Brand search"
    assert ranked == sorted(ranked, key=lambda s: -s.score)
    gifts = suggest("gifts-shopping", "google", catalog)
    assert gifts[0].campaign.name == "Shopping - gifts"
    assert gifts[0].score > (gifts[1].score if len(gifts) > 1 else 0)
    assert {s.campaign.platform for s in suggest("ugc", "tiktok", catalog)} == {"tiktok"}
    assert suggest("zzzz-qqqq", "google", catalog) == []


def test_suggestions_on_genuine_google_ads_campaign_names(shared_data) -> None:
    import csv

    path = shared_data / "ad_exports" / "google_ads_advanced_bid_adjustment_report.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines()[2:]  # title, date range
    names = sorted({r["Campaign"] for r in csv.DictReader(lines) if r["Campaign"]})
    assert len(names) > 10
    spend = pd.DataFrame(
        {"date": "2025-05-18", "platform": "google", "campaign_id": names, "campaign_name": names}
    )
    catalog = build_catalog(spend)
    westover = suggest("general_san_antonio_westover", "google", catalog)
    assert westover[0].campaign.name == "PP_FIT_SRCH_Google_CON_GEN_General_SanAntonioWestover"
    assert westover[0].score > westover[1].score
    dallas = suggest("brand dallas", "google", catalog)
    assert dallas[0].campaign.name == "PP_FIT_SRCH_Google_CON_BRN_TermOnly_Dallas"
    # the same name in another spelling is no suggestion but a match
    got = match_touches(
        pd.DataFrame(
            [touch(source="google", medium="cpc", campaign="pp-fit-srch-google-con-gen-general-nv")]
        ),
        catalog,
    )
    assert list(got.how) == ["name"]


def test_the_column_reader_agrees_with_the_one_url_reader() -> None:
    urls = [
        "https://shop.example/p?gclid=x&gad_campaignid=111",
        "https://shop.example/?utm_id=222&utm_campaign=gifts",
        "https://shop.example/?campaignid=123&campaign_id=999",
        "https://shop.example/?CID=1789#top",
        "https://shop.example/?utm_id={campaignid}&cid=55",
        "https://shop.example/?utm_id=%7B%7Bcampaign.id%7D%7D",
        "https://shop.example/?cid=__CID__",
        "https://shop.example/",
        None,
    ]
    got = url_campaign_ids(pd.Series(urls, dtype=object))
    assert list(got) == [url_campaign_id(u) or "" for u in urls]
    assert list(got) == ["111", "222", "123", "1789", "55", "", "", "", ""]
