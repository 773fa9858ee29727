"""One Plotly theme for every page: system fonts, one accent colour, no chart junk.

Figures are built server-side as plain dicts (``{"data": [...], "layout": {...}}``) and
drawn in the browser by ``/vendor/plotly.min.js`` with :data:`CONFIG`. A page hands them to
its script in a JSON block written with ``|tojson`` (see ``frame.py``): a figure is never
pasted into a ``<script>`` as text. Every title says what the chart shows and, for money,
in which currency: use :func:`money_title`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Noto Sans Arabic', sans-serif"
ACCENT = "#0b5cad"
# accent first, then muted companions that stay apart for colour-blind readers
PALETTE = ["#0b5cad", "#e08a00", "#5b6470", "#2a9d8f", "#8e44ad", "#c0392b", "#7f8c8d"]
GRID = "#e8eaee"
TEXT = "#1b1f24"
CONFIG = {"displayModeBar": False, "responsive": True}


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
        "yaxis": {"gridcolor": GRID, "zeroline": False, "automargin": True,
                  "rangemode": "tozero"},
        "legend": {"orientation": "h", "y": -0.2},
        "hovermode": "x unified",
    }
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            base[key] = {**base[key], **value}
        else:
            base[key] = value
    return base


def line(*, x: Sequence[Any], series: dict[str, Sequence[Any]], title: str,
         y_title: str = "", secondary: str | None = None) -> dict[str, Any]:
    """Lines over time; ``secondary`` names a series drawn against a right-hand axis."""
    data = []
    for name, ys in series.items():
        trace: dict[str, Any] = {"type": "scatter", "mode": "lines", "name": name,
                                 "x": list(x), "y": list(ys)}
        if name == secondary:
            trace["yaxis"] = "y2"
        data.append(trace)
    extra: dict[str, Any] = {"yaxis": {"title": {"text": y_title}}}
    if secondary:
        extra["yaxis2"] = {"overlaying": "y", "side": "right", "showgrid": False,
                           "rangemode": "tozero", "automargin": True, "tickformat": "~s",
                           "tickmode": "auto", "nticks": 5,
                           "tickfont": {"color": PALETTE[len(series) - 1]}}
        extra["margin"] = {"r": 48}
    return {"data": data, "layout": layout(title=title, **extra)}


def bars(*, categories: Sequence[Any], series: dict[str, Sequence[Any]], title: str,
         horizontal: bool = False, y_title: str = "") -> dict[str, Any]:
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
        extra["yaxis"] = {"autorange": "reversed", "gridcolor": "rgba(0,0,0,0)",
                          "rangemode": "normal"}
        extra["xaxis"] = {"showgrid": True, "gridcolor": GRID, "title": {"text": y_title}}
        extra["height"] = max(220, 28 * len(categories) + 90)
        extra["margin"] = {"l": 120}
    else:
        extra["yaxis"] = {"title": {"text": y_title}}
    return {"data": data, "layout": layout(title=title, **extra)}


def heatmap(*, x: Sequence[Any], y: Sequence[Any], z: Sequence[Sequence[Any]], title: str,
            value_format: str = ".0%", x_title: str = "", y_title: str = "",
            zmax: float | None = None) -> dict[str, Any]:
    """Rows ``y`` x columns ``x``; ``zmax`` caps the colour scale (say, to leave out month 0)."""
    return {
        "data": [{
            "type": "heatmap", "x": list(x), "y": list(y), "z": [list(r) for r in z],
            "colorscale": [[0, "#f4f7fb"], [1, ACCENT]], "xgap": 2, "ygap": 2,
            "hovertemplate": f"%{{y}}, month %{{x}}: %{{z:{value_format}}}<extra></extra>",
            "colorbar": {"tickformat": value_format, "thickness": 10},
            **({"zmin": 0, "zmax": zmax} if zmax else {}),
        }],
        "layout": layout(
            title=title, height=max(240, 24 * len(y) + 100), hovermode="closest",
            xaxis={"title": {"text": x_title}, "dtick": 1},
            yaxis={"title": {"text": y_title}, "autorange": "reversed", "type": "category",
                   "rangemode": "normal", "gridcolor": "rgba(0,0,0,0)"},
        ),
    }


def funnel(*, steps: Sequence[str], values: Sequence[int], title: str) -> dict[str, Any]:
    return {
        "data": [{"type": "funnel", "y": list(steps), "x": list(values),
                  "texttemplate": "%{value:,}<br>%{percentInitial:.0%}",
                  "marker": {"color": ACCENT}}],
        "layout": layout(title=title, height=260, hovermode="closest",
                         margin={"l": 130}, yaxis={"rangemode": "normal"}),
    }


def html_title(figure: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """Take the title out of ``figure`` to show it as a heading that wraps on a phone."""
    layout = dict(figure["layout"])
    title = layout.pop("title", {}).get("text", "")
    layout["margin"] = {**layout.get("margin", {}), "t": 10}
    return title, {**figure, "layout": layout}
