"""Reading an experiment results file: one row per experiment, variation and metric.

Columns: ``experiment,variation,units,metric,metric_type,sum,sum_squares`` and, optionally,
``weight`` (the share of traffic the variation should get; equal shares when absent).
``metric_type`` is ``binomial`` (``sum`` is the conversions; ``sum_squares`` may be empty)
or ``mean`` (``sum`` and ``sum_squares`` of the per-unit values, e.g. revenue per visitor).
The first variation of an experiment is its control. A bad file is refused with its name,
the row (the header is row 1), the column and the reason.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from pathlib import Path

from tradewinds.experiments.summaries import ExperimentData, MetricData, MetricType
from tradewinds.i18n_markers import Text

REQUIRED = ("experiment", "variation", "units", "metric", "metric_type", "sum", "sum_squares")
OPTIONAL = ("weight",)
METRIC_TYPES = ("binomial", "mean")


class ExperimentFileError(ValueError):
    """A results file could not be read; names the file, row, column and value."""

    def __init__(
        self, reason: str, *, file: str = "", row: int | None = None, column: str = "", value=""
    ):
        self.file, self.row, self.column, self.value = file, row, column, str(value)
        self.reason = reason
        where = ", ".join(
            part
            for part in (
                file,
                f"row {row}" if row is not None else "",
                f"column {column!r}" if column else "",
                f"value {self.value!r}" if self.value else "",
            )
            if part
        )
        super().__init__(f"{where}: {reason}" if where else reason)


@dataclass
class _Experiment:
    key: str
    first_row: int
    variations: list[str] = field(default_factory=list)
    units: dict[str, tuple[int, int]] = field(default_factory=dict)  # variation -> (units, row)
    weights: dict[str, float] = field(default_factory=dict)
    metrics: dict[str, tuple[MetricType, int]] = field(default_factory=dict)
    values: dict[tuple[str, str], tuple[float, float | None]] = field(default_factory=dict)


def _number(raw: str, *, file: str, row: int, column: str) -> float:
    try:
        value = float(raw.strip().replace(",", "")) if raw.strip() else math.nan
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise ExperimentFileError(
            Text("not a number"), file=file, row=row, column=column, value=raw
        )
    return value


def read_text(text: str, *, name: str = "experiments.csv") -> list[ExperimentData]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in (reader.fieldnames or [])]
    if not header:
        raise ExperimentFileError(Text("the file is empty"), file=name, row=1)
    reader.fieldnames = header
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ExperimentFileError(
            Text("the header lacks %(columns)s", columns=", ".join(missing)),
            file=name,
            row=1,
            column=missing[0],
        )
    has_weight = "weight" in header
    experiments: dict[str, _Experiment] = {}
    for row_no, row in enumerate(reader, start=2):
        cells = {k: (v or "").strip() for k, v in row.items() if k is not None}
        if not any(cells.values()):
            continue
        for column in ("experiment", "variation", "metric", "metric_type", "units", "sum"):
            if not cells.get(column):
                raise ExperimentFileError(
                    Text("this cell is empty"), file=name, row=row_no, column=column
                )
        kind = cells["metric_type"].lower()
        if kind not in METRIC_TYPES:
            raise ExperimentFileError(
                Text("the metric type must be binomial or mean"),
                file=name,
                row=row_no,
                column="metric_type",
                value=cells["metric_type"],
            )
        units_f = _number(cells["units"], file=name, row=row_no, column="units")
        if units_f < 0 or units_f != int(units_f):
            raise ExperimentFileError(
                Text("units must be a whole number of 0 or more"),
                file=name,
                row=row_no,
                column="units",
                value=cells["units"],
            )
        units = int(units_f)
        total = _number(cells["sum"], file=name, row=row_no, column="sum")
        squares: float | None = None
        if kind == "binomial":
            if total < 0 or total > units:
                raise ExperimentFileError(
                    Text("conversions must be between 0 and the units (%(units)s)", units=units),
                    file=name,
                    row=row_no,
                    column="sum",
                    value=cells["sum"],
                )
        else:
            if not cells.get("sum_squares"):
                raise ExperimentFileError(
                    Text("a mean metric needs the sum of squares"),
                    file=name,
                    row=row_no,
                    column="sum_squares",
                )
            squares = _number(cells["sum_squares"], file=name, row=row_no, column="sum_squares")
            if units and squares < total**2 / units * (1 - 1e-9) - 1e-9:
                raise ExperimentFileError(
                    Text("the sum of squares is smaller than sum²/units, which no values give"),
                    file=name,
                    row=row_no,
                    column="sum_squares",
                    value=cells["sum_squares"],
                )
        key, variation, metric = cells["experiment"], cells["variation"], cells["metric"]
        exp = experiments.setdefault(key, _Experiment(key=key, first_row=row_no))
        if variation not in exp.units:
            exp.variations.append(variation)
            exp.units[variation] = (units, row_no)
        elif exp.units[variation][0] != units:
            raise ExperimentFileError(
                Text(
                    "the units differ from row %(row)s for the same variation (%(units)s)",
                    row=exp.units[variation][1],
                    units=exp.units[variation][0],
                ),
                file=name,
                row=row_no,
                column="units",
                value=cells["units"],
            )
        if has_weight and cells.get("weight"):
            weight = _number(cells["weight"], file=name, row=row_no, column="weight")
            if weight < 0:
                raise ExperimentFileError(
                    Text("a weight must be 0 or more"),
                    file=name,
                    row=row_no,
                    column="weight",
                    value=cells["weight"],
                )
            exp.weights[variation] = weight
        if metric in exp.metrics and exp.metrics[metric][0] != kind:
            raise ExperimentFileError(
                Text(
                    "the metric is %(kind)s in row %(row)s",
                    kind=exp.metrics[metric][0],
                    row=exp.metrics[metric][1],
                ),
                file=name,
                row=row_no,
                column="metric_type",
                value=cells["metric_type"],
            )
        exp.metrics.setdefault(metric, (kind, row_no))  # type: ignore[arg-type]
        if (metric, variation) in exp.values:
            raise ExperimentFileError(
                Text("this experiment, variation and metric already have a row"),
                file=name,
                row=row_no,
                column="metric",
                value=metric,
            )
        exp.values[(metric, variation)] = (total, squares)
    if not experiments:
        raise ExperimentFileError(Text("the file has no rows"), file=name, row=2)
    out = []
    for exp in experiments.values():
        if len(exp.variations) < 2:
            raise ExperimentFileError(
                Text("an experiment needs a control and at least one variation"),
                file=name,
                row=exp.first_row,
                column="variation",
                value=exp.variations[0],
            )
        weights = tuple(exp.weights.get(v, 1.0 if not exp.weights else 0.0) for v in exp.variations)
        if sum(weights) <= 0:
            raise ExperimentFileError(
                Text("the weights of an experiment must not all be 0"),
                file=name,
                row=exp.first_row,
                column="weight",
            )
        metrics = []
        for metric, (kind, _row) in exp.metrics.items():
            pairs = [exp.values.get((metric, v)) for v in exp.variations]
            metrics.append(
                MetricData(
                    name=metric,
                    metric_type=kind,
                    sums=tuple(p[0] if p else None for p in pairs),
                    sum_squares=tuple(p[1] if p else None for p in pairs),
                )
            )
        out.append(
            ExperimentData(
                key=exp.key,
                variations=tuple(exp.variations),
                units=tuple(exp.units[v][0] for v in exp.variations),
                weights=weights,
                metrics=tuple(metrics),
            )
        )
    return out


def read_bytes(data: bytes, *, name: str) -> list[ExperimentData]:
    from charset_normalizer import from_bytes

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        best = from_bytes(data).best()
        if best is None:
            raise ExperimentFileError(Text("the file is not text"), file=name) from None
        text = str(best)
    return read_text(text, name=name)


def read_file(path: Path) -> list[ExperimentData]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ExperimentFileError(
            Text("cannot read the file: %(why)s", why=exc.strerror or str(exc)), file=str(path)
        ) from None
    return read_bytes(data, name=str(path))
