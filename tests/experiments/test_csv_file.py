from __future__ import annotations

import pytest

from tradewinds.experiments.csv_file import ExperimentFileError, read_text

HEADER = "experiment,variation,units,metric,metric_type,sum,sum_squares\n"


def test_reads_experiments_with_the_first_variation_as_control():
    text = HEADER + (
        "e1,control,100,buy,binomial,10,\n"
        "e1,B,110,buy,binomial,18,\n"
        "e1,control,100,revenue,mean,1000,25000\n"
        "e1,B,110,revenue,mean,1200,31000\n"
    )
    [exp] = read_text(text)
    assert exp.variations == ("control", "B") and exp.units == (100, 110)
    assert [m.name for m in exp.metrics] == ["buy", "revenue"]
    assert exp.metrics[1].sum_squares == (25000.0, 31000.0)
    assert exp.weights == (1.0, 1.0)


@pytest.mark.parametrize(
    ("body", "row", "column", "why"),
    [
        ("e1,control,100,buy,binomial,10,\ne1,B,ten,buy,binomial,1,\n", 3, "units", "not a number"),
        ("e1,control,100,buy,binomial,120,\ne1,B,10,buy,binomial,1,\n", 2, "sum", "between 0"),
        ("e1,control,100,buy,ratio,1,\n", 2, "metric_type", "binomial or mean"),
        ("e1,control,100,rev,mean,10,\n", 2, "sum_squares", "sum of squares"),
        ("e1,control,100,rev,mean,100,5\n", 2, "sum_squares", "smaller than"),
        ("e1,control,100,buy,binomial,1,\ne1,control,90,buy,binomial,1,\n", 3, "units", "row 2"),
        (
            "e1,control,100,buy,binomial,1,\ne1,control,100,buy,binomial,2,\n",
            3,
            "metric",
            "already",
        ),
        ("e1,control,100,buy,binomial,1,\n", 2, "variation", "at least one variation"),
        ("e1,,100,buy,binomial,1,\n", 2, "variation", "empty"),
    ],
)
def test_bad_rows_name_file_row_column_and_reason(body, row, column, why):
    with pytest.raises(ExperimentFileError) as caught:
        read_text(HEADER + body, name="tests.csv")
    error = caught.value
    assert (error.file, error.row, error.column) == ("tests.csv", row, column)
    assert why in error.reason and str(error).startswith("tests.csv, row")


def test_a_missing_column_is_named():
    with pytest.raises(ExperimentFileError, match="lacks sum_squares") as caught:
        read_text("experiment,variation,units,metric,metric_type,sum\n", name="x.csv")
    assert caught.value.row == 1
