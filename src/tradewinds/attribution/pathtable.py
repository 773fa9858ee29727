"""The path table every attribution model reads.

A path is the ordered list of channels one customer touched before converting (or
before giving up: a *null* path). Paths are stored flat for speed: channel codes of all
touches in one array, ``offsets`` marking where each path starts. Identical paths may be
merged (``aggregate``) so that a million journeys over a few channels shrink to the few
thousand distinct ones the models actually need.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class PathTable:
    """Paths of channel codes with their outcomes.

    ``channels[k]`` names code ``k``. Path ``i`` is ``touches[offsets[i]:offsets[i + 1]]``;
    it ended ``conversions[i]`` times in a conversion worth ``value[i]`` in total and
    ``nulls[i]`` times without one. ``ages`` (optional, one per touch) is how long before
    the path's end the touch happened, in days; files without timestamps have none.
    """

    channels: tuple[str, ...]
    offsets: np.ndarray
    touches: np.ndarray
    conversions: np.ndarray
    value: np.ndarray
    nulls: np.ndarray
    ages: np.ndarray | None = None

    def __post_init__(self) -> None:
        n = len(self.offsets) - 1
        if n < 0 or self.offsets[0] != 0 or self.offsets[-1] != len(self.touches):
            raise ValueError("offsets must start at 0 and end at the number of touches")
        for name in ("conversions", "value", "nulls"):
            if len(getattr(self, name)) != n:
                raise ValueError(f"{name} must have one entry per path")
        if n and np.any(np.diff(self.offsets) < 1):
            raise ValueError("every path needs at least one touch")
        if len(self.touches) and (
            self.touches.min() < 0 or self.touches.max() >= len(self.channels)
        ):
            raise ValueError("touch codes must index channels")
        if np.any(self.conversions < 0) or np.any(self.nulls < 0):
            raise ValueError("conversions and nulls must not be negative")
        if self.ages is not None and len(self.ages) != len(self.touches):
            raise ValueError("ages must have one entry per touch")

    # -- construction -------------------------------------------------------------------

    @classmethod
    def from_sequences(
        cls,
        paths: Sequence[Sequence[str]],
        conversions: Sequence[float],
        value: Sequence[float] | None = None,
        nulls: Sequence[float] | None = None,
        ages: Sequence[Sequence[float]] | None = None,
    ) -> PathTable:
        """Build from plain lists: ``[["email", "direct"], ...]`` and their outcomes."""
        index: dict[str, int] = {}
        codes: list[int] = []
        offsets = [0]
        for path in paths:
            for channel in path:
                codes.append(index.setdefault(channel, len(index)))
            offsets.append(len(codes))
        n = len(offsets) - 1
        return cls(
            channels=tuple(index),
            offsets=np.asarray(offsets, dtype=np.int64),
            touches=np.asarray(codes, dtype=np.int64),
            conversions=np.asarray(conversions, dtype=float).reshape(n),
            value=np.zeros(n) if value is None else np.asarray(value, dtype=float).reshape(n),
            nulls=np.zeros(n) if nulls is None else np.asarray(nulls, dtype=float).reshape(n),
            ages=None
            if ages is None
            else np.asarray([a for row in ages for a in row], dtype=float),
        )

    # -- views ----------------------------------------------------------------------------

    @property
    def n_paths(self) -> int:
        return len(self.offsets) - 1

    @property
    def n_channels(self) -> int:
        return len(self.channels)

    @property
    def lengths(self) -> np.ndarray:
        return np.diff(self.offsets)

    @property
    def path_index(self) -> np.ndarray:
        """For every touch, the index of its path."""
        return np.repeat(np.arange(self.n_paths), self.lengths)

    @property
    def first_touches(self) -> np.ndarray:
        return self.touches[self.offsets[:-1]]

    @property
    def last_touches(self) -> np.ndarray:
        return self.touches[self.offsets[1:] - 1]

    def sequences(self) -> list[list[str]]:
        names = self.channels
        return [
            [names[c] for c in self.touches[a:b]]
            for a, b in zip(self.offsets[:-1], self.offsets[1:], strict=True)
        ]

    # -- transformations ----------------------------------------------------------------

    def collapse_repeats(self) -> PathTable:
        """Merge consecutive touches of the same channel (``a > a > b`` becomes ``a > b``).

        The kept touch is the latest of each run, so its age is the run's most recent one.
        """
        if not len(self.touches):
            return self
        keep = np.ones(len(self.touches), dtype=bool)
        same_as_next = self.touches[:-1] == self.touches[1:]
        same_path = np.ones(len(self.touches) - 1, dtype=bool)
        same_path[self.offsets[1:-1] - 1] = False
        keep[:-1] = ~(same_as_next & same_path)
        kept_per_path = np.add.reduceat(keep.astype(np.int64), self.offsets[:-1])
        offsets = np.concatenate([[0], np.cumsum(kept_per_path)]).astype(np.int64)
        return PathTable(
            channels=self.channels,
            offsets=offsets,
            touches=self.touches[keep],
            conversions=self.conversions,
            value=self.value,
            nulls=self.nulls,
            ages=None if self.ages is None else self.ages[keep],
        )

    def aggregate(self) -> PathTable:
        """Merge identical paths, summing their outcomes (drops per-touch ages)."""
        if self.n_paths == 0:
            return self
        lengths = self.lengths
        width = int(lengths.max())
        grid = np.full((self.n_paths, width), -1, dtype=np.int64)
        cols = np.arange(len(self.touches)) - np.repeat(self.offsets[:-1], lengths)
        grid[self.path_index, cols] = self.touches
        unique, first, inverse = np.unique(grid, axis=0, return_index=True, return_inverse=True)
        inverse = inverse.reshape(-1)
        m = len(unique)
        # keep the order in which each distinct path first appears
        order = np.argsort(first, kind="stable")
        rank = np.empty(m, dtype=np.int64)
        rank[order] = np.arange(m)
        group = rank[inverse]
        rows = unique[order]
        new_lengths = (rows >= 0).sum(axis=1)
        return PathTable(
            channels=self.channels,
            offsets=np.concatenate([[0], np.cumsum(new_lengths)]).astype(np.int64),
            touches=rows[rows >= 0],
            conversions=np.bincount(group, weights=self.conversions, minlength=m),
            value=np.bincount(group, weights=self.value, minlength=m),
            nulls=np.bincount(group, weights=self.nulls, minlength=m),
        )

    def rename(self, mapping: dict[str, str]) -> PathTable:
        """The same paths with channels renamed (names must stay distinct)."""
        names = tuple(mapping.get(c, c) for c in self.channels)
        if len(set(names)) != len(names):
            raise ValueError("renaming must keep channel names distinct")
        return PathTable(
            channels=names,
            offsets=self.offsets,
            touches=self.touches,
            conversions=self.conversions,
            value=self.value,
            nulls=self.nulls,
            ages=self.ages,
        )


@dataclass(frozen=True)
class ChannelCredit:
    """What a model gives each channel: attributed conversions and value."""

    channels: tuple[str, ...]
    conversions: np.ndarray
    value: np.ndarray

    def as_rows(self) -> list[dict[str, object]]:
        return [
            {"channel": c, "conversions": float(k), "value": float(v)}
            for c, k, v in zip(self.channels, self.conversions, self.value, strict=True)
        ]

    def by_channel(self) -> dict[str, tuple[float, float]]:
        return {
            c: (float(k), float(v))
            for c, k, v in zip(self.channels, self.conversions, self.value, strict=True)
        }
