"""An experiment's data as the tests read it: each variation's units and, per metric, the
sum and sum of squares of its values (the shape of an uploaded CSV and of the warehouse's
exposures)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

MetricType = Literal["binomial", "mean"]


@dataclass(frozen=True)
class MetricData:
    name: str
    metric_type: MetricType
    #: per variation (the experiment's order); None where the variation has no row
    sums: tuple[float | None, ...]
    sum_squares: tuple[float | None, ...]


@dataclass(frozen=True)
class ExperimentData:
    key: str
    #: the first variation is the control
    variations: tuple[str, ...]
    units: tuple[int, ...]
    weights: tuple[float, ...]
    metrics: tuple[MetricData, ...]
