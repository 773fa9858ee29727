from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date

import pytest

from tradewinds.web import charts, numbers


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


@pytest.fixture
def british() -> Iterator[None]:
    token = numbers._locale.set("en_GB")
    yield
    numbers._locale.reset(token)


def test_top_n_sums_the_rest_into_one_bar() -> None:
    labels = ["UK", "DE", "FR", "NL", "IE", "ES"]
    names, values = charts.top_n(labels, [900, 30, None, 50, 10, 5], top=3, other="Other")
    assert names == ["UK", "NL", "DE", "Other"]
    assert values == [900.0, 50.0, 30.0, 15.0]
    # one country left over keeps its own name: an "other" bar of one says less
    assert charts.top_n(labels[:4], [4, 3, 2, 1], top=3, other="Other")[0] == labels[:4]


def test_ranked_bars_offer_amounts_shares_and_a_log_scale(british: None) -> None:
    countries = [f"country {k}" for k in range(12)]
    revenue = [1_500_000.0, *[30_000.0 - 1000 * k for k in range(11)]]
    fig = charts.ranked_bars(
        labels=countries,
        values=revenue,
        title="Revenue by customer country (GBP)",
        name="Revenue",
        other="Other countries",
        value_title="GBP",
        currency="GBP",
    )
    trace = fig["data"][0]
    assert trace["orientation"] == "h" and len(trace["y"]) == charts.TOP + 1
    assert trace["y"][-1] == "Other countries"
    assert trace["x"][-1] == sum(revenue[charts.TOP :])
    assert trace["text"][0] == "£1.5m" and trace["customdata"][0][0] == "£1,500,000.00"
    views = {v["key"]: v for v in fig["views"]}
    assert list(views) == ["amount", "share", "log"]
    assert sum(views["share"]["x"]) == pytest.approx(1.0)
    assert views["share"]["text"][0] == numbers.percent(1_500_000 / sum(revenue))
    assert views["log"]["xaxis"]["type"] == "log" and views["amount"]["xaxis"]["type"] == "linear"
    plain, split = charts.views_of(fig)
    assert "views" not in plain and split == fig["views"]


def test_ranked_bars_in_chinese_use_its_own_short_forms() -> None:
    token = numbers._locale.set("zh_CN")
    try:
        fig = charts.ranked_bars(
            labels=["英国", "爱尔兰"], values=[1_703_808, 34_048], title="t", name="n", other="o"
        )
    finally:
        numbers._locale.reset(token)
    assert fig["data"][0]["text"] == ["170.4万", "3.4万"]


def test_dates_on_an_arabic_time_axis_are_one_right_to_left_run() -> None:
    token = numbers._locale.set("ar")
    try:
        axis = charts.time_axis("day", date(2011, 11, 10), date(2011, 12, 9))
        hover = charts.period_label("week", date(2011, 11, 7))
    finally:
        numbers._locale.reset(token)
    assert axis["ticktext"][0] == "\u206710 نوفمبر 2011\u2069"
    assert hover.startswith("\u2067") and hover.endswith("\u2069")
    english = charts.time_axis("day", date(2011, 11, 10), date(2011, 12, 9))
    assert english["ticktext"][0] == "10 Nov 2011"
