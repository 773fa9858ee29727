"""What the markets pages, API and CLI share (markets/service.py)."""

from __future__ import annotations

from tradewinds.markets.service import normalize_country, parse_duty_rates, source_parts


def test_a_sources_citation_and_url_are_told_apart() -> None:
    assert source_parts("VAT Act § 15; Tax Board <https://www.emta.ee/en>") == (
        "VAT Act § 15; Tax Board",
        "https://www.emta.ee/en",
    )
    assert source_parts("eu-vat-rates-data 2026-09-29") == ("eu-vat-rates-data 2026-09-29", None)


def test_country_codes_and_duty_rates() -> None:
    assert normalize_country(" uk ") == "GB" and normalize_country("de") == "DE"
    assert {k: str(v) for k, v in parse_duty_rates(["61=12", "9=2.7"]).items()} == {
        "61": "12",
        "09": "2.7",
    }
