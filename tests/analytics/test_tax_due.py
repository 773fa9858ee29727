"""Tax in a workspace's sales: per market, net revenue after tax, registration thresholds
(on DuckDB and PostgreSQL), checked against figures worked out by hand."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal as D

import pytest

from tests.analytics.fixtures import order, rate
from tradewinds.analytics.filters import ReportScope
from tradewinds.analytics.tax_due import alpha2, tax_report
from tradewinds.markets.thresholds import thresholds


def _taxed(oid: str, day: str, total: str, tax: str | None, **kw) -> dict:
    row = order(oid, f"c-{oid}", day, total, **kw)
    row["tax"] = D(tax) if tax is not None else None
    return row


def _shop(wh) -> None:
    wh.load(
        "orders",
        [
            # Germany, 19%: 119 EUR with no tax recorded → 19 EUR of VAT
            _taxed("de1", "2025-06-10", "119", None, currency="EUR", country="DE"),
            # Estonia across its change: 122 at 22% (22 tax), 124 at 24% (24 tax)
            _taxed("ee1", "2025-06-30", "122", None, currency="EUR", country="EE"),
            _taxed("ee2", "2025-07-01", "124", None, currency="EUR", country="Estonia"),
            # a recorded tax wins, less its refunded share: 20 × (120 − 60) / 120 = 10
            _taxed("fr1", "2025-06-15", "120", "20", currency="EUR", country="FR", refunded="60"),
            # the United States: no VAT on record → not covered
            _taxed("us1", "2025-06-20", "100", None, currency="EUR", country="US"),
            # cancelled: not an order
            {
                **_taxed("de2", "2025-06-11", "999", None, currency="EUR", country="DE"),
                "status": "cancelled",
            },
        ],
    )
    days = [date(2025, 6, 1) + timedelta(days=n) for n in range(61)]
    wh.load("fx_rates", [rate(day.isoformat(), "GBP", "0.5") for day in days])


def _by_country(report):
    return {m.country: m for m in report.markets}


@pytest.mark.parametrize("currency", ["EUR", "GBP"])
def test_tax_per_market_and_net_revenue_after_tax(warehouse, currency) -> None:
    _shop(warehouse)
    scope = ReportScope(start=date(2025, 6, 1), end=date(2025, 7, 31))
    report = tax_report(warehouse, scope=scope, currency=currency)
    k = D(1) if currency == "EUR" else D("0.5")
    m = _by_country(report)
    assert set(m) == {"DE", "EE", "FR", "US"}
    assert m["DE"].orders == 1 and m["DE"].tax_estimated == pytest.approx(19 * k)
    assert m["DE"].rates == {D(19)}
    assert m["EE"].orders == 2 and m["EE"].tax_estimated == pytest.approx((22 + 24) * k)
    assert m["EE"].rates == {D(22), D(24)}
    assert m["FR"].tax_recorded == pytest.approx(10 * k) and m["FR"].tax_estimated == 0
    assert m["US"].tax == 0 and m["US"].uncovered == pytest.approx(100 * k)
    # net revenue is the Overview's: revenue − refunds (FR refunded 60)
    assert m["FR"].net_revenue == pytest.approx(float(60 * k))
    assert m["DE"].net_after_tax == pytest.approx(float(100 * k))
    assert report.tax == pytest.approx((19 + 46 + 10) * k)
    net = float((119 + 122 + 124 + 60 + 100) * k)
    assert report.net_revenue == pytest.approx(net)
    assert report.net_after_tax == pytest.approx(net - float(75 * k))


def test_thresholds_count_cross_border_sales_in_their_window(warehouse) -> None:
    _shop(warehouse)
    scope = ReportScope(start=date(2025, 6, 1), end=date(2025, 7, 31))
    report = tax_report(warehouse, scope=scope, currency="EUR", home="DE")
    oss = next(t for t in report.thresholds if t.threshold.country == "EU")
    # EU sales outside the home country, kept amounts: EE 122 + 124, FR 60 (DE is home)
    assert oss.sales == D("306.00") and oss.level == "below"
    assert oss.window_start == date(2025, 1, 1) and oss.window_end == date(2025, 7, 31)
    gb = next(t for t in report.thresholds if t.threshold.country == "GB")
    assert gb.sales == 0 and gb.level == "below"  # no UK sale yet: nothing to register


def test_oss_alerts_when_nearly_and_when_reached(warehouse) -> None:
    warehouse.load(
        "orders",
        [
            _taxed(f"fr{n}", "2025-03-01", "4100", None, currency="EUR", country="FR")
            for n in (1, 2)
        ],
    )
    scope = ReportScope(start=date(2025, 3, 1), end=date(2025, 3, 31))
    report = tax_report(warehouse, scope=scope, currency="EUR")
    oss = next(t for t in report.alerts if t.threshold.country == "EU")
    assert oss.level == "nearly" and oss.share == pytest.approx(0.82)
    warehouse.load(
        "orders", [_taxed("fr3", "2025-03-02", "2000", None, currency="EUR", country="FR")]
    )
    again = tax_report(warehouse, scope=scope, currency="EUR")
    assert next(t for t in again.alerts if t.threshold.country == "EU").level == "reached"
    # a new calendar year starts from zero
    later = tax_report(
        warehouse, scope=ReportScope(start=date(2026, 1, 1), end=date(2026, 1, 31)), currency="EUR"
    )
    assert next(t for t in later.thresholds if t.threshold.country == "EU").sales == 0


def test_country_spellings_and_the_threshold_file() -> None:
    assert alpha2("gb") == alpha2("UK") == alpha2("United Kingdom") == "GB"
    assert alpha2("Estonia") == "EE" and alpha2("Unspecified") is None and alpha2(None) is None
    # the UCI Online Retail export's spellings
    assert alpha2("EIRE") == "IE" and alpha2("RSA") == "ZA" and alpha2("Czech Republic") == "CZ"
    assert alpha2("Channel Islands") is None and alpha2("European Community") is None
    listed = {t.country for t in thresholds()}
    assert {"EU", "AU", "NZ", "NO", "SG", "CH", "GB"} <= listed
    assert all(t.source.startswith("https://") for t in thresholds())


def test_each_orders_tax_adds_up_to_the_markets(warehouse) -> None:
    from tradewinds.analytics.tax_due import order_taxes

    _shop(warehouse)
    scope = ReportScope(start=date(2025, 6, 1), end=date(2025, 7, 31))
    orders = {o.order_id: o for o in order_taxes(warehouse, scope)}
    assert set(orders) == {"de1", "ee1", "ee2", "fr1", "us1"}  # not the cancelled one
    assert orders["de1"].basis == "estimated" and orders["de1"].tax == pytest.approx(19)
    assert orders["ee2"].rate == 24 and orders["ee2"].tax == pytest.approx(24)
    assert orders["fr1"].basis == "recorded" and orders["fr1"].tax == pytest.approx(10)
    assert orders["us1"].basis == "not_covered" and orders["us1"].tax is None
    by_market = tax_report(warehouse, scope=scope, currency="EUR")
    assert sum(o.tax or 0 for o in orders.values()) == pytest.approx(by_market.tax)
    only = order_taxes(warehouse, scope, country="Estonia")
    assert [o.order_id for o in only] == ["ee2", "ee1"]  # the newest first
    assert len(order_taxes(warehouse, scope, limit=2)) == 2
