"""The experiment reports: a results file analysed, today's bandit weights, a unit's
assignment. The CLI, the API and the pages call these and show what they return."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from tradewinds.experiments import assignment as hashing
from tradewinds.experiments.analysis import analyze
from tradewinds.experiments.bandit import DEFAULT_FLOOR, Arm, seed_for, thompson_weights
from tradewinds.experiments.csv_file import read_bytes, read_file
from tradewinds.experiments.schemas import (
    AssignmentPublic,
    BanditArmPublic,
    BanditPublic,
    BanditsPublic,
    ExperimentsReportPublic,
)
from tradewinds.experiments.summaries import ExperimentData

if TYPE_CHECKING:
    from tradewinds.analytics.filters import ReportScope
    from tradewinds.warehouse.backend import Warehouse

EXAMPLE = Path(__file__).parent / "data" / "example.csv"


def report(experiments: Sequence[ExperimentData], *, source: str) -> ExperimentsReportPublic:
    return ExperimentsReportPublic(experiments=analyze(experiments), source=source)


def analyze_file(path: Path) -> ExperimentsReportPublic:
    """Raises ``ExperimentFileError`` (file, row, column, reason) for a bad file."""
    return report(read_file(path), source=path.name)


def analyze_upload(data: bytes, *, name: str) -> ExperimentsReportPublic:
    return report(read_bytes(data, name=name), source=name)


def example_experiments() -> list[ExperimentData]:
    return read_file(EXAMPLE)


def bandits(
    experiments: Sequence[ExperimentData],
    *,
    day: date,
    floor: float = DEFAULT_FLOOR,
    source: str,
) -> BanditsPublic:
    """Each experiment's traffic weights for ``day`` on its first metric (Thompson sampling)."""
    out = []
    for exp in experiments:
        metric = next((m for m in exp.metrics if all(s is not None for s in m.sums)), None)
        if metric is None:
            continue
        binomial = metric.metric_type == "binomial"
        arms = [
            Arm(
                name=v,
                units=float(u),
                sum=float(s or 0),
                sum_squares=None if binomial else float(q or 0),
            )
            for v, u, s, q in zip(
                exp.variations, exp.units, metric.sums, metric.sum_squares, strict=True
            )
        ]
        seed = seed_for(exp.key, metric.name, day)
        weights = thompson_weights(arms, seed=seed, floor=floor)
        k = len(arms)
        f = min(floor, 1 / k)
        out.append(
            BanditPublic(
                experiment=exp.key,
                metric=metric.name,
                day=day,
                seed=seed,
                floor=f,
                arms=[
                    BanditArmPublic(
                        variation=arm.name,
                        units=int(arm.units),
                        conversions=arm.sum if binomial else None,
                        rate=arm.sum / arm.units if arm.units else 0.0,
                        chance_best=(w - f) / (1 - k * f) if k * f < 1 else 1 / k,
                        weight=w,
                    )
                    for arm, w in zip(arms, weights, strict=True)
                ],
            )
        )
    return BanditsPublic(bandits=out, source=source)


def assign(
    experiment: str,
    unit_id: str,
    variations: Sequence[str],
    weights: Sequence[float] | None,
    salt: str | None = None,
) -> AssignmentPublic:
    """The variation of ``unit_id``; the salt defaults to the experiment's key."""
    chosen_weights = list(weights) if weights else [1.0] * len(variations)
    if len(chosen_weights) != len(variations):
        raise ValueError("give one weight per variation")
    if len(variations) < 2:
        raise ValueError("give at least two variations")
    key = experiment if salt is None else salt
    place = hashing.bucket(key, unit_id)
    index = hashing.choose(place, chosen_weights)
    return AssignmentPublic(
        experiment=experiment,
        salt=key,
        unit_id=unit_id,
        hash=place,
        variation=variations[index],
        index=index,
    )


def saved_path(workspace_key: str) -> Path:
    """Where a workspace's latest uploaded results file is kept (HOME/experiments/)."""
    from tradewinds.config import get_settings

    folder = get_settings().home_dir / "experiments"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{workspace_key}.csv"


def save_upload(workspace_key: str, data: bytes, *, name: str) -> list[ExperimentData]:
    """Check ``data`` and keep it as the workspace's results file (raises
    ``ExperimentFileError`` and keeps the previous file when it is refused)."""
    experiments = read_bytes(data, name=name)
    path = saved_path(workspace_key)
    path.write_bytes(data)
    path.with_suffix(".name").write_text(name)
    return experiments


def saved(workspace_key: str) -> tuple[list[ExperimentData], str] | None:
    """The workspace's kept results file and its name, or None."""
    path = saved_path(workspace_key)
    if not path.exists():
        return None
    label = path.with_suffix(".name")
    name = label.read_text().strip() if label.exists() else path.name
    return read_bytes(path.read_bytes(), name=name), name


def events_experiments(
    warehouse: Warehouse,
    scope: ReportScope,
    *,
    currency: str,
    revenue: bool,
    workspace_key: str | None = None,
) -> tuple[list[ExperimentData], dict[str, int]]:
    """The experiments of the ``Experiment Viewed`` events in ``scope`` and, per experiment,
    the units left out for seeing several variations (``exposures.py``)."""
    from tradewinds.experiments.definitions import load
    from tradewinds.experiments.exposures import experiments_of, exposure_rows

    rows = exposure_rows(warehouse, scope, currency=currency)
    key = workspace_key or getattr(warehouse, "workspace_key", "")
    definitions = load(key) if key else None
    experiments = experiments_of(rows, revenue=revenue, definitions=definitions)
    return experiments, {r.experiment: r.multiple for r in rows}


def events_report(
    warehouse: Warehouse,
    scope: ReportScope,
    *,
    currency: str,
    revenue: bool,
    workspace_key: str | None = None,
) -> ExperimentsReportPublic:
    """Results of every experiment with ``Experiment Viewed`` events in ``scope``: the
    purchase rate, orders per unit and (when ``revenue``) revenue per unit in ``currency``
    of the exposed units."""
    experiments, multiple = events_experiments(warehouse, scope, currency=currency, revenue=revenue)
    return events_result(experiments, multiple, scope=scope, currency=currency if revenue else None)


def events_result(
    experiments: Sequence[ExperimentData],
    multiple: dict[str, int],
    *,
    scope: ReportScope,
    currency: str | None,
) -> ExperimentsReportPublic:
    result = report(experiments, source="events")
    for exp in result.experiments:
        exp.multiple_exposures = multiple.get(exp.experiment, 0)
    result.start, result.end, result.currency = scope.start, scope.end, currency
    return result


def assign_in(workspace_key: str, experiment: str, unit_id: str) -> AssignmentPublic:
    """The variation of ``unit_id`` in the workspace's defined ``experiment`` (its salt,
    variations and weights); raises ``LookupError`` when it is not defined."""
    from tradewinds.experiments.definitions import load

    defined = load(workspace_key).get(experiment)
    if defined is None:
        raise LookupError(f"no experiment {experiment!r} is defined")
    return assign(
        experiment,
        unit_id,
        [v.key for v in defined.variations],
        [v.weight for v in defined.variations],
        defined.hash_salt,
    )
