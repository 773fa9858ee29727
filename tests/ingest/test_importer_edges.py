"""Importer edges: numbers too large, scientific notation, warnings for unlikely rows,
mixed date orders named by line, and orders whose good lines are held back (or not)."""

from __future__ import annotations

import gzip
import json
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from tradewinds.ingest import parsing
from tradewinds.ingest.files.base import ImportOptions
from tradewinds.ingest.service import import_file
from tradewinds.ingest.spec import FileError
from tradewinds.warehouse import open_warehouse

HEADER = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country"
GOOD = [
    f"5400{i:02d},85123A,MUG,6,2010-12-0{1 + i % 9} 08:26:00,2.55,17850.0,France" for i in range(40)
]


def retail(tmp_path: Path, *rows: str, good: int = 40, name: str = "retail.csv") -> Path:
    """An Online Retail file: ``rows`` first (data rows from file line 2), then good rows."""
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *rows, *GOOD[:good]]) + "\n")
    return path


@pytest.fixture
def warehouse(tw_home: Path):
    wh = open_warehouse("edges")
    yield wh
    wh.close()


def _by_row(problems) -> dict[int, str]:
    return {p.row: p.reason for p in problems}


def test_twenty_digit_quantity_is_a_row_error(warehouse, tmp_path: Path) -> None:
    path = retail(
        tmp_path,
        "536365,71053,LANTERN,12345678901234567890,2010-12-01 08:26:00,3.39,17850.0,France",
    )
    report = import_file(warehouse=warehouse, path=path)
    [error] = report.errors
    assert (error.file, error.row, error.field) == ("retail.csv", 2, "Quantity")
    assert error.value == "12345678901234567890"
    assert error.reason == "quantity 12345678901234567890 is too large (at most 9 digits)"
    assert (report.imported, report.rejected) == (40, 1)


def test_huge_price_is_too_large_and_scientific_notation_is_refused(warehouse, tmp_path) -> None:
    path = retail(
        tmp_path,
        "536366,22633,HAND,6,2010-12-01 08:28:00,1e30,17850.0,France",
        "536367,22633,HAND,6,2010-12-01 08:28:00,1.5E+03,17850.0,France",
        "536368,22633,HAND,6,2010-12-01 08:28:00,123456789012345.5,17850.0,France",
        "536369,22633,HAND,999999999,2010-12-01 08:28:00,99999999999,17850.0,France",
    )
    report = import_file(warehouse=warehouse, path=path, max_rejected_share=0.5)
    reasons = _by_row(report.errors)
    assert reasons[2] == "price 1e30 is too large (at most 14 digits before the decimal mark)"
    assert reasons[3].startswith(
        "price 1.5E+03 is written in scientific notation; write the number out in full"
    )
    assert reasons[4] == (
        "price 123456789012345.5 is too large (at most 14 digits before the decimal mark)"
    )
    assert reasons[5] == ("quantity × price (999,999,999 × 99999999999) is too large for one line")
    assert "decimal mark" not in reasons[3]
    assert report.imported == 40


def test_unlikely_rows_are_imported_with_warnings(warehouse, tmp_path: Path) -> None:
    path = retail(
        tmp_path,
        "536370,22633,HAND,-6,2010-12-01 08:28:00,2.50,17850.0,France",
        "C536371,22633,HAND,-6,2010-12-01 08:28:00,2.50,17850.0,France",
        "A563186,B,Adjust bad debt,1,2011-08-12 14:51:00,-11062.06,,United Kingdom",
        "536372,22633,HAND,6,2099-12-01 08:28:00,2.50,17850.0,France",
        "536373,22633,HAND,6,1900-01-01 08:28:00,2.50,17850.0,France",
    )
    report = import_file(warehouse=warehouse, path=path)
    assert (report.rejected, report.imported) == (0, 45)
    warnings = _by_row(report.warnings)
    assert warnings == {
        2: "quantity -6 is negative but order 536370 is not marked as a return; imported as it is",
        4: "price -11062.06 is below zero (usually an adjustment, not a sale); imported as it is",
        5: "the date 2099-12-01 08:28:00 is in the future; imported as it is, check the year",
        6: "the date 1900-01-01 08:28:00 is before 1990; imported as it is, check the year",
    }
    assert 3 not in warnings  # a C invoice is a return: its negative quantity is expected
    assert [w.field for w in report.warnings] == [
        "quantity",
        "unit_price",
        "InvoiceDate",
        "InvoiceDate",
    ]
    assert report.to_dict()["warnings_total"] == 4


def test_mixed_date_orders_name_the_lines_and_the_option(warehouse, tmp_path: Path) -> None:
    path = tmp_path / "dates.csv"
    path.write_text(
        "\n".join(
            [
                HEADER,
                "536365,85123A,MUG,6,01/02/2011 08:26,2.55,17850.0,France",
                "536366,85123A,MUG,6,25/03/2011 08:26,2.55,17850.0,France",
                "536367,85123A,MUG,6,04/05/2011 08:26,2.55,17850.0,France",
                "536368,85123A,MUG,6,03/26/2011 08:26,2.55,17850.0,France",
            ]
        )
        + "\n"
    )
    with pytest.raises(FileError) as refused:
        import_file(warehouse=warehouse, path=path)
    assert str(refused.value) == (
        "dates.csv, column InvoiceDate: dates mix day-first and month-first order, so none can "
        "be read safely: line 3 reads 25/03/2011 08:26 (day first) but line 5 reads "
        "03/26/2011 08:26 (month first). If one order is right, choose it with --date-order "
        "dmy or --date-order mdy; the rows written the other way are then listed as errors"
    )
    chosen = import_file(
        warehouse=warehouse,
        path=path,
        max_rejected_share=0.5,
        options=ImportOptions(date_order="dmy"),
    )
    assert (chosen.imported, chosen.rejected) == (3, 1)
    assert chosen.errors[0].row == 5


def test_good_lines_of_a_bad_order_are_held_back_and_reported(warehouse, tmp_path) -> None:
    lines = [f"536365,8512{i},MUG,6,2010-12-01 08:26:00,2.55,17850.0,France" for i in range(7)]
    lines[2] = "536365,85122,MUG,six,2010-12-01 08:26:00,2.55,17850.0,France"
    path = retail(tmp_path, *lines)
    held = import_file(warehouse=warehouse, path=path, max_rejected_share=0.5)
    assert (held.imported, held.rejected) == (40, 7)
    assert "order 536365: 6 good lines held back because line 4 is bad" in held.notes
    assert any("--partial-orders" in n for n in held.notes)
    assert (
        warehouse.query(
            "SELECT count(*) FROM order_lines WHERE order_id = 'online_retail:536365'"
        ).scalar()
        == 0
    )

    partial = import_file(
        warehouse=warehouse, path=path, options=ImportOptions(partial_orders=True)
    )
    assert (partial.imported, partial.rejected) == (6, 1)
    assert "order 536365: 6 good lines imported without the bad line 4" in partial.notes
    assert warehouse.query(
        "SELECT count(*), sum(total) FROM orders WHERE order_id = 'online_retail:536365'"
    ).rows[0] == (1, Decimal("91.8000"))


def test_real_online_retail_warnings_match_pandas(warehouse, shared_data: Path) -> None:
    path = shared_data / "online_retail" / "online_retail_non_uk.csv.gz"
    report = import_file(warehouse=warehouse, path=path)
    assert (report.imported, report.rejected) == (46_431, 0)
    with gzip.open(path, "rt") as fh:
        frame = pd.read_csv(fh, dtype=str, keep_default_na=False)
    quantity, price = frame["Quantity"].astype(int), frame["UnitPrice"].astype(float)
    not_returns = (quantity < 0) & ~frame["InvoiceNo"].str.startswith("C")
    by_field = pd.Series([w.field for w in report.warnings]).value_counts().to_dict()
    assert by_field.get("quantity", 0) == int(not_returns.sum())
    assert by_field.get("unit_price", 0) == int((price < 0).sum())
    assert "InvoiceDate" not in by_field  # 2010-2011: no unlikely year


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # the app DB is not under test
def test_cli_reports_edges_without_a_traceback(tenants, tmp_path: Path) -> None:
    from tradewinds.cli.main import app

    path = retail(
        tmp_path,
        "536365,71053,LANTERN,12345678901234567890,2010-12-01 08:26:00,3.39,17850.0,France",
        "536370,22633,HAND,-6,2010-12-01 08:28:00,2.50,17850.0,France",
    )
    runner = CliRunner()
    shown = runner.invoke(app, ["import", str(path), "--workspace", tenants.a.name])
    assert shown.exit_code == 0, shown.output
    assert "Traceback" not in shown.output
    assert "quantity 12345678901234567890 is too large" in shown.output
    assert "warning: retail.csv:3 column 'quantity'" in shown.output
    as_json = runner.invoke(
        app,
        [
            "import",
            str(path),
            "--workspace",
            tenants.a.name,
            "--json",
            "--partial-orders",
            "--date-order",
            "ymd",
        ],
    )
    [file] = json.loads(as_json.stdout)["files"]
    assert file["warnings_total"] == 1 and file["warnings"][0]["row"] == 3
    wrong = runner.invoke(
        app, ["import", str(path), "--workspace", tenants.a.name, "--date-order", "dym"]
    )
    assert wrong.exit_code != 0 and "unknown date order 'dym'" in wrong.output


# --- parser properties

digits = st.text(alphabet="0123456789", min_size=1, max_size=30)


@settings(deadline=None, max_examples=200)
@given(
    st.lists(st.tuples(digits, st.text(alphabet="0123456789", max_size=4)), min_size=1, max_size=20)
)
def test_amount_column_is_exact_or_names_a_too_large_value(parts) -> None:
    """Any digits: exact units when 14 or fewer come before the mark, else "too large" —
    never an exception from the vectorised reader."""
    texts = [f"{a}.{b}" if b else a for a, b in parts]
    units, bad = parsing.decimal_units_column(pd.Series(texts), ".")
    for text, unit, is_bad in zip(texts, units, bad, strict=True):
        integer = text.split(".")[0].lstrip("0")
        if len(integer) > parsing.MAX_AMOUNT_DIGITS:
            assert is_bad
            assert parsing.number_problem(text, ".", what="price").endswith(
                "is too large (at most 14 digits before the decimal mark)"
            )
        else:
            assert not is_bad and unit == int(Decimal(text) * 10**parsing.DECIMAL_SCALE)


@settings(deadline=None, max_examples=200)
@given(
    st.decimals(
        min_value=Decimal("-1e40"),
        max_value=Decimal("1e40"),
        allow_nan=False,
        allow_infinity=False,
        places=3,
    ),
    st.integers(min_value=-20, max_value=40),
)
def test_scientific_notation_is_refused_with_a_reason(mantissa: Decimal, exponent: int) -> None:
    text = f"{mantissa}e{exponent}"
    _, bad = parsing.decimal_units_column(pd.Series([text]), ".")
    assert bad.iloc[0]
    reason = parsing.number_problem(text, ".", what="price")
    value = abs(Decimal(text))
    if value >= Decimal(10) ** parsing.MAX_AMOUNT_DIGITS:
        assert "is too large" in reason
    else:
        assert "scientific notation" in reason


def test_mixed_date_order_positions() -> None:
    with pytest.raises(parsing.MixedDateOrder) as mixed:
        parsing.infer_date_order(["01/02/2024", "25/01/2024", "x", "01/25/2024", "26/01/2024"])
    assert (mixed.value.day_first, mixed.value.month_first) == (1, 3)
    assert (mixed.value.day_first_value, mixed.value.month_first_value) == (
        "25/01/2024",
        "01/25/2024",
    )
