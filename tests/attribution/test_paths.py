from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tradewinds.attribution.paths import PathOptions, build_paths, person_ids
from tradewinds.attribution.pathtable import PathTable

from .reference_paths import reference_build_paths

T0 = datetime(2024, 1, 1)


def frame(rows: list[tuple], columns: list[str]) -> pd.DataFrame:
    data = pd.DataFrame(rows, columns=columns)
    data["occurred_at"] = pd.to_datetime(data["occurred_at"], utc=True)
    return data


def test_worked_example() -> None:
    touches = frame(
        [
            ("a", T0, "email"),
            ("a", T0 + timedelta(days=19), "search"),
            ("a", T0 + timedelta(days=60), "social"),
            ("b", T0 + timedelta(days=4), "search"),
            ("b", T0 + timedelta(days=5), "search"),
        ],
        ["person", "occurred_at", "channel"],
    )
    conversions = frame(
        [
            ("a", T0 + timedelta(days=24), 10.0),
            ("a", T0 + timedelta(days=61), 20.0),
            ("d", T0 + timedelta(days=31), 5.0),
        ],
        ["person", "occurred_at", "value"],
    )
    table = build_paths(touches, conversions)
    got = sorted(
        zip(map(tuple, table.sequences()), table.conversions, table.value, table.nulls, strict=True)
    )
    assert got == sorted(
        [
            (("email", "search"), 1.0, 10.0, 0.0),  # both touches within 30 days of day 24
            (("social",), 1.0, 20.0, 0.0),  # earlier touches were used by the first order
            (("search", "search"), 0.0, 0.0, 1.0),  # b never bought: a null path
            (("direct",), 1.0, 5.0, 0.0),  # d bought without any touch
        ]
    )
    assert table.ages is not None
    first = [list(map(tuple, table.sequences())).index(("email", "search"))][0]
    a, b = table.offsets[first], table.offsets[first + 1]
    assert list(table.ages[a:b]) == pytest.approx([24.0, 5.0])


def test_lookback_and_collapse() -> None:
    touches = frame(
        [
            ("a", T0, "email"),
            ("a", T0 + timedelta(days=40), "search"),
            ("a", T0 + timedelta(days=41), "search"),
        ],
        ["person", "occurred_at", "channel"],
    )
    conversions = frame([("a", T0 + timedelta(days=45), 9.0)], ["person", "occurred_at", "value"])
    table = build_paths(touches, conversions, options=PathOptions(collapse_repeats=True))
    assert table.sequences() == [["search"]]  # email is 45 days old, outside 30 days
    longer = build_paths(touches, conversions, options=PathOptions(lookback=timedelta(days=60)))
    assert longer.sequences() == [["email", "search", "search"]]


def test_reporting_window_keeps_only_orders_inside_it() -> None:
    touches = frame(
        [("a", T0, "email"), ("a", T0 + timedelta(days=10), "search")],
        ["person", "occurred_at", "channel"],
    )
    conversions = frame(
        [("a", T0 + timedelta(days=2), 1.0), ("a", T0 + timedelta(days=12), 2.0)],
        ["person", "occurred_at", "value"],
    )
    options = PathOptions(start=T0 + timedelta(days=5), end=T0 + timedelta(days=20))
    table = build_paths(touches, conversions, options=options)
    assert table.sequences() == [["search"]]  # the day-2 order used the email touch
    assert list(table.value) == [2.0]


def test_identity_stitching() -> None:
    customer = pd.Series(["c1", None, None, None])
    anonymous = pd.Series(["x", "anon-1", "anon-2", None])
    people = person_ids(customer, anonymous, {"anon-1": "c1"})
    assert list(people) == ["c1", "c1", "anon:anon-2", None]


@settings(max_examples=40, deadline=None)
@given(
    touches=st.lists(
        st.tuples(
            st.sampled_from("abc"),
            st.integers(0, 100),
            st.sampled_from(["email", "search", "social"]),
        ),
        max_size=40,
    ),
    orders=st.lists(
        st.tuples(st.sampled_from("abcd"), st.integers(0, 100), st.floats(0, 100)), max_size=10
    ),
    lookback=st.integers(1, 40),
)
def test_every_order_gets_one_path_within_its_window(touches, orders, lookback) -> None:
    t = frame(
        [(p, T0 + timedelta(days=d), ch) for p, d, ch in touches],
        ["person", "occurred_at", "channel"],
    )
    c = frame(
        [(p, T0 + timedelta(days=d, hours=1), v) for p, d, v in orders],
        ["person", "occurred_at", "value"],
    )
    table = build_paths(t, c, options=PathOptions(lookback=timedelta(days=lookback)))
    assert table.conversions.sum() == len(orders)
    assert table.value.sum() == pytest.approx(sum(v for _, _, v in orders))
    assert table.ages is not None
    assert (table.ages >= 0).all() and (table.ages <= lookback).all()
    assert table.nulls.sum() <= len({p for p, _, _ in touches})


def _rows(table) -> list[tuple]:
    ages = table.ages
    out = []
    for i, path in enumerate(table.sequences()):
        a, b = table.offsets[i], table.offsets[i + 1]
        out.append(
            (
                tuple(path),
                table.conversions[i],
                round(table.value[i], 9),
                table.nulls[i],
                tuple(round(float(x), 6) for x in ages[a:b]),
            )
        )
    return sorted(out)


@settings(max_examples=60, deadline=None)
@given(
    touches=st.lists(
        st.tuples(
            st.sampled_from("abcd"),
            st.integers(0, 60),
            st.sampled_from(["email", "search", "direct"]),
        ),
        max_size=40,
    ),
    orders=st.lists(
        st.tuples(st.sampled_from("abcde"), st.integers(0, 60), st.floats(0, 100)), max_size=12
    ),
    lookback=st.integers(1, 40),
    window=st.one_of(st.none(), st.tuples(st.integers(0, 30), st.integers(1, 40))),
    collapse=st.booleans(),
)
def test_matches_the_event_by_event_reference(touches, orders, lookback, window, collapse):
    t = frame(
        [(p, T0 + timedelta(days=d, hours=h % 5), ch) for h, (p, d, ch) in enumerate(touches)],
        ["person", "occurred_at", "channel"],
    )
    c = frame(
        [(p, T0 + timedelta(days=d, hours=h % 7), v) for h, (p, d, v) in enumerate(orders)],
        ["person", "occurred_at", "value"],
    )
    options = PathOptions(
        lookback=timedelta(days=lookback),
        collapse_repeats=collapse,
        start=None if window is None else T0 + timedelta(days=window[0]),
        end=None if window is None else T0 + timedelta(days=window[0] + window[1]),
    )
    assert _rows(build_paths(t, c, options=options)) == _rows(
        reference_build_paths(t, c, options=options)
    )


def test_orders_without_a_tracked_touch_are_taken_out_and_counted() -> None:
    from tradewinds.attribution.paths import split_untracked

    table = PathTable.from_sequences(
        [["email", "seo"], ["(none)"], ["seo"], ["(none)"]],
        conversions=[1, 1, 0, 1],
        value=[10.0, 20.0, 0.0, 5.0],
        nulls=[0, 0, 1, 0],
        ages=[[1.0, 0.5], [0.0], [2.0], [0.0]],
    )
    kept, orders, value = split_untracked(table, "(none)")
    assert (orders, value) == (2.0, 25.0)
    assert kept.channels == ("email", "seo")
    assert kept.sequences() == [["email", "seo"], ["seo"]]
    assert kept.conversions.tolist() == [1.0, 0.0] and kept.value.tolist() == [10.0, 0.0]
    assert kept.ages.tolist() == [1.0, 0.5, 2.0]
    assert split_untracked(kept, "(none)") == (kept, 0.0, 0.0)
