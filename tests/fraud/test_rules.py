"""Each rule on a constructed click stream: the invalid clicks flagged with the right
reason, the ordinary ones not flagged."""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pytest

from tradewinds.errors import InvalidInput
from tradewinds.fraud import rules, scoring
from tradewinds.fraud.rules import REASONS, load_rules

START = datetime(2026, 11, 2, 9, 0, 0)  # the constructed streams' first click

N_ORDINARY = 40


def verdicts(log, rule_set=None):
    rule_set = rule_set or load_rules()
    scores = scoring.score(log, rule_set)
    return scores, [{r.code for r in scores.reasons(i)} for i in range(len(log))]


def test_ordinary_traffic_is_not_flagged(make_stream):
    scores, reasons = verdicts(make_stream([]))
    assert not scores.flagged.any()
    assert not any(r - {"ip"} for r in reasons)  # no rule fires on people


def test_a_burst_from_one_ip(make_stream, make_click):
    burst = [
        make_click(ip="92.40.1.9", click_time=(START + timedelta(seconds=2 * i)).isoformat())
        for i in range(12)
    ]
    scores, reasons = verdicts(make_stream(burst))
    assert scores.flagged[N_ORDINARY:].all()
    assert all("ip_burst" in r for r in reasons[N_ORDINARY:])
    assert not scores.flagged[:N_ORDINARY].any()


def test_a_data_centre_ip(make_stream, make_click):
    scores, reasons = verdicts(make_stream([make_click(ip="3.5.140.2")]))
    assert scores.flagged[-1] and "datacentre_ip" in reasons[-1]
    text = [str(r.text) for r in scores.reasons(len(reasons) - 1) if r.code == "datacentre_ip"]
    assert "Amazon Web Services" in text[0]


@pytest.mark.parametrize(
    ("agent", "rule"),
    [
        (
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/120.0 Safari/537.36",
            "headless_browser",
        ),
        (
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "bot_user_agent",
        ),
        ("python-requests/2.32.3", "bot_user_agent"),
    ],
)
def test_bot_and_headless_user_agents(make_stream, make_click, agent, rule):
    scores, reasons = verdicts(make_stream([make_click(user_agent=agent)]))
    assert scores.flagged[-1] and rule in reasons[-1]


def test_a_two_second_click_to_install(make_stream, make_click):
    fast = make_click(
        click_time=START.isoformat(), conversion_time=(START + timedelta(seconds=2)).isoformat()
    )
    scores, reasons = verdicts(make_stream([fast]))
    assert scores.flagged[-1] and "fast_conversion" in reasons[-1]
    assert not any("fast_conversion" in r for r in reasons[:N_ORDINARY])


def test_a_country_outside_the_campaigns_targets(make_stream, make_click):
    rule_set = load_rules()
    rule_set.targets = {"Shopping - gifts": ["GB", "DE"]}
    scores, reasons = verdicts(make_stream([make_click(country="VN")]), rule_set)
    assert scores.flagged[-1] and "outside_target_country" in reasons[-1]
    assert not any("outside_target_country" in r for r in reasons[:N_ORDINARY])


def test_duplicate_click_ids_and_empty_sessions(make_stream, make_click):
    dupe = make_click(click_id="g-3")
    bounce = make_click(dwell_seconds=0, scroll_depth=0, page_views=0)
    scores, reasons = verdicts(make_stream([dupe, bounce]))
    assert "duplicate_click_id" in reasons[-2] and scores.flagged[-2]
    assert {"zero_dwell", "no_scroll", "no_page_view"} <= reasons[-1] and scores.flagged[-1]


def test_rule_score_is_a_noisy_or_of_weights(make_stream, make_click):
    bounce = make_click(dwell_seconds=0, scroll_depth=0, page_views=0)
    hits = rules.apply(make_stream([bounce]), load_rules())
    assert hits.score[-1] == pytest.approx(1 - 0.4 * 0.7 * 0.3)
    assert np.all(hits.score[:N_ORDINARY] == 0)


def test_shipped_reasons_are_in_the_catalogs():
    assert {r.reason for r in load_rules().rules} <= set(REASONS)


def test_a_bad_rules_file_names_the_field(tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_text("version: x\nrules:\n  - {id: a, kind: burst, weight: 0.5, reason: r}\n")
    with pytest.raises(InvalidInput, match="needs by, window_seconds, max_clicks"):
        load_rules(path)
