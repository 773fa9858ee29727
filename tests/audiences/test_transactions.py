from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tradewinds.audiences.transactions import (
    TransactionFileError,
    holdout_counts,
    load_transactions,
    summarise,
)


def test_cdnow_master_and_sample_layouts(shared_data: Path) -> None:
    master = load_transactions(shared_data / "cdnow" / "CDNOW_master.txt", fmt="cdnow")
    sample = load_transactions(shared_data / "cdnow" / "CDNOW_sample.txt", fmt="cdnow_sample")
    assert master["customer_id"].nunique() == 23570
    assert sample["customer_id"].nunique() == 2357
    # every sampled customer's transactions are the master's transactions
    ids = set(sample["customer_id"])
    sub = master[master["customer_id"].isin(ids)]
    assert len(sub) == len(sample)
    assert sub["amount"].sum() == pytest.approx(sample["amount"].sum())


def test_summary_matches_the_published_cdnow_summary(shared_data: Path) -> None:
    """The lifetimes package ships x, t_x, T, zbar for the sample (in sample-id order)."""
    raw = pd.read_csv(
        shared_data / "cdnow" / "CDNOW_sample.txt",
        sep=r"\s+",
        header=None,
        names=["id", "sample_id", "date", "cds", "amount"],
        dtype=str,
    )
    tx = pd.DataFrame(
        {
            "customer_id": raw["sample_id"].astype(int).astype(str),
            "date": pd.to_datetime(raw["date"], format="%Y%m%d"),
            "amount": raw["amount"].astype(float),
        }
    )
    s = summarise(tx, calibration_end="1997-09-30", period="week").frame()
    s["customer_id"] = s["customer_id"].astype(int)
    ref = pd.read_csv(shared_data / "cdnow" / "cdnow_customers_summary_with_transactions.csv")
    merged = s.merge(ref, left_on="customer_id", right_on="ID")
    assert len(merged) == 2357
    np.testing.assert_array_equal(merged["frequency"], merged["x"])
    np.testing.assert_allclose(merged["recency"], merged["t_x"], atol=0.006)
    np.testing.assert_allclose(merged["T_x"], merged["T_y"], atol=0.006)
    np.testing.assert_allclose(merged["monetary"], merged["zbar"], atol=0.006)


def test_same_day_purchases_count_once_and_holdout_counts(tmp_path: Path) -> None:
    path = tmp_path / "tx.csv"
    path.write_text(
        "customer_id,date,amount\n"
        "a,2024-01-01,10\na,2024-01-01,5\na,2024-01-08,20\n"
        "b,2024-01-05,7\nb,2024-02-10,9\na,2024-02-01,3\n"
    )
    tx = load_transactions(path, fmt="csv")
    s = summarise(tx, calibration_end="2024-01-31", period="week")
    frame = s.frame().set_index("customer_id")
    assert frame.loc["a", "frequency"] == 1
    assert frame.loc["a", "recency"] == pytest.approx(1.0)
    assert frame.loc["a", "T"] == pytest.approx(30 / 7)
    assert frame.loc["a", "monetary"] == pytest.approx(20.0)
    assert frame.loc["b", "frequency"] == 0
    counts = holdout_counts(
        tx, customer_ids=s.customer_id, calibration_end="2024-01-31", holdout_end="2024-03-01"
    )
    assert dict(zip(s.customer_id, counts, strict=True)) == {"a": 1.0, "b": 1.0}


def test_bad_files_say_what_is_wrong(tmp_path: Path) -> None:
    path = tmp_path / "tx.csv"
    path.write_text("customer,when,value\n1,2024-01-01,3\n")
    with pytest.raises(TransactionFileError, match="customer_id"):
        load_transactions(path, fmt="csv")
    path.write_text("customer_id,date,amount\n1,2024-01-01,3\n2,yesterday,4\n")
    with pytest.raises(TransactionFileError, match="row 2"):
        load_transactions(path, fmt="csv")
