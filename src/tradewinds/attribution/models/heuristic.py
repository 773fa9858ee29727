"""Rule-based models: each path's outcome is split over its touches by a fixed rule.

All functions are pure: a :class:`PathTable` in, a :class:`ChannelCredit` out. Conversions
and value of every path are shared out completely, so the totals always match the input.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from tradewinds.attribution.pathtable import ChannelCredit, PathTable

DIRECT_CHANNELS: tuple[str, ...] = ("direct", "(direct)")


def _credit_touch_shares(table: PathTable, shares: np.ndarray) -> ChannelCredit:
    """``shares[t]``: fraction of its path's outcome given to touch ``t`` (sums to 1/path)."""
    per_path = table.path_index
    c = table.n_channels
    conv = np.bincount(table.touches, weights=shares * table.conversions[per_path], minlength=c)
    value = np.bincount(table.touches, weights=shares * table.value[per_path], minlength=c)
    return ChannelCredit(table.channels, conv, value)


def _credit_one_touch(table: PathTable, touch_codes: np.ndarray) -> ChannelCredit:
    c = table.n_channels
    return ChannelCredit(
        table.channels,
        np.bincount(touch_codes, weights=table.conversions, minlength=c),
        np.bincount(touch_codes, weights=table.value, minlength=c),
    )


def first_touch(table: PathTable) -> ChannelCredit:
    """All credit to the first touch of each path."""
    return _credit_one_touch(table, table.first_touches)


def last_touch(table: PathTable) -> ChannelCredit:
    """All credit to the last touch of each path."""
    return _credit_one_touch(table, table.last_touches)


def last_non_direct(
    table: PathTable, *, direct_channels: Iterable[str] = DIRECT_CHANNELS
) -> ChannelCredit:
    """All credit to the last touch that is not direct; all-direct paths stay direct."""
    if table.n_paths == 0:
        return _credit_one_touch(table, table.last_touches)
    direct = {d.casefold() for d in direct_channels}
    is_direct = np.array([c.casefold() in direct for c in table.channels], dtype=bool)
    position = np.arange(len(table.touches))
    candidate = np.where(is_direct[table.touches], -1, position)
    last_nd = np.maximum.reduceat(candidate, table.offsets[:-1])
    chosen = np.where(last_nd >= 0, last_nd, table.offsets[1:] - 1)
    return _credit_one_touch(table, table.touches[chosen])


def linear(table: PathTable) -> ChannelCredit:
    """Equal credit to every touch (a channel touched twice gets two shares)."""
    shares = 1.0 / np.repeat(table.lengths, table.lengths)
    return _credit_touch_shares(table, shares.astype(float))


def position_based(table: PathTable, *, first: float = 0.4, last: float = 0.4) -> ChannelCredit:
    """``first`` to the first touch, ``last`` to the last, the rest evenly in between.

    One-touch paths give everything to that touch; two-touch paths split in the ratio
    ``first : last`` (40/40 becomes 50/50).
    """
    if first < 0 or last < 0 or first + last > 1:
        raise ValueError("position weights must be >= 0 and first + last <= 1")
    lengths = table.lengths
    n = np.repeat(lengths, lengths)
    pos = np.arange(len(table.touches)) - np.repeat(table.offsets[:-1], lengths)
    middle = (1.0 - first - last) / np.maximum(n - 2, 1)
    shares = np.where(pos == 0, first, np.where(pos == n - 1, last, middle))
    ends = first + last
    two = n == 2
    if ends > 0:
        shares = np.where(two, np.where(pos == 0, first / ends, last / ends), shares)
    else:
        shares = np.where(two, 0.5, shares)
    shares = np.where(n == 1, 1.0, shares)
    return _credit_touch_shares(table, shares.astype(float))


def touch_steps_before_end(table: PathTable) -> np.ndarray:
    """For every touch, how many touches follow it in its path (0 for the last)."""
    lengths = table.lengths
    pos = np.arange(len(table.touches)) - np.repeat(table.offsets[:-1], lengths)
    return (np.repeat(lengths, lengths) - 1 - pos).astype(float)


def time_decay(table: PathTable, *, half_life: float = 7.0) -> ChannelCredit:
    """Credit halves for every ``half_life`` a touch lies before the path's end.

    With touch timestamps (``table.ages``, in days) the half-life is in days. Path files
    without timestamps measure age in touches instead: the last touch is 0 steps old, the
    one before it 1 step, and so on, so ``half_life=1`` halves the credit per step back.
    """
    if not half_life > 0:
        raise ValueError("half_life must be > 0")
    if table.n_paths == 0:
        return _credit_touch_shares(table, np.zeros(0))
    ages = table.ages if table.ages is not None else touch_steps_before_end(table)
    youngest = np.minimum.reduceat(ages, table.offsets[:-1])
    relative = ages - np.repeat(youngest, table.lengths)
    weights = np.exp2(-relative / half_life)
    totals = np.add.reduceat(weights, table.offsets[:-1])
    return _credit_touch_shares(table, weights / np.repeat(totals, table.lengths))
