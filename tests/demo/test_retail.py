"""The demo shop generator: seeded, plausible, idempotent, and honest when data is absent."""

from __future__ import annotations

import gzip
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from tradewinds.demo import retail


def test_fx_rates_are_the_ecbs_business_day_rates() -> None:
    rows = retail.fx_rows()
    gbp = {r["date"]: r["rate"] for r in rows if r["quote"] == "GBP"}
    usd = [float(r["rate"]) for r in rows if r["quote"] == "USD"]
    assert min(gbp.values()) > 0.8 and max(gbp.values()) < 0.92
    assert min(usd) > 1.25 and max(usd) < 1.5
    assert gbp[date(2011, 6, 1)] == Decimal("0.87705")  # the ECB's published rate that day
    assert all(r["date"].weekday() < 5 and r["base"] == "EUR" for r in rows)
    assert {r["source"] for r in rows} == {"ecb-bundled"}


def test_ad_spend_covers_the_same_months_in_three_currencies() -> None:
    rates = retail.fx_rows()
    frame = retail.ad_spend_rows(rates=rates)
    assert frame.equals(retail.ad_spend_rows(rates=rates))
    assert dict(frame.groupby("platform")["currency"].first()) == {
        "google": "USD",
        "meta": "EUR",
        "tiktok": "GBP",
        "amazon": "USD",
    }
    assert frame["date"].min() == date(2010, 12, 1) and frame["date"].max() == date(2011, 12, 9)
    assert (frame["clicks"] <= frame["impressions"]).all()
    assert all(v > 0 for v in frame["spend"])
    key = [
        "date",
        "platform",
        "account_id",
        "campaign_id",
        "ad_group_id",
        "ad_id",
        "country",
        "device",
    ]
    assert not frame.duplicated(key).any()


def _small_copy(shared_data: Path, tmp_path: Path, lines: int = 1500) -> Path:
    folder = tmp_path / "data" / "online_retail"
    folder.mkdir(parents=True)
    for part in retail.PARTS:
        with gzip.open(shared_data / "online_retail" / part, "rt") as src:
            head = [next(src) for _ in range(lines)]
        with gzip.open(folder / part, "wt") as out:
            out.writelines(head)
    return folder.parent


@pytest.mark.slow
def test_load_twice_changes_nothing(tw_home, shared_data, tmp_path, monkeypatch) -> None:
    from tradewinds.warehouse import open_warehouse

    data = _small_copy(shared_data, tmp_path)
    monkeypatch.setattr(retail, "shared_data_dir", lambda: data)
    first = retail.load(workspace_key="demo-test")
    assert "Online Retail orders imported" in first
    with open_warehouse("demo-test") as wh:
        counts = {
            t: wh.count(t)
            for t in ("orders", "ad_spend_daily", "events", "fx_rates", "touchpoints")
        }
    second = retail.load(workspace_key="demo-test")
    assert "already loaded" in second
    with open_warehouse("demo-test") as wh:
        assert counts == {t: wh.count(t) for t in counts}
        assert wh.query("SELECT COUNT(DISTINCT currency) AS n FROM ad_spend_daily").scalar() == 3


def test_without_shared_data_the_packaged_orders_are_used(tw_home, tmp_path, monkeypatch) -> None:
    from tradewinds.warehouse import open_warehouse

    monkeypatch.setattr(retail, "shared_data_dir", lambda: tmp_path / "nowhere")
    line = retail.load(workspace_key="demo-packaged")
    assert "non-UK subset shipped with Tradewinds" in line and "nowhere" in line
    assert "46,431 invoice lines" in line
    with open_warehouse("demo-packaged") as wh:
        orders = wh.query("SELECT count(*) FROM orders WHERE storefront = 'online_retail'")
        assert orders.scalar() > 2000
        countries = wh.query(
            "SELECT count(DISTINCT country) FROM orders WHERE storefront = 'online_retail'"
        ).scalar()
        assert countries > 30  # shipped to 37 countries, none of them the UK


@pytest.mark.slow
def test_every_demo_workspace_has_orders_spend_and_import_history(
    app_db, tw_home, tmp_path, monkeypatch
) -> None:
    from sqlalchemy import select

    from tradewinds.db.engine import session_scope
    from tradewinds.db.models.imports import ImportFile
    from tradewinds.demo import DEMO_WORKSPACES, load_demo
    from tradewinds.warehouse import open_warehouse

    monkeypatch.setattr(retail, "shared_data_dir", lambda: tmp_path / "nowhere")
    result = load_demo()
    assert len(result["workspaces"]) == len(DEMO_WORKSPACES) == 2
    for key in result["workspaces"]:
        with open_warehouse(key) as wh:
            assert wh.count("orders") > 2000, key
            assert wh.count("ad_spend_daily") > 0, key
            assert wh.count("customer_pii") > 0, key
    with session_scope() as session:
        files = session.scalars(select(ImportFile)).all()
        assert sorted(f.name for f in files) == ["online_retail_non_uk.csv.gz"] * 2
        assert all(f.read == 46431 and f.status == "done" for f in files)
    again = load_demo()  # loading twice imports nothing twice
    with session_scope() as session:
        assert len(session.scalars(select(ImportFile)).all()) == 2
    assert any("already loaded" in step for step in again["steps"])


def test_demo_prints_the_url_it_will_serve(app_db, tw_home) -> None:
    import json

    from typer.testing import CliRunner

    from tradewinds.cli.main import app as cli

    result = CliRunner().invoke(cli, ["demo", "--login-only", "--port", "8765"])
    assert result.exit_code == 0, result.output
    assert "http://127.0.0.1:8765" in result.output and ":8000" not in result.output
    result = CliRunner().invoke(
        cli, ["demo", "--login-only", "--host", "0.0.0.0", "--port", "9001", "--json"]
    )
    assert json.loads(result.stdout)["url"] == "http://127.0.0.1:9001"
