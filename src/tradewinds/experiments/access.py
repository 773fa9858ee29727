"""Who may read the experiment reports (see ``tradewinds.auth.access``).

Results are relative uplifts, rates and probabilities of the caller's own file: no money
of the workspace. From the collector's events, a role without finance.read gets the
purchase rate and orders per unit but not revenue per unit.
"""

from __future__ import annotations

from tradewinds.auth.access import report

RESULTS = report("experiments.results", title="experiment results")
BANDITS = report("experiments.bandits", title="bandit traffic weights")
EXPOSURES = report(
    "experiments.exposures",
    title="experiment results from the collector's events",
    money={"revenue"},
)
