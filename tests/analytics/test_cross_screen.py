"""Every screen shows the same figure for the same period, on DuckDB and on PostgreSQL.

A real slice of Online Retail (imported through the normal importer), the demo's ad spend,
storefront events, customer journeys and consent, storefront orders recorded from
``Order Completed`` events, plus a cancelled and a zero-value order. Each figure is then
read through every screen and route that shows it: the Overview's tiles (parsed from the
page), ``/api/v1/metrics`` and ``/metrics/summary``, ``tradewinds metrics --json``, the
Attribution page, API and CLI, the Segments and Audience-export pages, the audiences API
and CLI. They must be equal, and where a screen counts differently its "counted" plus
"left out" must be the figure every other screen shows. The figures themselves are
checked against a plain pandas reading of the rows.
"""

from __future__ import annotations

import gzip
import html
import json
import re
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from tests.conftest import SHARED_DATA, make_tenant
from tests.services import need_postgres
from tests.web.browser import login
from tradewinds.config import reset_settings
from tradewinds.db.engine import dispose_engines

FROM, TO = date(2011, 11, 26), date(2011, 12, 9)
PERIOD = f"from={FROM}&to={TO}"
SLICE_START = "2011-11-01"  # orders before the period make some customers returning


@dataclass
class World:
    api: TestClient
    web: TestClient
    headers: dict[str, str]
    name: str
    key: str
    backend: str


def _slice(tmp: Path) -> Path:
    """The Online Retail lines of November–December 2011, as the seller's own file."""
    src = SHARED_DATA / "online_retail" / "online_retail_2011-09_2011-12.csv.gz"
    if not src.exists():
        pytest.skip(f"shared data not found at {src}")
    out = tmp / "online_retail_2011-11.csv"
    with gzip.open(src, "rt") as fh, out.open("w") as dst:
        dst.write(fh.readline())
        for line in fh:
            when = line.split(",")
            if any(part[:10] >= SLICE_START for part in when if part[:4] == "2011"):
                dst.write(line)
    return out


def _session_events() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Hand-made storefront visits whose sessions are known, and the orders they placed
    (built by the collector's own code from their ``Order Completed`` events)."""
    from tradewinds.ingest.ecommerce import placed_order

    base = datetime(2011, 12, 2, 9, 0)
    events, orders = [], []

    def event(
        n: int,
        who: str,
        at: datetime,
        name: str = "Product Viewed",
        *,
        session: str | None = None,
        order: str | None = None,
    ) -> None:
        context: dict[str, Any] = {"location": {"country": "GB"}}
        if session:
            context["sessionId"] = session
        properties: dict[str, Any] = {}
        if order:
            properties = {"order_id": order, "total": 40.0, "currency": "GBP"}
        events.append(
            {
                "message_id": f"xs-{n}",
                "type": "track",
                "event": name,
                "anonymous_id": who,
                "user_id": None,
                "timestamp": at,
                "properties": properties,
                "context": context,
            }
        )
        if order:
            row, _lines = placed_order(
                {
                    "event": name,
                    "userId": None,
                    "anonymousId": who,
                    "timestamp": at.replace(tzinfo=UTC).isoformat(),
                    "properties": properties,
                    "context": context,
                },
                storefront="web",
            )
            orders.append(row)

    # one visitor, three events: 0 and +10 min are one session, +50 min starts another
    event(1, "xs-a", base)
    event(2, "xs-a", base + timedelta(minutes=10))
    event(3, "xs-a", base + timedelta(minutes=50), "Order Completed", order="web-1")
    # the storefront's own session ids split one visitor's close events in two
    event(4, "xs-b", base, session="s1")
    event(5, "xs-b", base + timedelta(minutes=5), "Order Completed", session="s2", order="web-2")
    # a session that began 10 minutes before the period continues into it: not counted
    start = datetime.combine(FROM, datetime.min.time())
    event(6, "xs-c", start - timedelta(minutes=10))
    event(7, "xs-c", start + timedelta(minutes=5), "Order Completed", order="web-3")
    return events, orders


def _load(key: str, tmp: Path) -> None:
    from tradewinds.attribution.demo import journey_rows
    from tradewinds.demo import retail, retail_customers
    from tradewinds.ingest.service import import_file
    from tradewinds.warehouse import open_warehouse

    with open_warehouse(key) as wh:
        report = import_file(warehouse=wh, path=_slice(tmp))
        assert report.imported > 0, report
        rates = retail.fx_rows()
        spend = retail.ad_spend_rows(rates=rates)
        wh.load("ad_spend_daily", spend[spend["date"] >= date(2011, 10, 1)])
        recent = wh.query_df(
            "SELECT ordered_at, country FROM orders WHERE total > 0 AND ordered_at >= ?",
            [datetime(2011, 11, 8)],
        )
        wh.load("events", retail.event_rows(orders=recent, days=30))
        events, orders = _session_events()
        wh.load("events", pd.DataFrame(events))
        journeys = journey_rows(customers=200, end=TO, days=40, currency="GBP", seed=3)
        for table in ("identities", "touchpoints", "orders"):
            wh.load(table, journeys[table])
        wh.load("orders", orders)
        odd = []
        for oid, total, status in (
            ("x-cancelled", "75.00", "cancelled"),
            ("x-zero", "0.00", "paid"),
        ):
            odd.append(
                {
                    "order_id": oid,
                    "customer_id": "demo-cust-00001",
                    "storefront": "shopify",
                    "ordered_at": datetime(2011, 12, 3, 10),
                    "country": "GB",
                    "currency": "GBP",
                    "total": Decimal(total),
                    "refunded": None,
                    "status": status,
                    "source": "test",
                }
            )
        wh.load("orders", odd)
    retail_customers.load(workspace_key=key)


@pytest.fixture(scope="module", params=["duckdb", "postgres"])
def world(request: pytest.FixtureRequest, tmp_path_factory) -> Iterator[World]:
    from tradewinds.app import create_app
    from tradewinds.db.migrate import upgrade

    home: Path = tmp_path_factory.mktemp("home")
    env = pytest.MonkeyPatch()
    with ExitStack() as stack:
        stack.callback(env.undo)
        env.setenv("TRADEWINDS_HOME", str(home))
        env.setenv("TRADEWINDS_DATABASE_URL", f"sqlite:///{home / 'app.db'}")
        pg_url = None
        if request.param == "postgres":
            pg_url = need_postgres()
            env.setenv("TRADEWINDS_WAREHOUSE_URL", pg_url)
        else:
            env.delenv("TRADEWINDS_WAREHOUSE_URL", raising=False)
        reset_settings()
        stack.callback(reset_settings)
        stack.callback(dispose_engines)
        upgrade()
        tenant = make_tenant(f"Cross {uuid.uuid4().hex[:8]}")
        if pg_url:
            stack.callback(_drop_schema, pg_url, tenant.workspace_key)
        _load(tenant.workspace_key, home)
        app = create_app()
        api = stack.enter_context(TestClient(app, base_url="https://testserver"))
        web = stack.enter_context(TestClient(app, base_url="https://testserver"))
        assert login(web, tenant.owner_email, tenant.owner_password).status_code == 303
        yield World(api, web, tenant.headers, tenant.name, tenant.workspace_key, request.param)


def _drop_schema(url: str, key: str) -> None:
    import sqlalchemy as sa

    from tradewinds.warehouse.factory import postgres_schema_name
    from tradewinds.warehouse.postgres_roles import console_role_name

    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{postgres_schema_name(key)}" CASCADE'))
        conn.execute(
            sa.text(f'DROP ROLE IF EXISTS "{console_role_name(postgres_schema_name(key))}"')
        )
    engine.dispose()


# -- reading figures off each screen ---------------------------------------------------


def number(text: str) -> float:
    """A figure as the page prints it (``£1,703,808``, ``16.29×``, ``8.5%``)."""
    cleaned = re.sub(r"[^\d.\-]", "", text.replace("−", "-"))
    value = float(cleaned)
    return value / 100 if text.strip().endswith("%") else value


def _text(markup: str) -> str:
    """A tile's label or figure as read: the full figure of a tile that also has a short
    one (``<span class="full">``), any link or tag around it left out."""
    full = re.search(r'<span class="full">(.*?)</span>', markup, re.S)
    return re.sub(r"<[^>]+>", "", full.group(1) if full else markup).strip()


def tiles(page: str) -> dict[str, tuple[str, str]]:
    """``data-metric`` -> (label, value) of a page's tiles."""
    text = html.unescape(page)
    found = re.findall(
        r'<div class="tile" data-metric="([^"]+)"><div class="label">(.*?)</div>\s*'
        r'<div class="value[^"]*"[^>]*>(.*?)</div>',
        text,
        re.S,
    )
    return {m: (_text(label), _text(value)) for m, label, value in found}


def labelled_tiles(page: str) -> dict[str, str]:
    text = html.unescape(page)
    found = re.findall(
        r'<div class="label">(.*?)</div>\s*<div class="value[^"]*"[^>]*>(.*?)</div>', text, re.S
    )
    return {_text(label): _text(value) for label, value in found}


def shown(value: str, expected: float, *, whole_money: bool = False) -> None:
    """The printed figure is ``expected`` to the precision it is printed with."""
    got = number(value)
    places = len(value.split(".")[1].rstrip("%×")) if "." in value else 0
    tolerance = 0.5 * 10**-places + 1e-9
    if value.strip().endswith("%"):
        tolerance /= 100
    assert abs(got - expected) <= tolerance, (value, expected, whole_money)


def cli_json(*args: str) -> Any:
    from tradewinds.cli.main import app

    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _utc(values: pd.Series) -> pd.Series:
    """Stored times as naive UTC (the period's days are GMT: London in winter)."""
    return pd.to_datetime(values, utc=True).dt.tz_localize(None)


def reference(world: World) -> dict[str, float]:
    """The figures from the raw rows with pandas (the definitions in plain code)."""
    from tradewinds.warehouse import open_warehouse

    with open_warehouse(world.key) as wh:
        orders = wh.query_df(
            "SELECT order_id, customer_id, ordered_at, total, status, source FROM orders"
        )
        events = wh.query_df('SELECT anonymous_id, user_id, "timestamp", context FROM events')
    orders["total"] = orders["total"].astype(float)
    start = pd.Timestamp(FROM)
    end = pd.Timestamp(TO + timedelta(days=1))
    live = (orders["total"] > 0) & ~orders["status"].fillna("").str.lower().isin(
        ["cancelled", "canceled", "voided"]
    )
    when = _utc(orders["ordered_at"])
    period = live & (when >= start) & (when < end)
    ctx = events["context"].map(lambda c: c if isinstance(c, dict) else json.loads(c or "{}"))
    events["sid"] = [
        c.get("sessionId") or a or u
        for c, a, u in zip(ctx, events["anonymous_id"], events["user_id"], strict=True)
    ]
    events["ts"] = _utc(events["timestamp"])
    events = events[(events["ts"] >= start - pd.Timedelta(minutes=30)) & (events["ts"] < end)]
    events = events.sort_values(["sid", "ts"])
    gap = events.groupby("sid")["ts"].diff()
    starts = (gap.isna() | (gap > pd.Timedelta(minutes=30))) & (events["ts"] >= start)
    return {
        "orders": float(period.sum()),
        "revenue": float(orders.loc[period, "total"].sum()),
        "customers": float(orders.loc[period, "customer_id"].dropna().nunique()),
        "customers_all": float(orders.loc[live, "customer_id"].dropna().nunique()),
        "storefront_orders": float((period & (orders["source"] == "events")).sum()),
        "sessions": float(starts.sum()),
    }


# -- the test ----------------------------------------------------------------------------

KPIS = (
    "orders",
    "revenue",
    "net_revenue",
    "new_customers",
    "customers",
    "spend",
    "roas",
    "cac",
    "conversion_rate",
    "storefront_orders",
    "sessions",
)


def test_every_screen_shows_the_same_figures(world: World) -> None:
    ref = reference(world)
    api = world.api.get(f"/api/v1/metrics?{PERIOD}&metrics={','.join(KPIS)}", headers=world.headers)
    assert api.status_code == 200, api.text
    body = api.json()
    figures = body["rows"][0]

    # the definitions, against plain pandas
    assert figures["orders"] == ref["orders"] > 0
    assert figures["revenue"] == pytest.approx(ref["revenue"], abs=0.01)
    assert figures["customers"] == ref["customers"]
    assert figures["storefront_orders"] == ref["storefront_orders"] == 3
    assert figures["sessions"] == ref["sessions"] > 0
    assert figures["conversion_rate"] == pytest.approx(
        ref["storefront_orders"] / ref["sessions"], abs=1e-6
    )
    conversion = body["coverage"][0]
    assert conversion["counted"] + sum(conversion["left_out"].values()) == figures["orders"]

    # the summary route and the CLI read the same service
    summary = world.api.get(f"/api/v1/metrics/summary?{PERIOD}", headers=world.headers)
    assert summary.status_code == 200, summary.text
    by_name = {f["name"]: f["value"] for f in summary.json()["figures"]}
    cli = cli_json("metrics", "-w", world.name, "--from", str(FROM), "--to", str(TO), "--json")
    cli_figures = {f["name"]: f["value"] for f in cli["figures"]}
    for name in KPIS:
        assert by_name[name] == figures[name], name
        assert cli_figures[name] == figures[name], name
    assert summary.json()["coverage"] == cli["coverage"] == body["coverage"]

    # the Overview's tiles, as printed
    page = world.web.get(f"/?{PERIOD}")
    assert page.status_code == 200
    shown_tiles = tiles(page.text)
    for name in (
        "orders",
        "revenue",
        "net_revenue",
        "new_customers",
        "spend",
        "roas",
        "cac",
        "conversion_rate",
    ):
        shown(shown_tiles[name][1], figures[name])
    assert shown_tiles["conversion_rate"][0] == "Conversion rate (storefront orders ÷ sessions)"
    label = html.unescape(
        re.search(
            r'data-metric="conversion_rate".*?data-testid="tile-note"[^>]*>(.*?)</div>',
            page.text,
            re.S,
        ).group(1)
    )
    assert f"{int(figures['storefront_orders']):,} storefront orders" in label
    assert f"{int(figures['sessions']):,} storefront sessions" in label
    left = int(figures["orders"] - figures["storefront_orders"])
    assert f"{left:,} of the period's {int(figures['orders']):,} orders" in label

    # attribution credits part of the orders and says what it leaves out
    attribution = world.api.get(f"/api/v1/attribution?{PERIOD}", headers=world.headers).json()
    assert attribution["orders_in_period"] == figures["orders"]
    assert attribution["revenue_in_period"] == pytest.approx(figures["revenue"], abs=0.01)
    assert attribution["total_spend"] == pytest.approx(figures["spend"], abs=0.01)
    assert attribution["store_roas"] == pytest.approx(figures["roas"], abs=1e-6)
    credited = sum(c["conversions"] for c in attribution["channels"])
    assert attribution["orders_credited"] == pytest.approx(credited)
    assert 0 < credited < figures["orders"]
    assert credited + sum(attribution["orders_not_credited"].values()) == pytest.approx(
        figures["orders"]
    )
    assert attribution["revenue_credited"] + sum(
        attribution["revenue_not_credited"].values()
    ) == pytest.approx(figures["revenue"], abs=0.05)
    for channel in attribution["channels"]:
        if channel["roas"] == 0:  # a real zero: the channel had tracked touches
            assert channel["roas_note"] is None
        if channel["spend"] and channel["roas"] is None:
            assert channel["roas_note"], channel
    cli_attr = cli_json(
        "attribution",
        "run",
        "--workspace",
        world.name,
        "--from",
        str(FROM),
        "--to",
        str(TO),
        "--json",
    )
    for key in (
        "orders_in_period",
        "orders_credited",
        "orders_not_credited",
        "revenue_in_period",
        "total_spend",
        "store_roas",
    ):
        assert cli_attr[key] == attribution[key], key
    attr_page = world.web.get(f"/attribution?{PERIOD}")
    attr_tiles = tiles(attr_page.text)
    shown(attr_tiles["orders"][1], figures["orders"])
    shown(attr_tiles["orders_credited"][1], credited)
    shown(attr_tiles["revenue"][1], figures["revenue"])
    shown(attr_tiles["spend"][1], figures["spend"])
    shown(attr_tiles["roas"][1], figures["roas"])
    note = html.unescape(attr_page.text)
    assert (
        f"{int(figures['orders']):,} orders in the period; {round(credited):,} have a "
        f"tracked journey and are credited here"
    ) in note

    # customers: one definition for the metrics API, Segments and audience exports
    first, last = "2010-12-01", str(TO)
    everyone = world.api.get(
        f"/api/v1/metrics?from={first}&to={last}&metrics=customers", headers=world.headers
    ).json()["rows"][0]["customers"]
    assert everyone == ref["customers_all"]
    rfm = world.api.get("/api/v1/audiences/rfm", headers=world.headers).json()
    assert rfm["customers_total"] == everyone
    cover = rfm["coverage"][0]
    assert cover["counted"] == rfm["customers"]
    assert cover["counted"] + sum(cover["left_out"].values()) == everyone
    segments = labelled_tiles(world.web.get("/customers").text)
    shown(segments["Customers"], rfm["customers"])
    assert (
        cli_json("audiences", "rfm", "-w", world.name, "--json")["customers"] == (rfm["customers"])
    )
    preview = world.api.get("/api/v1/audiences/exports", headers=world.headers).json()
    assert preview["customers"] == rfm["customers"]
    assert (
        preview["exported"] + preview["skipped_no_consent"] + (preview["skipped_no_identifier"])
        == rfm["customers"]
    )
    assert 0 < preview["exported"] < rfm["customers"]
    exports_page = html.unescape(world.web.get("/customers/exports").text)
    assert (
        f"{preview['exported']:,} of your {rfm['customers']:,} customers agreed to marketing"
    ) in exports_page
    assert f"{preview['skipped_no_consent']:,} without marketing consent" in exports_page
    made = world.api.post(
        "/api/v1/audiences/exports", headers=world.headers, json={"platform": "meta"}
    )
    assert made.status_code == 200, made.text
    assert int(made.headers["X-Rows"]) == preview["exported"]
    assert int(made.headers["X-Customers"]) == rfm["customers"]
    assert len(made.text.splitlines()) - 1 == preview["exported"]
