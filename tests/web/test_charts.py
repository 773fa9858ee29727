from __future__ import annotations

import json

from tradewinds.web import charts


def test_theme_and_titles() -> None:
    fig = charts.line(x=["2024-01-01"], series={"Revenue": [1.0], "Ad spend": [0.5]},
                      title=charts.money_title("Revenue per day", "GBP"), secondary="Ad spend")
    layout = fig["layout"]
    assert layout["title"]["text"] == "Revenue per day (GBP)"
    assert layout["font"]["family"] == charts.FONT and layout["colorway"][0] == charts.ACCENT
    assert fig["data"][1]["yaxis"] == "y2"


def test_inline_json_cannot_close_the_script() -> None:
    text = charts.to_json(charts.bars(categories=["</script><b>"], series={"x": [1]},
                                      title="t"))
    assert "</script>" not in text and json.loads(text)["data"][0]["x"] == ["</script><b>"]
