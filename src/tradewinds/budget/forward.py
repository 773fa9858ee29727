"""A week-by-week plan ahead, against the market calendar.

Each week gets the daily budget (raised by ``uplift`` in the weeks of a shopping festival and
the week before it, if asked), allocated by the planner; its expected revenue is
the fitted baseline of its days (trend, weekday, the public holidays and festivals that
fall in it) plus what its ads bring, with the bootstrap band. The media curves are the same
every week: the model has no sign that an ad works better in a festival week, so a
festival raises the baseline, and an uplift spends more where the seller chooses to.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta

from tradewinds.budget.model import season_value
from tradewinds.budget.schemas import (
    BudgetModel,
    PlanPublic,
    WeekEventPublic,
    WeekPlanPublic,
)
from tradewinds.markets.schemas import CalendarEventPublic


def baseline_day(model: BudgetModel, day: date, kinds: set[str]) -> float:
    """The fitted revenue of ``day`` without ads (trend, weekday, season, the event kinds
    of that day)."""
    b = model.baseline
    t = (day - model.start).days
    value = b.intercept + b.trend_per_day * t + b.weekday[day.weekday()]
    value += float(season_value(b.season, t))
    return value + sum(b.events.get(k, 0.0) for k in kinds)


def weeks_ahead(
    model: BudgetModel,
    *,
    start: date,
    weeks: int,
    total_per_day: float,
    events: Sequence[CalendarEventPublic],
    plan_for: Callable[[float], PlanPublic],
    uplift: float = 0.0,
) -> list[WeekPlanPublic]:
    """``weeks`` weeks from the Monday on or before ``start``; ``plan_for(total)`` is the
    planner's answer for a daily total."""
    monday = start - timedelta(days=start.weekday())
    plans: dict[float, PlanPublic] = {}
    out = []
    for w in range(weeks):
        first = monday + timedelta(days=7 * w)
        last = first + timedelta(days=6)
        inside = [e for e in events if e.start <= last and e.end >= first]
        leads = [
            e
            for e in events
            if e.kind == "festival"
            and e.lead_days > 0
            and first <= e.start - timedelta(days=e.lead_days) <= last
        ]
        busy = any(
            e.kind == "festival" and e.start <= last + timedelta(days=7) and e.end >= first
            for e in events
        )
        daily = total_per_day * (1 + uplift if busy else 1.0)
        key = round(daily, 2)
        if key not in plans:
            plans[key] = plan_for(daily)
        plan = plans[key]
        baseline = 0.0
        for i in range(7):
            day = first + timedelta(days=i)
            kinds = {e.kind for e in inside if e.start <= day <= e.end}
            baseline += baseline_day(model, day, kinds)
        media = plan.expected * 7
        out.append(
            WeekPlanPublic(
                start=first,
                end=last,
                budget=daily * 7,
                allocation={k: round(v * 7, 2) for k, v in plan.allocation.items()},
                baseline=baseline,
                media=media,
                expected=baseline + media,
                expected_low=(
                    None if plan.expected_low is None else baseline + plan.expected_low * 7
                ),
                expected_high=(
                    None if plan.expected_high is None else baseline + plan.expected_high * 7
                ),
                events=[
                    WeekEventPublic(
                        name=e.name,
                        key=e.key,
                        start=e.start,
                        end=e.end,
                        kind=e.kind,
                        lead_days=e.lead_days,
                    )
                    for e in inside
                ],
                lead_for=[e.name for e in leads],
            )
        )
    return out
