"""Spend from period reports (``ad_spend_period``) in daily figures, and what it says.

A report without a day column gives an account's spend for a date range only. Reports read
it as one even share per day of the range: a window inside the range gets the overlapping
share, and the figures say they are *estimated from a period report*.

Several reports of the same account and period (a landing-page and an interaction-type
report of the same 90 days) are breakdowns of **one** spend, yet their ``Total: Account``
lines may disagree slightly. The spend counted is that of the report with the **largest**
account total (ties: the report whose title sorts first); every report stays available
with its own breakdown rows (:func:`breakdowns`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from tradewinds.analytics.filters import ReportScope
from tradewinds.i18n_markers import Money, Text

if TYPE_CHECKING:
    from tradewinds.warehouse.backend import Warehouse

#: the account total counted for each platform, account and period (``pick = 1``)
_RANKED = """
SELECT p.platform, p.account_id, p.report, p.period_start, p.period_end, p.currency,
       p.spend, p.impressions, p.clicks, p.conversions, p.conversion_value,
       ROW_NUMBER() OVER (PARTITION BY p.platform, p.account_id, p.period_start, p.period_end
                          ORDER BY p.spend DESC NULLS LAST, p.report) AS pick
FROM ad_spend_period AS p
WHERE p.kind = 'account_total' AND p.period_end >= {first} AND p.period_start <= {last}"""

_DAILY_COLUMNS = (
    '"date"',
    "platform",
    "account_id",
    "campaign_id",
    "campaign_name",
    "country",
    "device",
    "currency",
    "spend",
    "impressions",
    "clicks",
    "conversions",
    "conversion_value",
)


def _day(value: date) -> str:
    return f"DATE '{value.isoformat()}'"


def spend_rows_sql(first: date, last: date) -> str:
    """A relation with ``ad_spend_daily``'s columns for the days ``first`` … ``last``, plus
    ``estimated`` (1 on a day's share of a period report's account total, else 0)."""
    ranked = _RANKED.format(first=_day(first), last=_day(last))
    share = "CAST(k.{0} AS DOUBLE) / k.days"
    shares = ", ".join(
        f"{share.format(c)} AS {c}"
        for c in ("spend", "impressions", "clicks", "conversions", "conversion_value")
    )
    return f"""(
SELECT {", ".join(_DAILY_COLUMNS)}, 0 AS estimated FROM ad_spend_daily
WHERE "date" >= {_day(first)} AND "date" <= {_day(last)}
UNION ALL
SELECT d.day AS "date", k.platform, k.account_id, '' AS campaign_id, '' AS campaign_name,
       '' AS country, '' AS device, k.currency, {shares}, 1 AS estimated
FROM (SELECT r.*, r.period_end - r.period_start + 1 AS days FROM ({ranked}) AS r
      WHERE r.pick = 1) AS k
JOIN (SELECT CAST(t.d AS DATE) AS day FROM generate_series(
        TIMESTAMP '{first.isoformat()}', TIMESTAMP '{last.isoformat()}', INTERVAL 1 DAY)
      AS t(d)) AS d ON d.day >= k.period_start AND d.day <= k.period_end
)"""


@dataclass(frozen=True)
class PeriodEstimate:
    """One period report's account total counted in a window, and those left aside."""

    platform: str
    account_id: str
    report: str
    period_start: date
    period_end: date
    currency: str
    total: float | None
    days: int
    days_in_window: int
    other_reports: tuple[dict[str, Any], ...]

    @property
    def note(self) -> Text:
        values: dict[str, Any] = {
            "start": self.period_start,
            "end": self.period_end,
            "report": self.report,
            "platform": self.platform,
            "days": self.days,
            "in_window": self.days_in_window,
        }
        if self.total is None:
            text = Text(
                "Ad spend of %(start)s – %(end)s is estimated from a period report: "
                "“%(report)s” (for the %(platform)s account, spread evenly over its %(days)s "
                "days; %(in_window)s of them fall in this period).",
                **values,
            )
        else:
            text = Text(
                "Ad spend of %(start)s – %(end)s is estimated from a period report: "
                "“%(report)s” (%(total)s for the %(platform)s account, spread evenly over its "
                "%(days)s days; %(in_window)s of them fall in this period).",
                total=Money(self.total, self.currency),
                **values,
            )
        if self.other_reports:
            others = ", ".join(
                f"“{o['report']}” ({o['total']:,.2f} {o['currency']})"
                if o["total"] is not None
                else f"“{o['report']}”"
                for o in self.other_reports
            )
            text = Text(
                "%(note)s %(others)s covers the same account and period and is not added: "
                "the report with the larger account total is counted.",
                note=text,
                others=others,
            )
        return text

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["period_start"] = self.period_start.isoformat()
        out["period_end"] = self.period_end.isoformat()
        out["other_reports"] = list(self.other_reports)
        out["note"] = self.note
        return out


def estimates(warehouse: Warehouse, scope: ReportScope) -> list[PeriodEstimate]:
    """The period reports whose spend a report for ``scope`` counts, oldest first."""
    ranked = _RANKED.format(first=_day(scope.start), last=_day(scope.end))
    rows = warehouse.query(
        f"SELECT * FROM ({ranked}) AS r ORDER BY period_start, platform, account_id, pick"
    ).as_dicts()
    channels = set(scope.filter_values("channel")) if "channel" in scope.filters else None
    out: list[PeriodEstimate] = []
    for row in rows:
        if channels is not None and row["platform"] not in channels:
            continue
        if row["pick"] != 1:
            continue
        start, end = row["period_start"], row["period_end"]
        others = tuple(
            {"report": o["report"], "currency": o["currency"], "total": _num(o["spend"])}
            for o in rows
            if o["pick"] != 1
            and (o["platform"], o["account_id"], o["period_start"], o["period_end"])
            == (row["platform"], row["account_id"], start, end)
        )
        inside = (min(end, scope.end) - max(start, scope.start)).days + 1
        out.append(
            PeriodEstimate(
                platform=row["platform"],
                account_id=row["account_id"],
                report=row["report"],
                period_start=start,
                period_end=end,
                currency=row["currency"],
                total=_num(row["spend"]),
                days=(end - start).days + 1,
                days_in_window=inside,
                other_reports=others,
            )
        )
    return out


def _num(value: Any) -> float | None:
    return None if value is None else float(value)


def breakdowns(warehouse: Warehouse, scope: ReportScope) -> list[dict[str, Any]]:
    """Every period report overlapping ``scope`` with its rows by its own dimension, in the
    report's currency: each row's spend for the whole period (not spread)."""
    rows = warehouse.query(
        "SELECT platform, account_id, report, period_start, period_end, kind, dimension, "
        "dimension_value, campaign_id, campaign_name, currency, impressions, clicks, spend, "
        "conversions, conversion_value FROM ad_spend_period "
        f"WHERE period_end >= {_day(scope.start)} AND period_start <= {_day(scope.end)} "
        "ORDER BY period_start, platform, account_id, report, kind, spend DESC"
    ).as_dicts()
    counted = {
        (e.platform, e.account_id, e.period_start, e.period_end, e.report)
        for e in estimates(warehouse, scope)
    }
    reports: dict[tuple, dict[str, Any]] = {}
    for row in rows:
        key = (
            row["platform"],
            row["account_id"],
            row["period_start"],
            row["period_end"],
            row["report"],
        )
        report = reports.setdefault(
            key,
            {
                "platform": key[0],
                "account_id": key[1],
                "report": key[4],
                "period_start": key[2].isoformat(),
                "period_end": key[3].isoformat(),
                "counted": key in counted,
                "dimension": None,
                "account_total": None,
                "not_broken_down": None,
                "rows": [],
            },
        )
        figures = {k: _num(row[k]) for k in ("spend", "conversions", "conversion_value")}
        figures.update({k: row[k] for k in ("impressions", "clicks")})
        figures["currency"] = row["currency"]
        if row["kind"] == "account_total":
            report["account_total"] = figures
        elif row["kind"] == "not_broken_down":
            report["not_broken_down"] = figures
        else:
            report["dimension"] = row["dimension"]
            report["rows"].append(
                {
                    "value": row["dimension_value"],
                    "campaign": row["campaign_name"] or row["campaign_id"],
                    **figures,
                }
            )
    return list(reports.values())
