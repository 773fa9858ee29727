"""Tax in the workspace's sales: per market and period, net revenue after tax, and how
close the seller is to a registration threshold.

* **Net revenue** per country is the Overview's figure (``analytics``: revenue − refunds +
  adjustments, in the reporting currency at each day's rate).
* **Tax** of an order is the tax its export recorded (``orders.tax``), less the refunded
  share; an order without one is taken as priced VAT-inclusive, as B2C prices are where
  VAT applies, so its tax is ``kept × rate ÷ (100 + rate)`` at the destination's standard
  rate of the order's day (``markets/tax/rates.py``). Orders to a country
  without a rate on record (the United States' sales taxes are by state) add no tax and
  their revenue is reported as not covered.
* **Thresholds**: EU OSS (€10,000 of cross-border sales to EU consumers in a calendar
  year) and the registration thresholds of ``markets/thresholds.py``, each
  over its own window, in its own currency.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING

from tradewinds.analytics import metrics as metric_defs
from tradewinds.analytics.filters import COUNTRY_ALIASES, ReportScope, country_name
from tradewinds.markets.fx import FxTable, MissingRate, load_fx_table
from tradewinds.markets.thresholds import Threshold, thresholds

if TYPE_CHECKING:
    from tradewinds.warehouse.backend import Warehouse

#: share of a threshold from which the report warns
NEARLY = Decimal("0.8")


@lru_cache(maxsize=1)
def _codes() -> dict[str, str]:
    """English country name → ISO 3166 alpha-2 (and the export aliases)."""
    from babel import Locale

    names = {
        name: code
        for code, name in Locale("en").territories.items()
        if len(code) == 2 and code.isalpha()
    }
    for alias, name in COUNTRY_ALIASES.items():
        if name in names:
            names.setdefault(alias, names[name])
    # names exports use where the territory list has another (CLDR: "Czechia", "Hong Kong
    # SAR China", "Türkiye")
    names.update(_EXPORT_NAMES)
    return names


_EXPORT_NAMES = {
    "Czech Republic": "CZ",
    "Hong Kong": "HK",
    "Macau": "MO",
    "Macao": "MO",
    "Korea": "KR",
    "Republic of Korea": "KR",
    "Turkey": "TR",
    "Russia": "RU",
    "Taiwan": "TW",
    "Vietnam": "VN",
    "Viet Nam": "VN",
}


def alpha2(value: object) -> str | None:
    """``GB`` for ``GB``, ``gb``, ``United Kingdom`` or ``UK``; None when not a country."""
    if value is None:
        return None
    text = str(value).strip()
    if len(text) == 2 and text.isalpha():
        return "GB" if text.upper() == "UK" else text.upper()
    return _codes().get(country_name(text))


@dataclass
class MarketTax:
    country: str  # ISO code, or the stored value when it is not a country
    orders: int = 0
    net_revenue: float | None = None
    tax_recorded: Decimal = Decimal(0)
    tax_estimated: Decimal = Decimal(0)
    rates: set[Decimal] = field(default_factory=set)
    uncovered: Decimal = Decimal(0)  # kept revenue with no tax on record and no rate

    @property
    def tax(self) -> Decimal:
        return self.tax_recorded + self.tax_estimated

    @property
    def net_after_tax(self) -> float | None:
        if self.net_revenue is None:
            return None
        return self.net_revenue - float(self.tax)


@dataclass(frozen=True)
class ThresholdStatus:
    threshold: Threshold
    sales: Decimal
    window_start: date
    window_end: date

    @property
    def share(self) -> float:
        amount = self.threshold.amount
        return float(self.sales / amount) if amount else 1.0

    @property
    def level(self) -> str:
        """``reached``, ``nearly`` (from 80%) or ``below``; a threshold of 0 (register before
        the first sale) is reached by any sale."""
        if not self.threshold.amount:
            return "reached" if self.sales > 0 else "below"
        if self.sales >= self.threshold.amount:
            return "reached"
        return "nearly" if self.share >= float(NEARLY) else "below"


@dataclass
class TaxReport:
    start: date
    end: date
    currency: str
    markets: list[MarketTax]
    thresholds: list[ThresholdStatus]
    unconverted_groups: int = 0

    @property
    def net_revenue(self) -> float:
        return sum(m.net_revenue or 0.0 for m in self.markets)

    @property
    def tax(self) -> Decimal:
        return sum((m.tax for m in self.markets), Decimal(0))

    @property
    def net_after_tax(self) -> float:
        return self.net_revenue - float(self.tax)

    @property
    def uncovered(self) -> Decimal:
        return sum((m.uncovered for m in self.markets), Decimal(0))

    @property
    def alerts(self) -> list[ThresholdStatus]:
        return [t for t in self.thresholds if t.level != "below"]


def _groups_sql() -> str:
    """Kept amounts (total − refunded) of each country, currency and UTC day of the range:
    with the tax the order recorded (its kept share), and without one."""
    kept = "(o.total - COALESCE(o.refunded, 0))"
    return f"""
SELECT o.country, o.currency, CAST(o.ordered_at AS DATE) AS day, COUNT(*) AS n,
       SUM(CASE WHEN o.tax IS NOT NULL THEN o.tax * {kept} / o.total END) AS recorded,
       SUM(CASE WHEN o.tax IS NULL THEN {kept} END) AS untaxed
FROM orders AS o
WHERE o.ordered_at >= ? AND o.ordered_at < ? AND {metric_defs.order_sql("o")}
GROUP BY 1, 2, 3"""


def _rate_on(country: str | None, day: date) -> Decimal | None:
    from tradewinds.markets.tax.rates import vat_rate

    if country is None:
        return None
    try:
        return vat_rate(country, day).standard_rate
    except LookupError:
        return None


def _convert(fx: FxTable, amount: Decimal, src: str, dst: str, day: date) -> Decimal:
    return fx.convert(amount, from_currency=src, to_currency=dst, on=day)


def market_taxes(
    warehouse: Warehouse, scope: ReportScope, *, currency: str, fx: FxTable
) -> tuple[dict[str, MarketTax], int]:
    """Tax per country of ``scope``'s orders, in ``currency``; and the number of (country,
    currency, day) groups left out for want of an exchange rate."""
    start, end = scope.window
    rows = warehouse.query(_groups_sql(), [start, end]).rows
    out: dict[str, MarketTax] = {}
    rate_cache: dict[tuple[str | None, date], Decimal | None] = {}
    unconverted = 0
    for raw_country, ccy, day, n, recorded, untaxed in rows:
        code = alpha2(raw_country)
        key = code or str(raw_country or "")
        market = out.setdefault(key, MarketTax(country=key))
        market.orders += int(n)
        day = day.date() if isinstance(day, datetime) else day
        try:
            if recorded is not None:
                market.tax_recorded += _convert(fx, Decimal(recorded), ccy, currency, day)
            if untaxed is not None:
                if (code, day) not in rate_cache:
                    rate_cache[(code, day)] = _rate_on(code, day)
                rate = rate_cache[(code, day)]
                kept = _convert(fx, Decimal(untaxed), ccy, currency, day)
                if rate is None:
                    market.uncovered += kept
                else:
                    market.rates.add(rate)
                    market.tax_estimated += kept * rate / (100 + rate)
        except MissingRate:
            unconverted += 1
    return out, unconverted


def _window(threshold: Threshold, end: date) -> tuple[date, date]:
    if threshold.window == "calendar_year":
        return date(end.year, 1, 1), end
    return end - timedelta(days=364), end


def _sales_sql() -> str:
    """Kept amounts of each country, currency and UTC day from a start to an end."""
    return f"""
SELECT o.country, o.currency, CAST(o.ordered_at AS DATE) AS day,
       SUM(o.total - COALESCE(o.refunded, 0)) AS kept
FROM orders AS o
WHERE o.ordered_at >= ? AND o.ordered_at < ? AND {metric_defs.order_sql("o")}
GROUP BY 1, 2, 3"""


def threshold_statuses(
    warehouse: Warehouse, *, end: date, fx: FxTable, home: str | None = None
) -> list[ThresholdStatus]:
    """Sales towards each registration threshold in the window that ends on ``end``, in the
    threshold's currency. ``home``: the seller's own country, whose sales are not
    cross-border (and so count neither for OSS nor for its own threshold)."""
    from tradewinds.markets.tax.rates import is_eu

    out = []
    earliest = min(_window(t, end)[0] for t in thresholds())
    span = [datetime.combine(earliest, datetime.min.time()), end + timedelta(days=1)]
    rows = warehouse.query(_sales_sql(), span).rows
    sales = [
        (alpha2(c), ccy, d.date() if isinstance(d, datetime) else d, k) for c, ccy, d, k in rows
    ]
    for t in thresholds():
        first, last = _window(t, end)
        total = Decimal(0)
        for code, ccy, day, kept in sales:
            if code is None or code == home or not first <= day <= last or kept is None:
                continue
            counts = is_eu(code) if t.country == "EU" else code == t.country
            if not counts:
                continue
            try:
                total += _convert(fx, Decimal(kept), ccy, t.currency, day)
            except MissingRate:
                continue
        out.append(ThresholdStatus(t, total.quantize(Decimal("0.01")), first, last))
    return out


def tax_report(
    warehouse: Warehouse,
    *,
    scope: ReportScope,
    currency: str,
    home: str | None = None,
) -> TaxReport:
    """Net revenue, tax and net revenue after tax per market of ``scope``, in ``currency``,
    and where the seller stands against each registration threshold at the period's end."""
    from tradewinds.analytics.service import metrics_report

    by_country = metrics_report(
        warehouse=warehouse,
        currency=currency,
        scope=ReportScope(
            start=scope.start, end=scope.end, group_by=("country",), timezone=scope.timezone
        ),
        metrics=("net_revenue",),
    )
    fx = load_fx_table(
        warehouse,
        start=min(scope.start, date(scope.end.year, 1, 1)) - timedelta(days=365),
        end=scope.end,
    )
    taxes, unconverted = market_taxes(warehouse, scope, currency=currency, fx=fx)
    for row in by_country.rows:
        code = alpha2(row.get("country")) or str(row.get("country") or "")
        market = taxes.setdefault(code, MarketTax(country=code))
        value = row.get("net_revenue")
        market.net_revenue = (market.net_revenue or 0.0) + float(value or 0)
    markets = sorted(taxes.values(), key=lambda m: -(m.net_revenue or 0.0))
    return TaxReport(
        start=scope.start,
        end=scope.end,
        currency=currency,
        markets=markets,
        thresholds=threshold_statuses(warehouse, end=scope.end, fx=fx, home=home),
        unconverted_groups=unconverted,
    )


@dataclass(frozen=True)
class OrderTax:
    """One order's tax: recorded by its export, else estimated at its destination's rate."""

    order_id: str
    ordered_at: datetime
    country: str | None  # ISO code; None when the stored value is not a country
    currency: str
    total: Decimal
    kept: Decimal  # total − refunded
    tax: Decimal | None  # in ``currency``; None: no tax recorded and no rate on record
    basis: str  # "recorded" | "estimated" | "not_covered"
    rate: Decimal | None  # the standard rate applied, percent (estimated only)


def order_taxes(
    warehouse: Warehouse, scope: ReportScope, *, country: str | None = None, limit: int = 1000
) -> list[OrderTax]:
    """The tax of each order of ``scope`` (the newest first, at most ``limit``), in the
    order's own currency: what :func:`market_taxes` adds up per market."""
    start, end = scope.window
    rows = warehouse.query(
        f"""
SELECT o.order_id, o.ordered_at, o.country, o.currency, o.total,
       o.total - COALESCE(o.refunded, 0) AS kept, o.tax
FROM orders AS o
WHERE o.ordered_at >= ? AND o.ordered_at < ? AND {metric_defs.order_sql("o")}
ORDER BY o.ordered_at DESC, o.order_id""",
        [start, end],
    ).rows
    out: list[OrderTax] = []
    wanted = alpha2(country) if country else None
    for order_id, at, raw_country, ccy, total, kept, tax in rows:
        code = alpha2(raw_country)
        if wanted is not None and code != wanted:
            continue
        total, kept = Decimal(total), Decimal(kept)
        day = at.date() if isinstance(at, datetime) else at
        if tax is not None:
            share = Decimal(tax) * kept / total if total else Decimal(0)
            out.append(OrderTax(order_id, at, code, ccy, total, kept, share, "recorded", None))
        else:
            rate = _rate_on(code, day)
            if rate is None:
                out.append(
                    OrderTax(order_id, at, code, ccy, total, kept, None, "not_covered", None)
                )
            else:
                due = kept * rate / (100 + rate)
                out.append(OrderTax(order_id, at, code, ccy, total, kept, due, "estimated", rate))
        if len(out) >= limit:
            break
    return out
