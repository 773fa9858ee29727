"""The storefront funnel from events: Product Viewed → Product Added → Checkout Started →
Order Completed, by channel and country, with the drop-off at each step.

A visitor (``anonymous_id``, else ``user_id``) reaches step *n* when, within the date
range, they sent that event and every event of the steps before it (the order in which
they were sent is not checked).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tradewinds.analytics import dimensions as dims
from tradewinds.analytics import visit_rollup
from tradewinds.analytics.filters import ReportScope, country_name, country_values
from tradewinds.i18n_markers import N_

if TYPE_CHECKING:
    from tradewinds.warehouse.backend import Warehouse

# the Segment events of each step (also the steps' names on the pages, translated there)
STEPS = (N_("Product Viewed"), N_("Product Added"), N_("Checkout Started"), N_("Order Completed"))
FUNNEL_DIMENSIONS = ("channel", "country", "device", "campaign")


@dataclass
class FunnelRow:
    group: dict[str, str]
    reached: list[int]

    @property
    def drop_off(self) -> list[float | None]:
        """Share lost at each step after the first (None when nobody reached the one before)."""
        return [
            None if before == 0 else 1 - after / before
            for before, after in zip(self.reached, self.reached[1:], strict=False)
        ]

    @property
    def conversion(self) -> float | None:
        return self.reached[-1] / self.reached[0] if self.reached[0] else None

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.group,
            "steps": [{"step": s, "visitors": n} for s, n in zip(STEPS, self.reached, strict=True)],
            "drop_off": [None if d is None else round(d, 6) for d in self.drop_off],
            "conversion": None if self.conversion is None else round(self.conversion, 6),
        }


def funnel_sql(
    scope: ReportScope, *, one_parse: bool = False, rollup: bool = False
) -> tuple[str, dict[str, Any]]:
    """The funnel's SQL; ``rollup`` reads the visit rollup (``visit_rollup.py``) instead of
    the events — the caller checks that it answers exactly for the range."""
    params: dict[str, Any] = {
        "start_ts": scope.utc_start(),
        "end_ts": scope.utc_end(),
    }
    names = ", ".join(f"'{s}'" for s in STEPS)
    inner = ['r."timestamp" >= $start_ts', 'r."timestamp" < $end_ts', f"r.event IN ({names})"]
    if rollup:  # quarter hours with at least one step sent
        inner = ["r.bucket >= $start_ts", "r.bucket < $end_ts", "r.steps <> 0"]
    where: list[str] = []
    for name, values in scope.filters.items():
        if name not in dims.EVENTS:
            continue
        if name in ("country", "customer_country"):
            values = country_values(values)
        marks = []
        for i, v in enumerate(values):
            params[f"f_{name}_{i}"] = v
            marks.append(f"$f_{name}_{i}")
        where.append(f"({dims.EVENTS[name]}) IN ({', '.join(marks)})")
    groups = [g for g in scope.group_by if g in FUNNEL_DIMENSIONS]
    # visitors are counted per raw source and medium first; the channel is then worked
    # out once per source and medium pair, not once per event or visitor
    raw = {
        g: (["e.c_source", "e.c_medium"] if g == "channel" else [dims.EVENTS[g]]) for g in groups
    }
    cols = {g: ([f"r_{g}_s", f"r_{g}_m"] if g == "channel" else [f"r_{g}"]) for g in groups}
    sel = "".join(
        f'{expr} AS "{name}", ' for g in groups for expr, name in zip(raw[g], cols[g], strict=True)
    )
    gcols = "".join(f'"{name}", ' for g in groups for name in cols[g])
    labels = "".join(
        (
            dims.platform_sql(source=f'"{cols[g][0]}"', medium=f'"{cols[g][1]}"')
            if g == "channel"
            else f'"{cols[g][0]}"'
        )
        + f' AS "g_{g}", '
        for g in groups
    )
    flags = ", ".join(
        (
            f"MAX((steps >> {i}) & 1)"
            if rollup
            else f"MAX(CASE WHEN event = '{s}' THEN 1 ELSE 0 END)"
        )
        + f" AS s{i}"
        for i, s in enumerate(STEPS)
    )
    reached = ", ".join(
        f"SUM({' * '.join(f's{j}' for j in range(i + 1))}) AS r{i}" for i in range(len(STEPS))
    )
    outs = "".join(f'"g_{g}", ' for g in groups)
    group_outer = ("GROUP BY " + ", ".join(f'"g_{g}"' for g in groups)) if groups else ""
    group_raw = ("GROUP BY " + gcols.rstrip(", ")) if groups else ""
    r_cols = ", ".join(f"r{i}" for i in range(len(STEPS)))
    r_sums = ", ".join(f"SUM(r{i}) AS r{i}" for i in range(len(STEPS)))
    total = ""
    bits = ", ".join(f"(st >> {i}) & 1 AS s{i}" for i in range(len(STEPS)))
    if groups:  # the whole funnel from the same scan: each visitor once, whatever the group
        nulls = "".join(f'CAST(NULL AS VARCHAR) AS "g_{g}", ' for g in groups)
        if rollup:
            per_visitor = f"SELECT {bits} FROM (SELECT BIT_OR(st) AS st FROM p0 GROUP BY who)"
        else:
            maxes = ", ".join(f"MAX(s{i}) AS s{i}" for i in range(len(STEPS)))
            per_visitor = f"SELECT who, {maxes} FROM p GROUP BY who"
        total = f"""
UNION ALL
SELECT 1 AS is_total, {nulls}{reached} FROM ({per_visitor}) AS t"""
    # from the rollup, a visitor's steps are one OR of bit sets, not a maximum per step
    p_sql = (
        f"p0 AS (SELECT {gcols}who, BIT_OR(steps) AS st FROM x GROUP BY {gcols}who),\n"
        f"p AS (SELECT {gcols}who, {bits} FROM p0)"
        if rollup
        else f"p AS (SELECT {gcols}who, {flags} FROM x GROUP BY {gcols}who)"
    )
    source = (
        visit_rollup.source(inner) if rollup else dims.events_source(inner, one_parse=one_parse)
    )
    sql = f"""
WITH x AS (
  SELECT {sel}e.who, {"e.steps" if rollup else "e.event"}
  FROM {source} {"WHERE " + " AND ".join(where) if where else ""}
),
{p_sql},
pg AS (SELECT {gcols}{reached} FROM p {group_raw}),
q AS (SELECT {labels}{r_cols} FROM pg)
SELECT 0 AS is_total, {outs}{r_sums} FROM q {group_outer}{total}"""
    return sql, {k: v for k, v in params.items() if re.search(rf"\${k}\b", sql)}


def funnel(*, warehouse: Warehouse, scope: ReportScope) -> tuple[list[FunnelRow], FunnelRow | None]:
    """Rows per group (best first) and the whole funnel (None when nobody viewed a product)."""
    sql, params = funnel_sql(
        scope,
        one_parse=warehouse.json_path_lists,
        rollup=visit_rollup.usable(warehouse, scope.window, scope.timezone),
    )
    result = warehouse.query(sql, params)
    groups = [g for g in scope.group_by if g in FUNNEL_DIMENSIONS]
    merged: dict[tuple[str, ...], list[int]] = {}
    total: FunnelRow | None = None
    for row in result.rows:
        is_total, values = int(row[0]), row[1:]
        counts = [int(v or 0) for v in values[len(groups) :]]
        if is_total or not groups:
            total = FunnelRow({}, counts) if counts[0] else None
            continue
        labels = tuple(
            country_name(v) if g == "country" else (str(v) if v else "(unknown)")
            for g, v in zip(groups, values, strict=False)
        )
        prev = merged.get(labels)
        merged[labels] = (
            counts if prev is None else [a + b for a, b in zip(prev, counts, strict=True)]
        )
    rows = [FunnelRow(dict(zip(groups, k, strict=True)), v) for k, v in merged.items()]
    rows.sort(key=lambda r: (-r.reached[0], tuple(r.group.values())))  # ties: by name
    if not groups:
        rows = [total] if total else []
    return rows, total
