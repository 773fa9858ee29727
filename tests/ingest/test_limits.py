"""Compressed exports within limits: bombs, lying and nested archives, long lines."""

from __future__ import annotations

import gzip
import json
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.ingest.bombs import MIB, gzip_bomb, zip_bomb
from tradewinds.ingest import limits
from tradewinds.ingest.files.reading import RawFile, check_line_lengths
from tradewinds.ingest.service import import_file
from tradewinds.ingest.spec import FileError
from tradewinds.warehouse import open_warehouse


@pytest.fixture(scope="module")
def bombs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bombs")
    return {"zip": zip_bomb(folder / "big.zip"), "gzip": gzip_bomb(folder / "big.csv.gz")}


@pytest.fixture
def warehouse(tw_home: Path):
    wh = open_warehouse("limits")
    yield wh
    wh.close()


def test_gzip_of_newlines_is_refused_not_done_with_zero_rows(warehouse, bombs) -> None:
    with pytest.raises(
        limits.ArchiveRefused,
        match=r"^big\.csv\.gz expands more than 100 "
        r"times its compressed size \(the limit once past 8 MiB\)",
    ):
        import_file(warehouse=warehouse, path=bombs["gzip"])
    assert warehouse.count("orders") == 0 and warehouse.count("ad_spend_daily") == 0


def test_zip_declaring_2_gib_is_refused_from_its_directory(bombs) -> None:
    with (
        zipfile.ZipFile(bombs["zip"]) as zf,
        pytest.raises(limits.ArchiveRefused, match=r"^big\.zip expands past 1 GiB \(the limit"),
    ):
        limits.check_zip_directory(zf, "big.zip")
    with pytest.raises(limits.ArchiveRefused, match="split it or upload it uncompressed"):
        RawFile(bombs["zip"]).data  # noqa: B018


def test_zip_that_lies_about_its_size_stops_at_the_declared_size(tmp_path: Path) -> None:
    liar = zip_bomb(tmp_path / "liar.zip", expanded=64 * MIB, declared=4 * MIB)
    with pytest.raises(FileError, match="liar.zip cannot be read"):
        RawFile(liar).data  # noqa: B018


def test_dense_but_smaller_zip_is_refused_by_its_ratio(tmp_path: Path) -> None:
    dense = zip_bomb(tmp_path / "dense.zip", expanded=64 * MIB)
    with pytest.raises(limits.ArchiveRefused, match="looks like a decompression bomb"):
        RawFile(dense).data  # noqa: B018


def test_nested_archives_are_refused(tmp_path: Path) -> None:
    inner = tmp_path / "orders.csv.gz"
    inner.write_bytes(gzip.compress(b"a,b\n1,2\n"))
    outer = tmp_path / "orders.zip"
    with zipfile.ZipFile(outer, "w") as zf:
        zf.write(inner, "orders.csv.gz")
    with pytest.raises(limits.ArchiveRefused, match=r"holds another archive \(orders.csv.gz\)"):
        RawFile(outer).data  # noqa: B018
    twice = tmp_path / "twice.csv.gz"
    twice.write_bytes(gzip.compress(inner.read_bytes()))
    with pytest.raises(limits.ArchiveRefused, match="holds another gzip stream"):
        RawFile(twice).data  # noqa: B018


def test_total_limit_applies_to_real_exports(monkeypatch, shared_data: Path) -> None:
    path = shared_data / "online_retail" / "online_retail_non_uk.csv.gz"
    assert len(RawFile(path).data) > 2 * MIB  # within the default limits
    monkeypatch.setenv("TRADEWINDS_MAX_UNCOMPRESSED_BYTES", str(2 * MIB))
    with pytest.raises(limits.ArchiveRefused, match=r"expands past 2 MiB \(the limit"):
        RawFile(path).data  # noqa: B018


def test_workbook_bomb_is_refused_before_the_spreadsheet_reader(warehouse, tmp_path) -> None:
    sheet = zip_bomb(tmp_path / "report.xlsx", member="xl/worksheets/sheet1.xml")
    with pytest.raises(limits.ArchiveRefused, match=r"^report\.xlsx expands past 1 GiB"):
        import_file(warehouse=warehouse, path=sheet)
    with pytest.raises(limits.ArchiveRefused):
        limits.check_upload(sheet, "report.xlsx")


def test_upload_check_looks_at_a_gzip_prefix_only(bombs, shared_data: Path) -> None:
    with pytest.raises(limits.ArchiveRefused, match="big.csv.gz expands more than 100 times"):
        limits.check_upload(bombs["gzip"], "big.csv.gz")
    limits.check_upload(shared_data / "online_retail" / "online_retail_non_uk.csv.gz", "x.gz")


def test_a_50_mb_line_is_named(warehouse, tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    with path.open("wb") as out:
        out.write(
            b"InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,"
            b"Country\n536365,85123A,MUG,6,2010-12-01 08:26:00,2.55,17850.0,France\n"
        )
        out.write(b"536366,22633," + b"x" * (50 * MIB) + b",6,2010-12-01 08:28:00,1.85,,UK\n")
    with pytest.raises(
        FileError,
        match=r"^orders\.csv: line 3 is 50\.0 MiB long, more than "
        r"the 1 MiB one row may hold",
    ):
        import_file(warehouse=warehouse, path=path)
    assert warehouse.count("orders") == 0


@pytest.mark.parametrize(
    ("data", "line"),
    [
        (b"a\n" + b"x" * 2000, 2),
        (b"x" * 2000, 1),
        (b"a\nb\n" + b"y" * 1500 + b"\nc\n", 3),
        (b"a\n" * 600 + b"z" * 1100, 601),
    ],
)
def test_long_line_numbers(data: bytes, line: int) -> None:
    with pytest.raises(FileError, match=rf"line {line} is"):
        check_line_lengths(data, "f.csv", 1024)
    check_line_lengths(data, "f.csv", 4096)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # the app DB is not under test
def test_cli_refuses_bombs_without_a_traceback(tenants, bombs) -> None:
    from tradewinds.cli.main import app

    runner = CliRunner()
    for path in bombs.values():
        result = runner.invoke(app, ["import", str(path), "--workspace", tenants.a.name])
        assert result.exit_code != 0
        assert path.name in result.output and "Traceback" not in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
        as_json = runner.invoke(app, ["import", str(path), "--workspace", tenants.a.name, "--json"])
        error = json.loads(as_json.stdout)["error"]
        assert error["message"].startswith(path.name)
    with open_warehouse(tenants.a.workspace_key) as wh:
        assert wh.count("order_lines") == 0
