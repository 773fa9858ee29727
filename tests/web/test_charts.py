from __future__ import annotations

import json

from tradewinds.web import charts


def test_theme_and_titles() -> None:
    fig = charts.line(
        x=["2024-01-01"],
        series={"Revenue": [1.0], "Ad spend": [0.5]},
        title=charts.money_title("Revenue per day", "GBP"),
        secondary="Ad spend",
    )
    layout = fig["layout"]
    assert layout["title"]["text"] == "Revenue per day (GBP)"
    assert layout["font"]["family"] == charts.FONT and layout["colorway"][0] == charts.ACCENT
    assert fig["data"][1]["yaxis"] == "y2"


def test_figure_json_block_cannot_close_the_script() -> None:
    from tradewinds.web.frame import templates

    fig = charts.bars(
        categories=["</script><b>", "\u2028", float("nan")], series={"x": [1]}, title="t"
    )
    block = templates.env.from_string(
        '<script type="application/json" id="d">{{ fig|tojson }}</script>'
    ).render(fig=fig)
    text = block.removeprefix('<script type="application/json" id="d">').removesuffix("</script>")
    assert "<" not in text and ">" not in text and "\u2028" not in text
    assert json.loads(text)["data"][0]["x"] == ["</script><b>", "\u2028", None]
