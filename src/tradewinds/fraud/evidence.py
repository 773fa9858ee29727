"""A refund-claim evidence pack for one ad platform and period: a ZIP holding
``clicks.csv`` (every flagged click with its time, address, user agent, campaign,
placement, score and reasons) and ``summary.html`` (the totals, the reasons' counts, the
campaigns' invalid clicks and wasted spend, and how they were found), ready to attach to
a Google Ads or Meta invalid-activity claim."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date
from html import escape

from tradewinds.fraud.clicks import ClickLog
from tradewinds.fraud.schemas import BreakdownRowPublic
from tradewinds.fraud.scoring import Scores

CLICK_COLUMNS = (
    "click_id",
    "click_time",
    "ip",
    "user_agent",
    "referrer",
    "country",
    "network",
    "campaign",
    "placement",
    "score",
    "reasons",
)


def clicks_csv(log: ClickLog, scores: Scores, rows: list[int]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CLICK_COLUMNS)
    frame = log.frame
    for i in rows:
        record = frame.iloc[i]
        writer.writerow(
            [
                *(
                    str(record.get(c, "") if c != "click_time" else record["click_time"])
                    for c in CLICK_COLUMNS[:9]
                ),
                f"{scores.score[i]:.4f}",
                " | ".join(str(r.text) for r in scores.reasons(i)),
            ]
        )
    return buffer.getvalue()


def summary_html(
    *,
    workspace: str,
    network: str,
    start: date,
    end: date,
    currency: str,
    clicks: int,
    invalid: int,
    by_rule: list[tuple[str, int]],
    campaigns: list[BreakdownRowPublic],
    definition: str,
) -> str:
    def cell(value: object) -> str:
        return f"<td>{escape('—' if value is None else str(value))}</td>"

    rule_rows = "".join(f"<tr>{cell(t)}{cell(n)}</tr>" for t, n in by_rule)
    campaign_rows = "".join(
        f"<tr>{cell(c.key)}{cell(c.clicks)}{cell(c.invalid_clicks)}"
        f"{cell(f'{c.invalid_rate:.1%}')}{cell(c.spend)}{cell(c.wasted_spend)}</tr>"
        for c in campaigns
    )
    rate = invalid / clicks if clicks else 0.0
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Invalid clicks: {escape(network)}</title>
<style>body{{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem}}
table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}}
td:nth-child(n+2){{font-variant-numeric:tabular-nums}}</style></head><body>
<h1>Invalid-click evidence — {escape(network)}</h1>
<p>Workspace {escape(workspace)}, clicks from {start} to {end}; money in {escape(currency)}.</p>
<p><strong>{invalid:,}</strong> of {clicks:,} clicks ({rate:.1%}) were found invalid.
The attached clicks.csv lists each one with its time, address, user agent, campaign,
placement, score and the reasons it was flagged.</p>
<h2>Reasons</h2><table><tr><th>Reason</th><th>Clicks</th></tr>{rule_rows}</table>
<h2>Campaigns</h2><table><tr><th>Campaign</th><th>Clicks</th><th>Invalid</th><th>Rate</th>
<th>Spend</th><th>Wasted spend</th></tr>{campaign_rows}</table>
<h2>Method</h2><p>{escape(definition)} Rules (bursts from one address, network or device,
data-centre addresses, bot and headless-browser user agents, conversions too fast to be
human, clicks outside the campaign's target countries, repeated click ids, sessions with no
dwell, scroll or page view) are combined with an isolation-forest anomaly score of each
address; a click is flagged when its score reaches the threshold of the rules file.</p>
</body></html>
"""


def pack(clicks_text: str, summary: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("clicks.csv", clicks_text)
        archive.writestr("summary.html", summary)
    return buffer.getvalue()
