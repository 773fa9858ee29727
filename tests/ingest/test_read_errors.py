"""Import errors in a seller's words: the wrong format forced, header-only, binary, empty and
UTF-16 files, through ``import_file`` and ``tradewinds import``."""

from __future__ import annotations

import gzip
import io
import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.ingest.samples import SAMPLES
from tradewinds.cli.main import app
from tradewinds.ingest.files.reading import RawFile
from tradewinds.ingest.files.registry import detect
from tradewinds.ingest.service import import_file
from tradewinds.ingest.spec import FileError

#: words of the readers' own messages, which a seller must never see
INTERNALS = (
    "C error",
    "tokenizing",
    "Tokenizing",
    "ArrowInvalid",
    "Traceback",
    "pandas",
    "pyarrow",
    "openpyxl",
    "Error tokenizing",
    "fields in line",
)


def _clean(message: str) -> None:
    for word in INTERNALS:
        assert word not in message, message


def real_files(shared: Path, tmp: Path) -> dict[str, Path]:
    """Real exports to force into the wrong format: both Google Ads downloads, the first
    lines of Online Retail, the genuine Shopify header with the sample's rows under it."""
    retail = tmp / "online_retail_sample.csv"
    with gzip.open(shared / "online_retail" / "online_retail_non_uk.csv.gz", "rt") as fh:
        retail.write_text("".join(next(fh) for _ in range(40)))
    return {
        "google_ads": shared / "ad_exports" / "google_ads_landing_page_report.csv",
        "google_ads_bid": shared / "ad_exports" / "google_ads_advanced_bid_adjustment_report.csv",
        "online_retail": retail,
        "shopify_orders": SAMPLES["shopify_orders"](tmp, False),
    }


#: (file, format forced on it, what the message says it looks like)
WRONG = [
    ("google_ads", "shopify_orders", "a Google Ads report"),
    ("google_ads", "online_retail", "a Google Ads report"),
    ("google_ads_bid", "meta_ads", "a Google Ads report"),
    ("google_ads_bid", "amazon_orders", "a Google Ads report"),
    ("online_retail", "google_ads", "UCI Online Retail invoice lines"),
    ("online_retail", "shopify_orders", "UCI Online Retail invoice lines"),
    ("online_retail", "tiktok_ads", "UCI Online Retail invoice lines"),
    ("shopify_orders", "google_ads", "a Shopify orders export"),
    ("shopify_orders", "online_retail", "a Shopify orders export"),
    ("shopify_orders", "ebay_orders", "a Shopify orders export"),
]


@pytest.mark.parametrize(("name", "forced", "looks_like"), WRONG)
def test_a_forced_wrong_format_says_what_the_file_looks_like(
    warehouse, shared_data: Path, tmp_path: Path, name: str, forced: str, looks_like: str
) -> None:
    path = real_files(shared_data, tmp_path)[name]
    with pytest.raises(FileError) as caught:
        import_file(warehouse=warehouse, path=path, format=forced)
    message = str(caught.value)
    assert message.startswith(f"{path.name}, line "), message
    assert f"it looks like {looks_like}" in message
    assert "this does not look like" in message
    _clean(message)
    assert warehouse.query("SELECT COUNT(*) FROM order_lines").scalar() == 0
    assert warehouse.query("SELECT COUNT(*) FROM ad_spend_daily").scalar() == 0


def test_the_google_ads_file_as_shopify_names_line_and_columns(
    warehouse, shared_data: Path
) -> None:
    path = shared_data / "ad_exports" / "google_ads_landing_page_report.csv"
    with pytest.raises(FileError) as caught:
        import_file(warehouse=warehouse, path=path, format="shopify_orders")
    assert str(caught.value).startswith(
        "google_ads_landing_page_report.csv, line 3: expected 1 column, found 11 "
        "(from column 2 on, the row has more cells than the header line) — this does not "
        "look like a Shopify orders export; it looks like a Google Ads report"
    )


def header_only(fmt: str, tmp: Path) -> Path:
    """The shortest start of the format's sample that is still recognised as the format."""
    sample = SAMPLES[fmt](tmp, False)
    out = tmp / f"header_only_{sample.name}"
    if sample.suffix == ".xlsx":
        from openpyxl import Workbook, load_workbook

        header = next(
            load_workbook(sample, read_only=True).worksheets[0].iter_rows(values_only=True)
        )
        book = Workbook()
        book.active.append(list(header))
        book.save(out)
        return out
    data = sample.read_bytes()
    if sample.suffix == ".gz":
        data, out = gzip.decompress(data), out.with_suffix("")
    lines = data.splitlines(keepends=True)
    for n in range(1, len(lines)):
        out.write_bytes(b"".join(lines[:n]))
        try:
            if detect(RawFile(out)).name == fmt:
                return out
        except FileError:
            continue
    raise AssertionError(f"no header-only start of the {fmt} sample is recognised")


@pytest.mark.parametrize("fmt", sorted(SAMPLES))
def test_a_header_only_file_is_no_rows(warehouse, tmp_path: Path, fmt: str) -> None:
    path = header_only(fmt, tmp_path)
    report = import_file(warehouse=warehouse, path=path)
    assert (report.format, report.status, report.read, report.imported) == (fmt, "no_rows", 0, 0)
    assert any("no rows" in note for note in report.notes)
    assert report.to_dict()["status"] == "no_rows"


def test_the_real_shopify_header_alone_is_no_rows(warehouse, shared_data: Path) -> None:
    path = shared_data / "export_headers" / "shopify_orders_export_header.csv"
    report = import_file(warehouse=warehouse, path=path)
    assert (report.format, report.status) == ("shopify_orders", "no_rows")


def unreadable(tmp: Path) -> dict[str, tuple[Path, str]]:
    """Files no reader can take, and what their message must say."""
    empty = tmp / "empty.csv"
    empty.write_bytes(b"")
    blank = tmp / "blank.csv"
    blank.write_bytes(b"\n\n  \n")
    binary = tmp / "binary.csv"
    binary.write_bytes(bytes(range(256)) * 40)
    noise = tmp / "noise.csv"
    noise.write_bytes(os.urandom(3000).replace(b"\n", b"") + b"\n" + os.urandom(3000))
    pdf = tmp / "report.csv"
    pdf.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    book = tmp / "orders.csv"  # an XLSX workbook saved under a .csv name
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["Name", "Email"])
    buf = io.BytesIO()
    wb.save(buf)
    book.write_bytes(buf.getvalue())
    broken = tmp / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    return {
        "empty": (empty, "is empty"),
        "blank": (blank, "is empty"),
        "binary": (binary, "binary data"),
        "noise": (noise, "binary data"),
        "pdf": (pdf, "a PDF document"),
        "xlsx named .csv": (book, "an XLSX workbook"),
        "broken xlsx": (broken, "not a readable XLSX workbook"),
    }


@pytest.mark.parametrize(
    "case", ["empty", "blank", "binary", "noise", "pdf", "xlsx named .csv", "broken xlsx"]
)
@pytest.mark.parametrize("forced", [None, "shopify_orders", "google_ads", "online_retail"])
def test_files_that_are_not_tables_say_so(
    warehouse, tmp_path: Path, case: str, forced: str | None
) -> None:
    path, words = unreadable(tmp_path)[case]
    with pytest.raises(FileError) as caught:
        import_file(warehouse=warehouse, path=path, format=forced)
    message = str(caught.value)
    assert message.startswith(path.name) and words in message, message
    _clean(message)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_files_import_like_utf8(
    warehouse, shared_data: Path, tmp_path: Path, encoding: str
) -> None:
    retail = real_files(shared_data, tmp_path)["online_retail"]
    path = tmp_path / f"retail_{encoding}.csv"
    path.write_bytes(retail.read_text(encoding="utf-8").encode(encoding))
    report = import_file(warehouse=warehouse, path=path)
    assert (report.format, report.status, report.read, report.errors) == (
        "online_retail",
        "done",
        39,
        [],
    )
    with pytest.raises(FileError) as caught:
        import_file(warehouse=warehouse, path=path, format="google_ads")
    assert "it looks like UCI Online Retail invoice lines" in str(caught.value)


def test_a_quote_never_closed_names_its_line(warehouse, tmp_path: Path) -> None:
    path = tmp_path / "retail.csv"
    path.write_text(
        "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
        "536365,85123A,WHITE HEART,6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom\n"
        '536366,22633,"HAND WARMER,6,2010-12-01 08:28:00,1.85,,United Kingdom\n'
        "536367,22632,HAND WARMER RED,6,2010-12-01 08:28:00,1.85,,United Kingdom\n"
    )
    with pytest.raises(FileError) as caught:
        import_file(warehouse=warehouse, path=path)
    message = str(caught.value)
    assert message.startswith("retail.csv, line 3: a quoted cell is never closed"), message
    _clean(message)


def test_the_command_line_says_it_in_the_same_words(
    tenants, shared_data: Path, tmp_path: Path
) -> None:
    runner = CliRunner()
    google = shared_data / "ad_exports" / "google_ads_landing_page_report.csv"
    result = runner.invoke(
        app,
        [
            "import",
            str(google),
            "--format",
            "shopify_orders",
            "--workspace",
            tenants.a.name,
            "--json",
        ],
    )
    assert result.exit_code != 0
    message = json.loads(result.stdout)["error"]["message"]
    assert message.startswith(f"{google.name}, line 3: expected 1 column, found 11")
    assert "it looks like a Google Ads report" in message
    _clean(result.output)

    cases = unreadable(tmp_path)
    for path, words in (cases["binary"], cases["empty"]):
        plain = runner.invoke(app, ["import", str(path), "--workspace", tenants.a.name])
        assert plain.exit_code != 0 and words in plain.output and path.name in plain.output
        _clean(plain.output)

    header = shared_data / "export_headers" / "shopify_orders_export_header.csv"
    done = runner.invoke(app, ["import", str(header), "--workspace", tenants.a.name])
    assert done.exit_code == 0, done.output
    assert "[shopify_orders] NO ROWS: read 0" in done.output
    from tradewinds.db.engine import session_scope
    from tradewinds.ingest.history import list_imports

    with session_scope() as session:
        [job] = list_imports(session=session, workspace_id=tenants.a.workspace_id)
    assert (job.outcome, job.files[0].status) == ("no_rows", "no_rows")
