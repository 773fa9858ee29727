"""Who may read the experiment reports (see ``tradewinds.auth.access``).

Results are relative uplifts, rates and probabilities of the caller's own file: no money
of the workspace.
"""

from __future__ import annotations

from tradewinds.auth.access import report

RESULTS = report("experiments.results", title="experiment results")
BANDITS = report("experiments.bandits", title="bandit traffic weights")
