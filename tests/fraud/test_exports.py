"""Exclusion lists and the evidence pack: read back by pandas with the platforms' column
names; wasted spend adds up by campaign and by placement."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, timedelta
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from tradewinds.fraud import evidence, exports, scoring, wasted
from tradewinds.fraud.rules import load_rules

START = datetime(2026, 11, 2, 9, 0, 0)


@pytest.fixture
def scored(make_stream, make_click):
    farm = [
        make_click(
            ip="159.203.10.20",
            placement="mobileapp::2-com.example.puzzle",
            click_time=(START + timedelta(seconds=3 * i)).isoformat(),
            dwell_seconds=0,
        )
        for i in range(10)
    ]
    meta = [
        make_click(
            ip="3.5.140.9",
            network="meta",
            campaign="Retargeting",
            placement="https://play.google.com/store/apps/details?id=com.example.torch",
            click_time=(START + timedelta(seconds=2 * i)).isoformat(),
        )
        for i in range(8)
    ]
    log = make_stream(farm + meta)
    return log, scoring.score(log, load_rules())


def test_google_ip_exclusions(scored):
    log, scores = scored
    frame = pd.read_csv(io.StringIO(exports.export(log, scores.flagged, "google_ip")))
    assert list(frame.columns) == ["Campaign", "IP address"]
    assert frame.values.tolist() == [["Shopping - gifts", "159.203.10.20"]]


def test_google_placement_exclusions_and_meta_block_list(scored):
    log, scores = scored
    frame = pd.read_csv(io.StringIO(exports.export(log, scores.flagged, "google_placements")))
    assert list(frame.columns) == ["Campaign", "Placement"]
    assert frame["Placement"].tolist() == ["mobileapp::2-com.example.puzzle"]
    block = pd.read_csv(
        io.StringIO(exports.export(log, scores.flagged, "meta_block_list")), header=None
    )
    assert block[0].tolist() == ["https://play.google.com/store/apps/details?id=com.example.torch"]


def test_wasted_spend_adds_up(scored):
    log, scores = scored
    spend = {"google\x1fShopping - gifts": 100.0, "meta\x1fRetargeting": 40.0}
    parts = wasted.breakdowns(log.frame, scores.flagged, spend)
    by_campaign = {r.key: r for r in parts["campaigns"]}
    gifts = by_campaign["google · Shopping - gifts"]
    assert gifts.wasted_spend == wasted.money(100.0 * gifts.invalid_clicks / gifts.clicks)
    total = sum(r.wasted_spend for r in parts["campaigns"])
    assert sum(r.wasted_spend for r in parts["placements"]) == pytest.approx(
        total, abs=Decimal("0.05")
    )
    assert by_campaign["meta · Retargeting"].invalid_rate == 1.0


def test_evidence_pack(scored):
    log, scores = scored
    rows = [int(i) for i in np.flatnonzero(scores.flagged)]
    summary = evidence.summary_html(
        workspace="Sands",
        network="google",
        start=date(2026, 11, 1),
        end=date(2026, 11, 30),
        currency="GBP",
        clicks=len(log),
        invalid=len(rows),
        by_rule=[("burst", 3)],
        campaigns=[],
        definition=str(wasted.DEFINITION),
    )
    pack = evidence.pack(evidence.clicks_csv(log, scores, rows), summary)
    with zipfile.ZipFile(io.BytesIO(pack)) as archive:
        frame = pd.read_csv(archive.open("clicks.csv"))
        html = archive.read("summary.html").decode()
    assert list(frame.columns) == list(evidence.CLICK_COLUMNS) and len(frame) == len(rows)
    assert frame["reasons"].str.contains("data centre").all()
    assert "Invalid-click evidence" in html and "Sands" in html
