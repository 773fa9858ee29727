"""One conformance suite for every registered file format (as Singer taps share one)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from tests.ingest.samples import SAMPLES
from tradewinds.ingest.files.base import ImportOptions
from tradewinds.ingest.files.reading import RawFile, Sample
from tradewinds.ingest.files.registry import MIN_SCORE, detect, formats
from tradewinds.ingest.parsing import currency_codes
from tradewinds.ingest.spec import RowError, canonical_dtype, check_row, rows_from_frame

NAMES = [f.name for f in formats()]
OPTIONS = {"shopee_orders": ImportOptions(currency="TWD", timezone="Asia/Taipei")}


def test_every_registered_format_has_a_sample() -> None:
    assert sorted(SAMPLES) == sorted(NAMES)


def _read(name: str, tmp_path: Path, bad: bool = False):
    path = SAMPLES[name](tmp_path, bad)
    raw = RawFile(path)
    fmt = next(f for f in formats() if f.name == name)
    source = fmt.open(raw, OPTIONS.get(name, ImportOptions()))
    return fmt, raw, source


@pytest.mark.parametrize("name", NAMES)
def test_detects_its_own_sample(name: str, tmp_path: Path) -> None:
    raw = RawFile(SAMPLES[name](tmp_path, False))
    assert detect(raw).name == name


@pytest.mark.parametrize("name", NAMES)
def test_does_not_claim_other_samples(name: str, tmp_path: Path) -> None:
    fmt = next(f for f in formats() if f.name == name)
    for other, make in SAMPLES.items():
        if other == name:
            continue
        folder = tmp_path / other
        folder.mkdir()
        sample = Sample.of(RawFile(make(folder, False)))
        assert fmt.score(sample) < MIN_SCORE, f"{name} claims the {other} sample"


@pytest.mark.parametrize("name", NAMES)
def test_yields_canonical_columns_with_types(name: str, tmp_path: Path) -> None:
    fmt, _, source = _read(name, tmp_path)
    streams = source.streams()
    assert [s.table.name for s in streams] == list(fmt.tables)
    stored = 0
    for stream in streams:
        for item in stream.read():
            assert not isinstance(item, RowError), item
            assert isinstance(item, pd.DataFrame)
            assert list(item.columns) == list(stream.table.column_names)
            for col in stream.table.columns:
                assert str(item[col.name].dtype) == str(canonical_dtype(col)), col.name
            for row in rows_from_frame(item):
                assert check_row(stream.table, row) == []
                for col in stream.table.columns:
                    if col.type == "decimal" and row[col.name] is not None:
                        assert isinstance(row[col.name], Decimal)
                if "currency" in row and row["currency"] is not None:
                    assert row["currency"] in currency_codes()
                stored += 1
    assert stored > 0
    assert source.rows_read > 0


@pytest.mark.parametrize("name", NAMES)
def test_personal_data_only_in_customer_pii(name: str, tmp_path: Path) -> None:
    _, _, source = _read(name, tmp_path)
    emails = {"ana@example.com", "bo@example.com", "cy@example.com"}
    for stream in source.streams():
        if stream.table.name == "customer_pii":
            continue
        for item in stream.read():
            if isinstance(item, pd.DataFrame):
                text = item.astype(str).to_numpy().ravel().tolist()
                assert not emails & set(text), stream.table.name


@pytest.mark.parametrize("name", NAMES)
def test_malformed_row_gives_row_error_and_keeps_the_rest(name: str, tmp_path: Path) -> None:
    _, raw, source = _read(name, tmp_path, bad=True)
    errors = source.errors()
    assert errors, "a malformed value must be reported"
    for e in errors:
        assert e.file == raw.display_name
        assert isinstance(e.row, int) and e.row >= 2
        assert e.field and e.reason
    good = SAMPLES[name]((tmp_path / "good").mkdir() or tmp_path / "good", False)
    fmt = next(f for f in formats() if f.name == name)
    clean = fmt.open(RawFile(good), OPTIONS.get(name, ImportOptions())).parsed
    primary = fmt.primary_table
    assert len(source.parsed.frames[primary]) <= len(clean.frames[primary])
    assert source.rows_read == clean.rows_read
    rejected = {e.row for e in errors}
    assert len(rejected) < source.rows_read, "rows without errors must not be rejected"


@pytest.mark.parametrize("name", NAMES)
def test_reading_twice_gives_the_same_rows(name: str, tmp_path: Path) -> None:
    _, _, first = _read(name, tmp_path)
    fmt = next(f for f in formats() if f.name == name)
    again = fmt.open(first.raw, OPTIONS.get(name, ImportOptions())).parsed
    for table_name, frame in first.parsed.frames.items():
        pd.testing.assert_frame_equal(frame, again.frames[table_name])
