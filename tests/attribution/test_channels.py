from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tradewinds.attribution.channels import ChannelRulesError, group_channels, load_rules

RULES = load_rules()


@pytest.mark.parametrize(
    ("touch", "channel"),
    [
        ({"gclid": "abc", "source": "google", "medium": "cpc"}, "paid_search"),
        ({"source": "bing", "medium": "cpc"}, "paid_search"),
        ({"source": "facebook", "medium": "cpc"}, "paid_social"),
        ({"source": "tiktok", "ttclid": "x"}, "paid_social"),
        ({"fbclid": "x", "referrer": "https://l.facebook.com/"}, "social"),
        ({"source": "klaviyo", "medium": "Email"}, "email"),
        ({"medium": "newsletter"}, "email"),
        ({"referrer": "https://mail.google.com/mail/u/0/"}, "email"),
        ({"referrer": "https://www.google.co.uk/search?q=mugs"}, "organic_search"),
        ({"referrer": "https://www.instagram.com/"}, "social"),
        ({"referrer": "https://giftguide.example.org/best"}, "referral"),
        ({"medium": "affiliate", "source": "awin"}, "affiliate"),
        ({"source": "partner-site"}, "other"),
        ({}, "direct"),
    ],
)
def test_default_rules(touch: dict, channel: str) -> None:
    assert RULES.channel_of(touch) == channel


def test_spend_channels() -> None:
    assert RULES.spend_channel("Google") == "paid_search"
    assert RULES.spend_channel("meta") == "paid_social"
    assert RULES.spend_channel("newplatform") == "newplatform"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (
            "version: 1\nrules:\n  - channel: x\n    when: [{field: medium, matches: '('}]\n",
            "bad regular expression",
        ),
        (
            "version: 1\nrules:\n  - channel: x\n    when: [{field: medium, present: true, "
            "equals: [a]}]\n",
            "exactly one",
        ),
        (
            "version: 1\nrules:\n  - channel: x\n    when: [{field: colour, present: true}]\n",
            "rules.0.when.0.field",
        ),
        ("rules: [\n", "not valid YAML"),
    ],
)
def test_bad_rule_files_say_where(tmp_path: Path, text: str, words: str) -> None:
    file = tmp_path / "rules.yaml"
    file.write_text(text)
    with pytest.raises(ChannelRulesError, match="rules.yaml") as info:
        load_rules(file)
    assert words in str(info.value)


def test_own_rules(tmp_path: Path) -> None:
    file = tmp_path / "rules.yaml"
    file.write_text(
        "version: 1\nrules:\n"
        "  - channel: influencers\n    when: [{field: campaign, matches: '^creator-'}]\n"
        "  - channel: everything_else\n    when: []\n"
    )
    rules = load_rules(file)
    assert rules.channel_of({"campaign": "creator-anna"}) == "influencers"
    assert rules.channel_of({"campaign": "spring"}) == "everything_else"


values = st.one_of(st.none(), st.sampled_from(["google", "cpc", "email", "facebook", "", "x"]))


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "source": values,
                "medium": values,
                "gclid": values,
                "fbclid": values,
                "referrer": st.one_of(
                    st.none(), st.sampled_from(["https://www.google.com/", "https://a.b/"])
                ),
            }
        ),
        min_size=1,
        max_size=30,
    )
)
def test_grouping_a_frame_equals_grouping_each_touch(rows: list[dict]) -> None:
    frame = pd.DataFrame(rows)
    grouped = group_channels(frame, RULES)
    assert list(grouped) == [RULES.channel_of(r) for r in rows]
