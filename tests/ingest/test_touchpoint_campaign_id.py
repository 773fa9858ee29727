"""Collected touches keep the ad-platform campaign id their landing URL carries."""

from __future__ import annotations

from tradewinds.ingest.ecommerce import touchpoint_row


def page(url: str) -> dict[str, object]:
    return {
        "messageId": "m1",
        "type": "page",
        "anonymousId": "a1",
        "timestamp": "2025-03-05T09:00:00Z",
        "context": {"page": {"url": url}},
    }


def test_valuetrack_meta_and_tiktok_ids_are_kept() -> None:
    google = touchpoint_row(
        page(
            "https://shop.example/?utm_source=google&utm_medium=cpc"
            "&utm_campaign=brand&utm_id=111&gclid=g"
        )
    )
    assert google is not None and google["campaign_id"] == "111"
    assert google["campaign"] == "brand"
    auto = touchpoint_row(page("https://shop.example/?gclid=g&gad_campaignid=222"))
    assert auto is not None and auto["campaign_id"] == "222"
    meta = touchpoint_row(page("https://shop.example/?fbclid=f&campaign_id=120208"))
    assert meta is not None and meta["campaign_id"] == "120208"
    tiktok = touchpoint_row(page("https://shop.example/?ttclid=t&cid=1789"))
    assert tiktok is not None and tiktok["campaign_id"] == "1789"


def test_unfilled_placeholders_are_not_ids() -> None:
    row = touchpoint_row(
        page(
            "https://shop.example/?utm_source=tiktok&utm_medium=cpc&utm_id=__CID__&utm_campaign=ugc"
        )
    )
    assert row is not None and row["campaign_id"] is None
