"""Overview page speed with 10M events, 2M orders and 1M ad-spend rows (plus 2M touchpoints).

Generates a synthetic shop into ``bench/.cache/dashboard-bench.duckdb`` once (SQL
``range()`` generation inside the warehouse: vectorised, ~1 min on 2 cores; reused on later
runs), rebuilds the rollups as an import does when it finishes (cohorts, visits, each
order's last touch; times printed), then builds the Overview page for the last 30 days of
data ``--runs`` times and prints, per query the page runs, p50/p95 in ms and the page's
server time; then requests the real page, ``GET /``, through the app ``--runs`` times and
prints its p50/p95 against the goal (p95 <= 500 ms: PASS or FAIL); then computes the main
figures with pandas on DataFrames already in memory, prints its times beside the
warehouse's and checks 38 of the page's figures against pandas (every mismatch printed).

    .venv/bin/python bench/dashboard_overview.py [--runs 10] [--threads 2] [--workers 3]
        [--rebuild] [--no-pandas] [--keep-rollups]

``--workers`` is how many of the page's reports run side by side (1: one after another).
No report is cached between runs: every run sends every report's queries to the warehouse
again. Each view checks that the rollups match their tables (the warehouse's count of
writes, ``tradewinds.warehouse.writes``), as a page view does; the data's range and the
filter options are kept while their tables are unchanged, as the page does.

Last run (3 Dec 2026, 2 cores, a quiet machine: load average 2-3; 2 DuckDB threads, two
reports side by side, ``--runs 20 --keep-rollups``), p50 / p95 ms:

    orders of the month, tiles + by channel (order rollup) 78 / 98
    the same, by country and by day (no distinct counts) 33 / 42
    ad spend of the month, the four groupings 29 / 39
    tiles' previous period: orders 42 / 55, spend 20 / 27, visitors 20 / 29
    visitors + sessions (rollups) 21 / 26     funnel (visit rollup) by channel 68 / 94
    cohorts (rollup) 13 / 22, cohort spend 27 / 33   rollups up to date? 0.8 / 2.2
    whole page, server time 233 / 252
    GET / through the app 261 / 275 — target p95 <= 500 ms: PASS
    38 figures checked against pandas: all equal

Before the order rollup, the numbered visitors and the grouping sets: GET / 939 / 1,085;
with them, 443 / 521. Then: the server keeps the warehouse file open between page views
(``warehouse/keep_open.py``: no reopening, the data stays in DuckDB's memory), groupings
without distinct counts are queried apart (``kpis._query_sets``), and the coverage note
trusts the tiles.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tradewinds.analytics.filters import make_scope
from tradewinds.warehouse import open_warehouse

CACHE = Path(__file__).resolve().parent / ".cache"
KEY = "dashboard-bench"
YEAR_SECONDS = 365 * 86400
COUNTS = {
    "events": 10_000_000,
    "orders": 2_000_000,
    "ad_spend_daily": 1_000_000,
    "touchpoints": 2_000_000,
}
COUNTRIES = "['GB','FR','DE','NL','IE','ES','IT','US']"
TARGET_MS = 500  # GET / p95 through the app
TIMEZONE = "Europe/London"  # the demo workspace's, which the GET / measurement signs in to


def generate(wh: Any) -> None:
    t0 = time.perf_counter()
    wh.execute("""
INSERT INTO fx_rates SELECT d::DATE, 'EUR', q, CAST(base + 0.02 * sin(epoch(d) / 2e6) AS
  DECIMAL(24, 12)), 'bench'
FROM range(DATE '2022-12-20', DATE '2024-01-01', INTERVAL 1 DAY) t(d),
     (VALUES ('GBP', 0.87), ('USD', 1.08)) v(q, base)
WHERE dayofweek(d) BETWEEN 1 AND 5""")
    # 1M rows: 365 days x 4 platforms x 685 ads
    wh.execute(f"""
INSERT INTO ad_spend_daily (date, platform, account_id, campaign_id, campaign_name,
  ad_group_id, ad_id, country, device, impressions, clicks, spend, conversions,
  conversion_value, currency, source)
SELECT DATE '2023-01-01' + CAST(i // 2740 AS INTEGER),
  ['google','meta','tiktok','amazon'][1 + (i % 4)], 'acc', 'camp' || (i % 40),
  'Campaign ' || (i % 40), 'ag' || (i % 137), 'ad' || ((i // 4) % 685),
  {COUNTRIES}[1 + CAST(hash(i) % 8 AS INTEGER)], ['mobile','desktop'][1 + (i % 2)],
  1000 + hash(i * 3) % 5000, 10 + hash(i * 5) % 90,
  CAST((hash(i * 7) % 10000) / 100.0 AS DECIMAL(18, 4)), hash(i * 11) % 4,
  CAST((hash(i * 13) % 30000) / 100.0 AS DECIMAL(18, 4)),
  ['USD','EUR','GBP','USD'][1 + (i % 4)], 'bench'
FROM range({COUNTS["ad_spend_daily"]}) t(i)""")
    wh.execute(f"""
INSERT INTO orders (order_id, customer_id, storefront, ordered_at, country, currency, total,
  refunded, status, source)
SELECT 'b:' || i, 'c' || (hash(i) % 400000), ['shopify','amazon','ebay'][1 + (i % 3)],
  TIMESTAMP '2023-01-01' + to_seconds(CAST(hash(i * 7) % {YEAR_SECONDS} AS BIGINT)),
  {COUNTRIES}[1 + CAST(hash(i * 3) % 8 AS INTEGER)], ['GBP','EUR','USD'][1 + (i % 3)],
  CAST(5 + (hash(i * 11) % 20000) / 100.0 AS DECIMAL(18, 4)),
  CASE WHEN hash(i * 13) % 20 = 0 THEN CAST(5 AS DECIMAL(18, 4)) END, 'paid',
  -- one in ten placed on the storefront (the conversion rate's numerator)
  CASE WHEN i % 10 = 0 THEN 'events' ELSE 'bench' END
FROM range({COUNTS["orders"]}) t(i)""")
    wh.execute(f"""
INSERT INTO touchpoints (touchpoint_id, customer_id, occurred_at, channel, source, medium,
  campaign, country, device)
SELECT 't' || i, 'c' || (hash(i * 17) % 400000),
  TIMESTAMP '2023-01-01' + to_seconds(CAST(hash(i * 19) % {YEAR_SECONDS} AS BIGINT)), NULL,
  ['google','facebook','tiktok','amazon','newsletter'][1 + (i % 5)],
  ['cpc','paid_social','cpc','cpc','email'][1 + (i % 5)], 'Campaign ' || (i % 40),
  {COUNTRIES}[1 + CAST(hash(i) % 8 AS INTEGER)], ['mobile','desktop'][1 + (i % 2)]
FROM range({COUNTS["touchpoints"]}) t(i)""")
    # 10M events: visitors browse; fewer add, check out and buy
    wh.execute(f"""
INSERT INTO events (message_id, type, event, anonymous_id, timestamp, properties, context)
SELECT 'e' || i, 'track',
  CASE WHEN hash(i) % 100 < 70 THEN 'Product Viewed' WHEN hash(i) % 100 < 88
       THEN 'Product Added' WHEN hash(i) % 100 < 96 THEN 'Checkout Started'
       ELSE 'Order Completed' END,
  'v' || (i // 3),
  TIMESTAMP '2023-01-01' + to_seconds(CAST(((i // 3) * 7919) % {YEAR_SECONDS} AS BIGINT)
    + (i % 3) * 60),
  '{{}}'::JSON,
  json_object('campaign', json_object('source',
     ['google','facebook','tiktok','amazon','newsletter'][1 + CAST((i // 3) % 5 AS INTEGER)],
     'medium', ['cpc','paid_social','cpc','cpc','email'][1 + CAST((i // 3) % 5 AS INTEGER)]),
   'location', json_object('country', {COUNTRIES}[1 + CAST((i // 3) % 8 AS INTEGER)]),
   -- half the visitors' storefronts send a session id, shared by two visitors whose
   -- visits are hours apart (two sessions); the other half are counted by anonymous id
   'sessionId', CASE WHEN (i // 3) % 4 < 2 THEN 's' || (i // 6) END)
FROM range({COUNTS["events"]}) t(i)""")
    add_customers(wh)
    print(f"generated in {time.perf_counter() - t0:.0f} s")


def add_customers(wh: Any) -> None:
    """What the importers keep: each customer's first order."""
    wh.execute("""
INSERT INTO customers (customer_id, country, first_order_at, source)
SELECT customer_id, MIN(country), MIN(ordered_at), 'bench' FROM orders
WHERE customer_id IS NOT NULL AND total > 0 GROUP BY customer_id""")


class Timed:
    """The warehouse, timing every query the page runs, by a label of its shape."""

    def __init__(self, wh: Any) -> None:
        self.wh, self.times = wh, defaultdict(list)
        self.label = "?"

    def __getattr__(self, name: str) -> Any:
        return getattr(self.wh, name)

    def _timed(self, fn: str, sql: str, params: Any = None) -> Any:
        start = time.perf_counter()
        out = getattr(self.wh, fn)(sql, params)
        self.times[_label(sql, params)].append(time.perf_counter() - start)
        return out

    def query(self, sql: str, params: Any = None) -> Any:
        return self._timed("query", sql, params)

    def query_df(self, sql: str, params: Any = None) -> Any:
        return self._timed("query_df", sql, params)


def _label(sql: str, params: Any) -> str:
    if "_cohort_rollup" in sql or "AS cohort" in sql:
        side = "cohorts"
    elif "FROM _rollups" in sql or "FROM _table_writes" in sql or "count(*)" in sql:
        side = "rollups: are they up to date?"
    elif "AS m," in sql:
        side = "cohort spend"
    elif "AS platform_conversions" in sql:
        side = "spend"
    elif "FROM ad_spend_period AS p" in sql:
        side = "period reports"
    elif "_touch_rollup" in sql and "_order_rollup" in sql:
        side = "orders (rollup)+touches (rollup)"
    elif "_touch_rollup" in sql:
        side = "orders+touches (rollup)"
    elif "lt AS" in sql:
        side = "orders+touches"
    elif "AS refunds" in sql and "_order_rollup" in sql:
        side = "orders (rollup)"
    elif "AS refunds" in sql:
        side = "orders"
    elif "r0" in sql and "_visit_rollup" in sql:
        side = "funnel (rollup)"
    elif "r0" in sql:
        side = "funnel"
    elif "_visit_rollup" in sql:
        side = "visitors (rollup)"
    elif "COUNT(DISTINCT who)" in sql:
        side = "visitors"
    else:
        side = "options/bounds"
    group = [g for g in ("channel", "country", "day", "week", "month") if f'"g_{g}"' in sql]
    prev = ""
    if isinstance(params, dict):
        end = params.get("end_day") or params.get("end_ts")
        if end is not None and str(end) < "2023-12-30" and side != "cohort spend":
            prev = " (previous period)"
    return f"{side}{' by ' + ','.join(group) if group else ''}{prev}"


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(np.array(values) * 1000, q))


def pandas_side(wh: Any, scope: Any) -> tuple[dict[str, float], dict[str, float]]:
    """The page's main figures with pandas on frames already in memory (load time
    excluded): (milliseconds per figure, the figures by name as :func:`page_figures`)."""
    from tradewinds.analytics.filters import country_name

    t0 = time.perf_counter()
    spend = wh.query_df(
        'SELECT "date", platform, currency, spend FROM ad_spend_daily '
        "UNION ALL SELECT period_start, platform, currency, spend FROM ad_spend_period "
        "WHERE false"
    )
    orders = wh.query_df(
        "SELECT order_id, customer_id, ordered_at, country, currency, total, source FROM orders"
    )
    customers = wh.query_df("SELECT customer_id, first_order_at FROM customers")
    touches = wh.query_df(
        "SELECT touchpoint_id, customer_id, occurred_at, source, medium FROM touchpoints"
    )
    events = wh.query_df(
        'SELECT event, COALESCE(anonymous_id, user_id) AS who, "timestamp", '
        "COALESCE(context->>'sessionId', anonymous_id, user_id) AS sid FROM events"
    )
    fx = wh.query_df("SELECT date, quote, rate FROM fx_rates WHERE base = 'EUR'")
    print(f"pandas: frames loaded in {time.perf_counter() - t0:.1f} s (not counted)")
    ms: dict[str, float] = {}
    out: dict[str, float] = {}

    def rates(first: date, last: date) -> pd.DataFrame:
        """Factor to GBP per (day, currency): the latest rate within 7 days."""
        days = pd.DataFrame({"day": pd.date_range(first, last).astype("datetime64[us]")})
        per = {"EUR": days.assign(rate=1.0)}
        for q in ("GBP", "USD"):
            r = fx[fx["quote"] == q].sort_values("date")[["date", "rate"]]
            r = r.rename(columns={"date": "day"}).astype({"rate": float, "day": "datetime64[us]"})
            per[q] = pd.merge_asof(days, r, on="day", tolerance=pd.Timedelta(days=7))
        g = per["GBP"]["rate"].to_numpy()
        frames = [p.assign(currency=c, f=g / p["rate"].to_numpy()) for c, p in per.items()]
        table = pd.concat(frames)[["day", "currency", "f"]]
        table.loc[table["currency"] == "GBP", "f"] = 1.0
        return table

    def local_days(frame: pd.DataFrame, column: str, first: date, last: date) -> pd.DataFrame:
        local = frame[column].dt.tz_convert(TIMEZONE)
        days = local.dt.tz_localize(None).dt.normalize()
        keep = (days >= pd.Timestamp(first)) & (days <= pd.Timestamp(last))
        return frame[keep].assign(day=days[keep])

    def order_figures(first: date, last: date, suffix: str = "") -> pd.DataFrame:
        o = local_days(orders, "ordered_at", first, last)
        o = o.merge(rates(first, last), on=["day", "currency"], how="left")
        o["gbp"] = o["total"].astype(float) * o["f"]
        paid = o[o["total"] > 0]
        out["revenue" + suffix] = paid["gbp"].sum()
        out["orders" + suffix] = len(paid)
        out["storefront_orders" + suffix] = int((paid["source"] == "events").sum())
        return paid

    def timed(name: str, fn) -> None:
        t = time.perf_counter()
        fn()
        ms[name] = (time.perf_counter() - t) * 1000

    def spend_totals() -> None:
        s = spend[
            (spend["date"] >= pd.Timestamp(scope.start))
            & (spend["date"] <= pd.Timestamp(scope.end))
        ]
        s = s.merge(
            rates(scope.start, scope.end),
            left_on=["date", "currency"],
            right_on=["day", "currency"],
            how="left",
        )
        s = s.assign(gbp=s["spend"].astype(float) * s["f"])
        out["spend"] = s["gbp"].sum()
        for platform, value in s.groupby("platform")["gbp"].sum().items():
            out[f"spend[{platform}]"] = value

    def order_totals() -> None:
        paid = order_figures(scope.start, scope.end)
        start_utc = pd.Timestamp(scope.utc_start(), tz="UTC")
        firsts = customers.set_index("customer_id")["first_order_at"]
        buyers = pd.Series(paid["customer_id"].dropna().unique())
        new = (buyers.map(firsts) >= start_utc).sum()
        out["new_customers"] = int(new)
        out["returning_customers"] = len(buyers) - int(new)
        before = scope.previous()
        order_figures(before.start, before.end, " (previous period)")

    def visitors() -> None:
        """Visitors, and sessions: a session id's events (else the visitor's) without a gap
        of more than 30 minutes, counted on the day of its first event."""
        e = local_days(events, "timestamp", scope.start, scope.end)
        out["visitors"] = e["who"].nunique()
        s = events.dropna(subset=["sid"]).sort_values(["sid", "timestamp"])
        gap = s["timestamp"] - s.groupby("sid")["timestamp"].shift()
        starts = s[gap.isna() | (gap > pd.Timedelta(minutes=30))]
        out["sessions"] = len(local_days(starts, "timestamp", scope.start, scope.end))
        out["conversion_rate"] = out["storefront_orders"] / out["sessions"]

    def by_country() -> None:
        paid = order_figures(scope.start, scope.end)
        for code, g in paid.groupby("country"):
            out[f"revenue[{country_name(code)}]"] = g["gbp"].sum()
            out[f"orders[{country_name(code)}]"] = len(g)

    def by_channel() -> None:
        """Each order's last touch at or before it, less than 30 days before (ties: the
        greater id), by merge_asof per customer."""
        paid = order_figures(scope.start, scope.end)
        channel = {
            ("google", "cpc"): "google",
            ("facebook", "paid_social"): "meta",
            ("tiktok", "cpc"): "tiktok",
            ("amazon", "cpc"): "amazon",
        }
        t = touches.dropna(subset=["customer_id"]).sort_values(["occurred_at", "touchpoint_id"])
        names = {f"{a}/{b}": c for (a, b), c in channel.items()}
        t = t.assign(channel=(t["source"] + "/" + t["medium"]).map(names).fillna("unpaid"))
        o = pd.merge_asof(
            paid.dropna(subset=["customer_id"]).sort_values("ordered_at"),
            t[["customer_id", "occurred_at", "channel"]],
            left_on="ordered_at",
            right_on="occurred_at",
            by="customer_id",
            direction="backward",
        )
        old = o["occurred_at"] <= o["ordered_at"] - pd.Timedelta(days=30)
        o.loc[old | o["occurred_at"].isna(), "channel"] = "(no ad touch)"
        counts = o["channel"].value_counts()
        counts["(no ad touch)"] = counts.get("(no ad touch)", 0) + paid["customer_id"].isna().sum()
        for name, n in counts.items():
            out[f"orders[{name}]"] = int(n)

    def funnel() -> None:
        e = local_days(events, "timestamp", scope.start, scope.end)
        steps = ["Product Viewed", "Product Added", "Checkout Started", "Order Completed"]
        e = e[e["event"].isin(steps)]
        flags = pd.crosstab(e["who"], e["event"]).clip(upper=1)
        reached = flags.reindex(columns=steps, fill_value=0).cumprod(axis=1).sum()
        for step, n in zip(steps, reached.tolist(), strict=True):
            out[f"funnel: {step}"] = int(n)

    timed("spend", spend_totals)
    timed("orders", order_totals)
    timed("visitors", visitors)
    timed("orders by country", by_country)
    timed("orders by channel", by_channel)
    timed("funnel", funnel)
    return ms, out


def page_figures(data: dict[str, Any]) -> dict[str, float]:
    """The same figures as the page computed them (``overview.build``)."""
    total = data["totals"].rows[0]
    out = {
        m: total.get(m)
        for m in (
            "spend",
            "revenue",
            "orders",
            "new_customers",
            "returning_customers",
            "conversion_rate",
        )
    }
    out["revenue (previous period)"] = total.get("revenue_previous")
    out["orders (previous period)"] = total.get("orders_previous")
    for r in data["countries"].rows:
        out[f"revenue[{r['country']}]"] = r.get("revenue")
        out[f"orders[{r['country']}]"] = r.get("orders")
    for r in data["channels"].rows:
        if r.get("spend") is not None:
            out[f"spend[{r['channel']}]"] = r["spend"]
        if r.get("orders"):
            out[f"orders[{r['channel']}]"] = r["orders"]
    for s in data["funnel"]["total"]["steps"]:
        out[f"funnel: {s['step']}"] = s["visitors"]
    return out


def check_figures(page: dict[str, float], theirs: dict[str, float]) -> int:
    """Print every figure that differs (money to the penny, counts exactly); the count."""
    bad = 0
    for name in sorted(set(page) | set(theirs)):
        if name in ("visitors", "sessions") or name.startswith("storefront_orders"):
            continue  # not shown on the page: the conversion rate they give is
        mine, other = page.get(name), theirs.get(name)
        if mine is None or other is None:
            same = mine == other
        elif name.startswith(("revenue", "spend")):
            same = abs(float(mine) - float(other)) <= 0.005 + 1e-12 * abs(float(other))
        elif name == "conversion_rate":
            same = abs(float(mine) - float(other)) <= 5e-7
        else:
            same = int(mine) == int(other)
        if not same:
            bad += 1
            print(f"  MISMATCH {name}: page {mine}, pandas {other}")
    return bad


def page_over_http(runs: int, first: date, last: date) -> list[float]:
    """The real page, ``GET /``, through the app (sign-in, middleware, queries, template),
    as the demo owner of a workspace whose warehouse is the benchmark's file."""
    import logging
    import re
    import tempfile
    import warnings

    from fastapi.testclient import TestClient

    from tradewinds.app import create_app
    from tradewinds.config import reset_settings
    from tradewinds.db.migrate import upgrade
    from tradewinds.demo import DEMO_EMAIL, DEMO_PASSWORD, load_demo

    warnings.simplefilter("ignore", DeprecationWarning)
    logging.getLogger("tradewinds.access").setLevel(logging.WARNING)
    home = Path(tempfile.mkdtemp(prefix="tw-bench-"))
    os.environ["TRADEWINDS_HOME"] = str(home)
    for name in ("TRADEWINDS_DATABASE_URL", "TRADEWINDS_WAREHOUSE_URL"):
        os.environ.pop(name, None)
    reset_settings()
    upgrade()
    key = load_demo(with_data=False)["workspaces"][0]  # the GBP workspace
    (home / "warehouse").mkdir(exist_ok=True)
    (home / "warehouse" / f"{key}.duckdb").symlink_to(CACHE / f"{KEY}.duckdb")
    times = []
    with TestClient(create_app(), base_url="https://testserver") as client:
        form = client.get("/login").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
        client.post(
            "/login", data={"email": DEMO_EMAIL, "password": DEMO_PASSWORD, "csrf_token": token}
        )
        for run in range(runs + 1):
            start = time.perf_counter()
            page = client.get(f"/?from={first}&to={last}")
            if run:  # the first is a warm-up
                times.append(time.perf_counter() - start)
            if page.status_code != 200 or "Cohort" not in page.text:
                raise SystemExit(f"GET / answered {page.status_code}: {page.text[:300]}")
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help="reports run side by side (default: the page's own setting)",
    )
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--no-pandas", action="store_true")
    parser.add_argument(
        "--keep-rollups",
        action="store_true",
        help="rebuild a rollup only when its tables changed (default: rebuild each, timed)",
    )
    args = parser.parse_args()
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"{KEY}.duckdb"
    if args.rebuild and path.exists():
        path.unlink()
    url = f"duckdb:///{CACHE}/{{key}}.duckdb"
    # the configuration is locked once the file is open: the app's own settings apply
    os.environ["TRADEWINDS_WAREHOUSE_THREADS"] = str(args.threads)
    from tradewinds.config import reset_settings

    reset_settings()
    with open_warehouse(KEY, url=url) as wh:
        if wh.count("events") < COUNTS["events"]:
            for table in ("fx_rates", "ad_spend_daily", "orders", "touchpoints", "events"):
                wh.execute(f"DELETE FROM {table}")
            generate(wh)
        if wh.count("customers") == 0:
            add_customers(wh)
        print({t: wh.count(t) for t in COUNTS})
        from tradewinds.analytics import cohort_rollup, order_rollup, touch_rollup, visit_rollup

        # what an import or the event drain does when it finishes (analytics/plugin.py)
        for name, build in (
            ("cohort", lambda: cohort_rollup.refresh(wh, TIMEZONE)),
            ("visit", lambda: visit_rollup.refresh(wh)),
            ("touch", lambda: touch_rollup.refresh(wh)),
            ("order", lambda: order_rollup.refresh(wh)),
        ):
            if args.keep_rollups:
                kept = {
                    "cohort": lambda: cohort_rollup.ensure(wh, TIMEZONE),
                    "visit": lambda: visit_rollup.ensure(wh),
                    "touch": lambda: touch_rollup.ensure(wh),
                    "order": lambda: order_rollup.ensure(wh),
                }
                kept[name]()
                continue
            print(
                f"{name} rollup rebuilt in {build() * 1000:.0f} ms (after the rows it is "
                "built from change; every view checks the warehouse's count of writes)"
            )
        from tradewinds.web.routes import overview

        end = date(2023, 12, 31)
        scope = make_scope(start=None, end=end, default_end=end, timezone=TIMEZONE)
        timed = Timed(wh)
        workers = overview.PAGE_WORKERS if args.workers is None else args.workers
        overview.PAGE_WORKERS = workers  # GET / below runs the page with the same setting
        pages = []
        for run in range(args.runs + 1):
            start = time.perf_counter()
            data = overview.build(
                warehouse=timed, scope=scope, currency="GBP", finance=True, workers=workers
            )
            shown = overview.typed(data)  # as the page reads the reports
            overview._figures(shown, "GBP", True)
            for name in overview.TABLES:
                overview._table(name, shown, "GBP")
            if run == 0:  # warm-up
                timed.times.clear()
                continue
            pages.append(time.perf_counter() - start)
        print(
            f"\nOverview, {scope.start} .. {scope.end} ({TIMEZONE} days), {args.runs} runs, "
            f"{args.threads} DuckDB threads, {workers} report(s) side by side "
            "(query times overlap when > 1), no cache, load average before: "
            f"{' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs"
        )
        print(f"{'query':44} {'p50 ms':>8} {'p95 ms':>8}")
        worst = 0.0
        for label, values in sorted(timed.times.items()):
            p95 = pct(values, 95)
            worst = max(worst, p95)
            print(
                f"{label:44} {pct(values, 50):8.1f} {p95:8.1f}"
                f"{'  OVER 300 ms' if p95 > 300 else ''}"
            )
        page95 = pct(pages, 95)
        print(
            f"{'whole page (server time)':44} {pct(pages, 50):8.1f} {page95:8.1f}"
            f"{'  OVER 1 s' if page95 > 1000 else ''}"
        )
        print(f"\nslowest query p95 {worst:.0f} ms, page p95 {page95:.0f} ms (in process)")
        figures = page_figures(data)
    # the same page as a browser gets it: the warehouse file is opened by the app now (and
    # before pandas holds 10M events in this process, which slows every collection of garbage)
    http = page_over_http(args.runs, scope.start, scope.end)
    pandas_out = None
    if not args.no_pandas:
        with open_warehouse(KEY, url=url) as wh:
            pandas_out = pandas_side(wh, scope)
    p50, p95 = pct(http, 50), pct(http, 95)
    print(
        f"\nGET /?from={scope.start}&to={scope.end} through the app, {args.runs} runs: "
        f"p50 {p50:.1f} ms, p95 {p95:.1f} ms — target p95 <= {TARGET_MS} ms: "
        f"{'PASS' if p95 <= TARGET_MS else 'FAIL'} (load average now "
        f"{' '.join(f'{x:.1f}' for x in os.getloadavg())})"
    )
    if pandas_out is not None:
        ms, theirs = pandas_out
        compare(ms, timed)
        print(f"\n{len(figures)} figures of the page checked against pandas:")
        bad = check_figures(figures, theirs)
        print(f"  {'all equal' if not bad else f'{bad} MISMATCH(ES)'}")


def compare(theirs: dict[str, float], timed: Timed) -> None:
    # the page's query that gives the figure (one query may give several: the tiles come
    # with the channels, the countries with the days)
    ours = {
        "spend": ["spend by channel,country,day", "spend"],
        "orders": ["orders (rollup) by channel", "orders (rollup)", "orders"],
        "visitors": ["visitors (rollup)", "visitors"],
        "orders by country": [
            "orders (rollup) by country,day",
            "orders (rollup) by country",
            "orders by country",
        ],
        "orders by channel": [
            "orders (rollup) by channel",
            "orders (rollup)+touches (rollup) by channel",
            "orders+touches (rollup) by channel",
            "orders+touches by channel",
        ],
        "funnel": ["funnel (rollup) by channel", "funnel by channel"],
    }
    print(f"\n{'same figure':24} {'warehouse p50':>14} {'pandas ms':>10} {'ratio':>7}")
    for name, ms in theirs.items():
        mine = next((timed.times[k] for k in ours[name] if timed.times.get(k)), [])
        m = statistics.median(mine) * 1000 if mine else float("nan")
        print(f"{name:24} {m:14.1f} {ms:10.1f} {ms / m:7.1f}x")


if __name__ == "__main__":
    main()
