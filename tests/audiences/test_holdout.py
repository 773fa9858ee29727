from __future__ import annotations

from pathlib import Path

from tradewinds.audiences.holdout import holdout_comparison
from tradewinds.audiences.transactions import load_transactions


def test_cdnow_holdout_comparison(shared_data: Path) -> None:
    tx = load_transactions(shared_data / "cdnow" / "CDNOW_sample.txt", fmt="cdnow_sample")
    result = holdout_comparison(tx, calibration_end="1997-09-30", holdout_end="1998-06-30")
    table = result.by_frequency
    assert result.holdout_periods == 39.0
    assert list(table["calibration_repeats"]) == ["0", "1", "2", "3", "4", "5", "6", "7+"]
    assert table["customers"].sum() == result.customers == 2357
    # both the forecast and the truth rise with past repeat purchases
    assert table["predicted_mean"].is_monotonic_increasing
    assert table["actual_mean"].iloc[-1] > table["actual_mean"].iloc[0]
    # the model tracks the hold-out in aggregate (the paper reports a close fit)
    assert abs(result.predicted_total - result.actual_total) / result.actual_total < 0.2
