"""One Plotly theme for every page: system fonts, one accent colour, no chart junk.

Figures are built server-side as plain dicts (``{"data": [...], "layout": {...}}``) and
drawn in the browser by ``/vendor/plotly.min.js`` with :data:`CONFIG`. A page hands them to
its script in a JSON block written with ``|tojson`` (see ``frame.py``): a figure is never
pasted into a ``<script>`` as text. Every title says what the chart shows and, for money,
in which currency: use :func:`money_title`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from math import ceil
from typing import Any

from tradewinds.web import numbers
from tradewinds.web.i18n import N_
from tradewinds.web.i18n import gettext as _

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Noto Sans Arabic', sans-serif"
ACCENT = "#0b5cad"
# accent first, then muted companions that stay apart for colour-blind readers
PALETTE = ["#0b5cad", "#e08a00", "#5b6470", "#2a9d8f", "#8e44ad", "#c0392b", "#7f8c8d"]
GRID = "#e8eaee"
TEXT = "#1b1f24"
CONFIG = {"displayModeBar": False, "responsive": True}
# what one point of a series covers, in words (translated where shown)
GRAINS = {"day": N_("day"), "week": N_("week"), "month": N_("month")}
#: how a chart dominated by one bar can be read: its amounts, each bar's share of the
#: total, or the amounts on a log scale (the small bars get a length of their own)
VIEWS = {"amount": N_("Amounts"), "share": N_("Share of total"), "log": N_("Log scale")}
#: bars a ranking shows before the rest is summed into one "other" bar
TOP = 8


def money_title(what: str, currency: str) -> str:
    return f"{what} ({currency})"


def layout(*, title: str, height: int = 300, **extra: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "title": {"text": title, "x": 0, "xanchor": "left", "font": {"size": 15}},
        "font": {"family": FONT, "size": 12, "color": TEXT},
        "colorway": PALETTE,
        "height": height,
        "margin": {"t": 40, "r": 10, "b": 40, "l": 56},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "xaxis": {"showgrid": False, "zeroline": False, "automargin": True},
        "yaxis": {"gridcolor": GRID, "zeroline": False, "automargin": True, "rangemode": "tozero"},
        "legend": {"orientation": "h", "y": -0.2},
        "hovermode": "x unified",
    }
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            base[key] = {**base[key], **value}
        else:
            base[key] = value
    return base


#: the half width of one step of each grain, so the first and last point sit inside the axis
_HALF = {
    "day": timedelta(hours=12),
    "week": timedelta(days=3, hours=12),
    "month": timedelta(days=15),
}


def periods(grain: str, start: date, end: date) -> list[date]:
    """The first day of every day, week (from Monday) or month touching ``start`` – ``end``."""
    if grain == "day":
        return [start + timedelta(days=k) for k in range((end - start).days + 1)]
    if grain == "week":
        first = start - timedelta(days=start.weekday())
        return [first + timedelta(weeks=k) for k in range((end - first).days // 7 + 1)]
    if grain == "month":
        out, month = [], start.replace(day=1)
        while month <= end:
            out.append(month)
            month = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
        return out
    raise ValueError(f"grain must be day, week or month, not {grain!r}")


def isolated(text: str) -> str:
    """A label written right to left as one right-to-left run (U+2067 … U+2069) when the
    viewer's locale reads that way: charts are drawn left to right, where an Arabic date
    such as ``10 نوفمبر 2011`` would otherwise show its day and year on the wrong sides."""
    return f"\u2067{text}\u2069" if numbers.right_to_left() else text


def period_label(grain: str, day: date) -> str:
    """What a point of a ``grain`` series is called in the viewer's locale (hover text)."""
    if grain == "month":
        return isolated(numbers.month(day))
    if grain == "week":
        return isolated(_("week of %(day)s", day=numbers.day(day)))
    return isolated(numbers.day(day))


def time_axis(grain: str, start: date, end: date) -> dict[str, Any]:
    """An x axis over ``start`` – ``end`` labelled with dates only, never times of day.

    Plotly reads ``2011-12-01`` as midnight and, on a range of a day or two, ticks hours
    ("23:59:59.999"); this axis fixes its range to the period and writes its own tick
    labels with Babel: days (``10 Nov``, the year on the first tick and where it changes),
    week starts, or months (``Nov 2011``)."""
    steps = periods(grain, start, end)
    every = {
        "day": 1 if len(steps) <= 8 else 7 if len(steps) <= 63 else ceil(len(steps) / 9),
        "week": ceil(len(steps) / 6),
        "month": ceil(len(steps) / 12),
    }[grain]
    ticks = steps[::every]
    labels = []
    for k, tick in enumerate(ticks):
        if grain == "month":
            labels.append(isolated(numbers.month(tick)))
        else:
            year = k == 0 or tick.year != ticks[k - 1].year
            labels.append(isolated(numbers.day(tick, year=year)))
    half = _HALF[grain]
    edges = [
        (datetime.combine(steps[0], time.min) - half).isoformat(sep=" "),
        (datetime.combine(steps[-1], time.min) + half).isoformat(sep=" "),
    ]
    return {
        "type": "date",
        "range": edges,
        "autorange": False,
        "tickmode": "array",
        "tickvals": [t.isoformat() for t in ticks],
        "ticktext": labels,
    }


def _hover_number(value: Any) -> str:
    if value is None:
        return "—"
    whole = float(value).is_integer()
    return numbers.number(value, pattern="#,##0" if whole else "#,##0.00")


def line(
    *,
    x: Sequence[Any],
    series: dict[str, Sequence[Any]],
    title: str,
    y_title: str = "",
    secondary: str | None = None,
    grain: str | None = None,
    period: tuple[date, date] | None = None,
) -> dict[str, Any]:
    """Lines over time; ``secondary`` names a series drawn against a right-hand axis.

    With ``grain`` (day, week or month) and ``period``, ``x`` holds the first day of each
    point and the x axis shows dates only, over the whole period (:func:`time_axis`)."""
    xs = [d.isoformat() if isinstance(d, date) else str(d)[:10] for d in x] if grain else list(x)
    when = [period_label(grain, date.fromisoformat(d)) for d in xs] if grain else []
    data = []
    for name, ys in series.items():
        trace: dict[str, Any] = {
            "type": "scatter",
            "name": name,
            "x": xs,
            "y": list(ys),
            "mode": "lines+markers" if len(xs) < 3 else "lines",
        }
        if grain:  # hover text in the viewer's locale: the point's date and its value
            trace["customdata"] = [[w, _hover_number(v)] for w, v in zip(when, ys, strict=True)]
            trace["hovertemplate"] = (
                "%{customdata[0]}<br>%{fullData.name}: %{customdata[1]}<extra></extra>"
            )
        if name == secondary:
            trace["yaxis"] = "y2"
        data.append(trace)
    extra: dict[str, Any] = {"yaxis": {"title": {"text": y_title}}}
    if grain and period:
        extra["xaxis"] = time_axis(grain, *period)
        extra["hovermode"] = "closest"
    if secondary:
        extra["yaxis2"] = {
            "overlaying": "y",
            "side": "right",
            "showgrid": False,
            "rangemode": "tozero",
            "automargin": True,
            "tickformat": "~s",
            "tickmode": "auto",
            "nticks": 5,
            "tickfont": {"color": PALETTE[len(series) - 1]},
        }
        extra["margin"] = {"r": 48}
    return {"data": data, "layout": layout(title=title, **extra)}


def bars(
    *,
    categories: Sequence[Any],
    series: dict[str, Sequence[Any]],
    title: str,
    horizontal: bool = False,
    y_title: str = "",
) -> dict[str, Any]:
    data = []
    for name, values in series.items():
        trace: dict[str, Any] = {"type": "bar", "name": name}
        if horizontal:
            trace.update(y=list(categories), x=list(values), orientation="h")
        else:
            trace.update(x=list(categories), y=list(values))
        data.append(trace)
    extra: dict[str, Any] = {"barmode": "group", "hovermode": "closest"}
    if horizontal:
        extra["yaxis"] = {
            "autorange": "reversed",
            "gridcolor": "rgba(0,0,0,0)",
            "rangemode": "normal",
        }
        extra["xaxis"] = {"showgrid": True, "gridcolor": GRID, "title": {"text": y_title}}
        extra["height"] = max(220, 28 * len(categories) + 90)
        extra["margin"] = {"l": 120}
    else:
        extra["yaxis"] = {"title": {"text": y_title}}
    return {"data": data, "layout": layout(title=title, **extra)}


def top_n(
    labels: Sequence[str], values: Sequence[float | None], *, top: int, other: str
) -> tuple[list[str], list[float]]:
    """The ``top`` largest ``values`` with their labels, largest first, and the rest summed
    into one bar called ``other`` (only when it stands for two or more)."""
    pairs = sorted(
        ((str(label), float(value or 0)) for label, value in zip(labels, values, strict=True)),
        key=lambda pair: -pair[1],
    )
    if len(pairs) > top + 1:
        pairs = [*pairs[:top], (other, sum(v for _, v in pairs[top:]))]
    return [label for label, _ in pairs], [value for _, value in pairs]


def ranked_bars(
    *,
    labels: Sequence[str],
    values: Sequence[float | None],
    title: str,
    name: str,
    other: str,
    keys: Sequence[str] | None = None,
    value_title: str = "",
    currency: str | None = None,
    top: int = TOP,
) -> dict[str, Any]:
    """Horizontal bars, largest first: the ``top`` largest and one bar for the rest.

    So that the small bars can be read when one dwarfs the others (a UK shop selling 90%
    at home), the figure carries ``views`` — amounts, share of the total, log scale — for
    the page to switch between (``overview.js``); each bar is labelled with its figure in
    the viewer's locale, in short form (``£1.5m``, ``150万``), and its hover gives the full
    figure and its share."""
    names, amounts = top_n(labels, values, top=top, other=other)
    total = sum(amounts)
    shares = [v / total if total else 0.0 for v in amounts]

    def short(v: float) -> str:
        if abs(v) < 10_000:
            return numbers.money(v, currency, whole=True) if currency else numbers.number(v)
        return numbers.compact_money(v, currency) if currency else numbers.compact(v)

    def full(v: float) -> str:
        return numbers.money(v, currency) if currency else numbers.number(v)

    amount_text = [short(v) for v in amounts]
    share_text = [numbers.percent(v) for v in shares]
    figure = bars(categories=names, series={name: amounts}, title=title, horizontal=True)
    trace = figure["data"][0]
    trace.update(
        text=amount_text,
        textposition="auto",
        cliponaxis=False,
        customdata=[[full(v), p] for v, p in zip(amounts, share_text, strict=True)],
        hovertemplate="%{y}: %{customdata[0]} (%{customdata[1]})<extra></extra>",
    )
    figure["layout"]["xaxis"].update(
        title={"text": value_title}, tickformat="~s", nticks=5, type="linear"
    )
    figure["layout"]["legend"] = {"orientation": "h", "y": -0.2}
    figure["layout"]["showlegend"] = False
    if keys is not None:  # what a click on a bar drills into (none for the other countries)
        by_label = dict(zip((str(label) for label in labels), keys, strict=True))
        figure["keys"] = [by_label.get(n) if n != other else None for n in names]
    figure["views"] = [
        {
            "key": "amount",
            "label": _(VIEWS["amount"]),
            "x": amounts,
            "text": amount_text,
            "xaxis": {
                "type": "linear",
                "tickformat": "~s",
                "title": value_title,
                "tickmode": "auto",
            },
        },
        {
            "key": "share",
            "label": _(VIEWS["share"]),
            "x": shares,
            "text": share_text,
            "xaxis": {
                "type": "linear",
                "tickformat": ".0%",
                "title": _(VIEWS["share"]),
                "tickmode": "auto",
            },
        },
        {
            "key": "log",
            "label": _(VIEWS["log"]),
            "x": amounts,
            "text": amount_text,
            "xaxis": {
                "type": "log",
                "tickformat": "~s",
                "tickmode": "linear",  # a tick at each power of ten: 1k, 10k, 100k, 1M
                "tick0": 0,
                "dtick": 1,
                "title": _("%(axis)s, log scale", axis=value_title),
            },
        },
    ]
    return figure


def heatmap(
    *,
    x: Sequence[Any],
    y: Sequence[Any],
    z: Sequence[Sequence[Any]],
    title: str,
    value_format: str = ".0%",
    x_title: str = "",
    y_title: str = "",
    zmax: float | None = None,
) -> dict[str, Any]:
    """Rows ``y`` x columns ``x``; ``zmax`` caps the colour scale (say, to leave out month 0)."""
    return {
        "data": [
            {
                "type": "heatmap",
                "x": list(x),
                "y": list(y),
                "z": [list(r) for r in z],
                "colorscale": [[0, "#f4f7fb"], [1, ACCENT]],
                "xgap": 2,
                "ygap": 2,
                "hovertemplate": f"%{{y}}, month %{{x}}: %{{z:{value_format}}}<extra></extra>",
                "colorbar": {"tickformat": value_format, "thickness": 10},
                **({"zmin": 0, "zmax": zmax} if zmax else {}),
            }
        ],
        "layout": layout(
            title=title,
            height=max(240, 24 * len(y) + 100),
            hovermode="closest",
            xaxis={"title": {"text": x_title}, "dtick": 1},
            yaxis={
                "title": {"text": y_title},
                "autorange": "reversed",
                "type": "category",
                "rangemode": "normal",
                "gridcolor": "rgba(0,0,0,0)",
            },
        ),
    }


def funnel(*, steps: Sequence[str], values: Sequence[int], title: str) -> dict[str, Any]:
    return {
        "data": [
            {
                "type": "funnel",
                "y": list(steps),
                "x": list(values),
                "texttemplate": "%{value:,}<br>%{percentInitial:.0%}",
                "marker": {"color": ACCENT},
            }
        ],
        "layout": layout(
            title=title,
            height=260,
            hovermode="closest",
            margin={"l": 130},
            yaxis={"rangemode": "normal"},
        ),
    }


def html_title(figure: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """Take the title out of ``figure`` to show it as a heading that wraps on a phone."""
    layout = dict(figure["layout"])
    title = layout.pop("title", {}).get("text", "")
    layout["margin"] = {**layout.get("margin", {}), "t": 10}
    return title, {**figure, "layout": layout}


def views_of(figure: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Split a figure's ``views`` (:func:`ranked_bars`) from what Plotly draws."""
    views = figure.get("views") or []
    return {k: v for k, v in figure.items() if k != "views"}, views
