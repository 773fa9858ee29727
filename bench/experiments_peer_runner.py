"""Run with the gbstats venv (bench/.venv-gbstats/bin/python): GrowthBook's own numbers for
the standard inputs of experiments_cases.py, written to
tests/experiments/data/gbstats_fixtures.json (``--out -`` prints them instead).

    python3 -m venv bench/.venv-gbstats && bench/.venv-gbstats/bin/pip install gbstats==0.8.0
    bench/.venv-gbstats/bin/python bench/experiments_peer_runner.py
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from experiments_cases import ab_cases, srm_cases  # noqa: E402
from gbstats.bayesian.tests import EffectBayesianABTest, EffectBayesianConfig  # noqa: E402
from gbstats.frequentist.tests import (  # noqa: E402
    FrequentistConfig,
    SequentialConfig,
    SequentialTwoSidedTTest,
    TwoSidedTTest,
)
from gbstats.gbstats import check_srm  # noqa: E402
from gbstats.models.statistics import ProportionStatistic, SampleMeanStatistic  # noqa: E402

OUT = Path(__file__).parent.parent / "tests" / "experiments" / "data" / "gbstats_fixtures.json"


def _stat(kind: str, values: list[float]):
    n, total, squares = values
    if kind == "binomial":
        return ProportionStatistic(n=int(n), sum=total)
    return SampleMeanStatistic(n=int(n), sum=total, sum_squares=squares)


def compute(cases: list[dict], splits: list[dict]) -> dict:
    out = []
    for case in cases:
        a, b = _stat(case["type"], case["a"]), _stat(case["type"], case["b"])
        f = TwoSidedTTest(a, b, FrequentistConfig(difference_type="relative")).compute_result()
        s = SequentialTwoSidedTTest(
            a, b, SequentialConfig(difference_type="relative", sequential_tuning_parameter=5000)
        ).compute_result()
        y = EffectBayesianABTest(a, b, EffectBayesianConfig()).compute_result()
        out.append(
            {
                **case,
                "relative_uplift": f.expected,
                "ci_low": f.ci[0],
                "ci_high": f.ci[1],
                "p_value": f.p_value,
                "sequential_ci_low": s.ci[0],
                "sequential_ci_high": s.ci[1],
                "sequential_p_value": s.p_value,
                "chance_to_win": y.chance_to_win,
                "risk_control": y.risk[0],
                "risk_treatment": y.risk[1],
                "bayesian_ci_low": y.ci[0],
                "bayesian_ci_high": y.ci[1],
            }
        )
    srm = [{**c, "p_value": float(check_srm(c["units"], c["weights"]))} for c in splits]
    return {
        "peer": f"gbstats {importlib.metadata.version('gbstats')}",
        "tests": "TwoSidedTTest, SequentialTwoSidedTTest (tuning 5000), EffectBayesianABTest "
        "(default improper prior), relative difference; check_srm",
        "ab": out,
        "srm": srm,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=str(OUT), help="a path, or - for stdout")
    parser.add_argument("--cases", help="a JSON file of {ab: [...], srm: [...]} to use instead")
    args = parser.parse_args()
    if args.cases:
        given = json.loads(Path(args.cases).read_text())
        result = compute(given["ab"], given["srm"])
    else:
        result = compute(ab_cases(), srm_cases())
    text = json.dumps(result, indent=1, default=float) + "\n"
    if args.out == "-":
        sys.stdout.write(text)
    else:
        Path(args.out).write_text(text)
        print(f"wrote {args.out}: {len(result['ab'])} comparisons, {len(result['srm'])} splits")


if __name__ == "__main__":
    main()
