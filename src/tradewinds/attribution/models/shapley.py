"""Shapley-value attribution.

Channels are players; a coalition ``S`` of channels is worth what the journeys that used
only channels from ``S`` achieved. Two worth functions are offered:

* ``"conversions"`` (default): the number of conversions of journeys whose channels all
  lie in ``S``. Its Shapley value has a closed form — every converting journey shares its
  conversions equally among its distinct channels — which is the *simplified Shapley value*
  of Zhao et al. (2018).
* ``"conversion_rate"``: conversions per journey among journeys whose channels
  all lie in ``S`` (Shao & Li 2011). Null paths matter: a channel that appears in many
  journeys that never convert lowers the worth of coalitions that contain it, and can end
  up with negative credit; rare channels whose few journeys happen to convert well get
  large, unstable credit, so prefer it only when every channel has plenty of journeys.

The exact value enumerates all ``2**n`` coalitions with numpy bit operations (a subset-sum
"zeta" transform for the worth, one vectorised pass per channel for the marginal
contributions). Raw Shapley values sum to the worth of the grand coalition (efficiency);
they are then scaled so that attributed conversions and value add up to the observed totals.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import factorial
from typing import Literal

import numpy as np

from tradewinds.attribution.pathtable import ChannelCredit, PathTable

MAX_EXACT_CHANNELS = 20
Worth = Literal["conversion_rate", "conversions"]


@dataclass(frozen=True)
class ShapleyResult:
    credit: ChannelCredit
    raw_conversions: np.ndarray  # Shapley values of the conversion game (before scaling)
    raw_value: np.ndarray


def path_masks(table: PathTable) -> np.ndarray:
    """Bit mask of the distinct channels of every path."""
    if table.n_channels > 62:
        raise ValueError("bit masks hold at most 62 channels")
    if table.n_paths == 0:
        return np.zeros(0, dtype=np.int64)
    bits = np.left_shift(np.int64(1), table.touches.astype(np.int64))
    return np.bitwise_or.reduceat(bits, table.offsets[:-1])


def subset_sums(values: np.ndarray, n: int) -> np.ndarray:
    """``out[S] = sum(values[T] for T subset of S)`` for arrays indexed by bit mask."""
    out = np.array(values, dtype=float, copy=True)
    for i in range(n):
        view = out.reshape(-1, 2, 1 << i)
        view[:, 1, :] += view[:, 0, :]
    return out


def popcounts(n: int) -> np.ndarray:
    masks = np.arange(1 << n, dtype=np.int64)
    counts = np.zeros(1 << n, dtype=np.int64)
    for i in range(n):
        counts += (masks >> i) & 1
    return counts


def shapley_values(worth: np.ndarray, n: int) -> np.ndarray:
    """Exact Shapley values of the game ``worth`` (indexed by coalition bit mask)."""
    if n == 0:
        return np.zeros(0)
    weight_by_size = np.array(
        [factorial(s) * factorial(n - s - 1) / factorial(n) for s in range(n)]
    )
    sizes = popcounts(n)
    phi = np.zeros(n)
    for i in range(n):
        v = worth.reshape(-1, 2, 1 << i)
        size_without = sizes.reshape(-1, 2, 1 << i)[:, 0, :]
        phi[i] = float(np.sum(weight_by_size[size_without] * (v[:, 1, :] - v[:, 0, :])))
    return phi


def coalition_worth(
    table: PathTable, *, worth: Worth = "conversions"
) -> tuple[np.ndarray, np.ndarray]:
    """Worth of every coalition for conversions and for value."""
    n = table.n_channels
    if n > MAX_EXACT_CHANNELS:
        raise ValueError(
            f"exact Shapley supports up to {MAX_EXACT_CHANNELS} channels, got {n}; "
            "use the simplified Shapley value instead"
        )
    masks = path_masks(table)
    size = 1 << n
    conv = subset_sums(np.bincount(masks, weights=table.conversions, minlength=size), n)
    value = subset_sums(np.bincount(masks, weights=table.value, minlength=size), n)
    if worth == "conversions":
        return conv, value
    if worth != "conversion_rate":
        raise ValueError(f"unknown Shapley worth {worth!r}")
    journeys = subset_sums(
        np.bincount(masks, weights=table.conversions + table.nulls, minlength=size), n
    )
    safe = np.where(journeys > 0, journeys, 1.0)
    return np.where(journeys > 0, conv / safe, 0.0), np.where(journeys > 0, value / safe, 0.0)


def _scale(total: float, raw: np.ndarray) -> np.ndarray:
    s = raw.sum()
    if s == 0:
        return np.zeros_like(raw)
    return total * raw / s


def shapley(table: PathTable, *, worth: Worth = "conversions") -> ShapleyResult:
    """Exact Shapley attribution (up to ``MAX_EXACT_CHANNELS`` channels)."""
    conv_worth, value_worth = coalition_worth(table, worth=worth)
    n = table.n_channels
    raw_c = shapley_values(conv_worth, n)
    raw_v = shapley_values(value_worth, n)
    credit = ChannelCredit(
        table.channels,
        _scale(float(table.conversions.sum()), raw_c),
        _scale(float(table.value.sum()), raw_v),
    )
    return ShapleyResult(credit, raw_c, raw_v)


def _distinct_touches(table: PathTable) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(path, channel, rank of first appearance in the path) for each distinct pair."""
    c = max(table.n_channels, 1)
    key = table.path_index.astype(np.int64) * c + table.touches
    uniq, first = np.unique(key, return_index=True)
    pid, ch = uniq // c, uniq % c
    order = np.lexsort((first, pid))
    pid, ch = pid[order], ch[order]
    starts = np.flatnonzero(np.r_[True, pid[1:] != pid[:-1]])
    group_start = np.repeat(starts, np.diff(np.r_[starts, len(pid)]))
    rank = np.arange(len(pid)) - group_start
    return pid, ch, rank


def simplified_shapley(table: PathTable) -> ChannelCredit:
    """Zhao et al. (2018): each journey's outcome split equally among its distinct channels.

    Equal to the exact Shapley value under the ``"conversions"`` worth, for any number of
    channels.
    """
    pid, ch, _ = _distinct_touches(table)
    distinct = np.bincount(pid, minlength=table.n_paths).astype(float)
    share = 1.0 / distinct[pid]
    n = table.n_channels
    return ChannelCredit(
        table.channels,
        np.bincount(ch, weights=share * table.conversions[pid], minlength=n),
        np.bincount(ch, weights=share * table.value[pid], minlength=n),
    )


def ordered_shapley(table: PathTable) -> tuple[ChannelCredit, np.ndarray]:
    """Zhao et al. (2018) ordered Shapley: simplified credit broken down by position.

    Returns the per-channel credit and a ``(channels, positions)`` array of conversions
    credited to each channel when it first appeared at touch position ``j`` (0-based,
    counting distinct channels).
    """
    pid, ch, rank = _distinct_touches(table)
    distinct = np.bincount(pid, minlength=table.n_paths).astype(float)
    share = table.conversions[pid] / distinct[pid]
    width = int(rank.max()) + 1 if len(rank) else 0
    by_position = np.zeros((table.n_channels, width))
    np.add.at(by_position, (ch, rank), share)
    return simplified_shapley(table), by_position
