"""Runs inside bench/.venv-pymc: fits PyMC-Marketing's MMM (geometric adstock over 14 days,
its default logistic saturation, yearly seasonality) on the job's daily
data and prints its fit time and each channel's contribution over the period as JSON.

stdin: {"dates": [...], "revenue": [...], "spend": {channel: [...]}, "draws": n, "tune": n,
"chains": n}
"""

from __future__ import annotations

import json
import sys
import time

import numpy as np
import pandas as pd


def main() -> None:
    job = json.loads(sys.stdin.read())
    from pymc_marketing.mmm import MMM, GeometricAdstock

    # the logistic saturation, PyMC-Marketing's default: with its Hill curve NUTS steps into
    # NaNs on two years of days and the adstock's parameter check aborts the sampler
    from pymc_marketing.mmm import LogisticSaturation as Saturation

    channels = list(job["spend"])
    frame = pd.DataFrame({"date": pd.to_datetime(job["dates"]), **job["spend"]})
    y = pd.Series(job["revenue"], name="revenue")
    try:
        from pymc_extras.prior import Prior
    except ImportError:
        from pymc_marketing.prior import Prior
    # a decay prior centred as Tradewinds' own (the default Beta(1, 3) leans towards no
    # carry-over)
    adstock = GeometricAdstock(l_max=14, priors={"alpha": Prior("Beta", alpha=2, beta=2)})
    mmm = MMM(
        date_column="date",
        channel_columns=channels,
        adstock=adstock,
        saturation=Saturation(),
        yearly_seasonality=2,
    )
    started = time.perf_counter()
    mmm.fit(
        frame,
        y,
        draws=job.get("draws", 500),
        tune=job.get("tune", 500),
        chains=job.get("chains", 2),
        cores=1,  # chains one after another: the multiprocess start fails in some builds
        random_seed=1,
        progressbar=False,
    )
    seconds = time.perf_counter() - started
    contributions: dict[str, float] = {}
    try:
        posterior = mmm.compute_channel_contribution_original_scale()
        mean = posterior.mean(dim=("chain", "draw")).sum(dim="date")
        contributions = {c: float(mean.sel(channel=c)) for c in channels}
    except Exception as exc:  # noqa: BLE001 - the timing is the answer; contributions are extra
        print(f"contributions unavailable: {exc}", file=sys.stderr)
    print(json.dumps({"fit_seconds": seconds, "contributions": contributions}))


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
