from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tradewinds.attribution.pathfile import PathFileError, read_path_file
from tradewinds.attribution.pathtable import PathTable

from .strategies import path_tables

HEADER = "path;total_conversions;total_conversion_value;total_null\n"


def write(tmp: Path, text: str) -> Path:
    file = tmp / "paths.csv"
    file.write_text(text, encoding="utf-8")
    return file


def test_reads_channelattribution_example(shared_data: Path) -> None:
    table = read_path_file(shared_data / "attribution" / "ChannelAttribution_Data.csv")
    assert table.n_paths == 10_000
    assert "alpha" in table.channels
    assert all(c == c.strip() and c for c in table.channels)
    assert table.conversions.sum() > 0 and table.nulls.sum() > 0


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(table=path_tables(max_paths=20))
def test_round_trip(tmp_path: Path, table: PathTable) -> None:
    lines = [
        f"{' > '.join(p)};{c:g};{float(v)!r};{n:g}"
        for p, c, v, n in zip(
            table.sequences(), table.conversions, table.value, table.nulls, strict=True
        )
    ]
    back = read_path_file(write(tmp_path, HEADER + "\n".join(lines) + "\n"))
    assert back.sequences() == table.sequences()
    assert list(back.conversions) == list(table.conversions)
    assert list(back.value) == list(table.value)
    assert list(back.nulls) == list(table.nulls)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    n_rows=st.integers(1, 30),
    data=st.data(),
    field=st.sampled_from(["total_conversions", "total_conversion_value", "total_null"]),
    bad=st.sampled_from(["abc", "-1", "", "1,5", "inf"]),
)
def test_bad_number_is_reported_with_line_and_field(
    tmp_path: Path, n_rows: int, data: st.DataObject, field: str, bad: str
) -> None:
    bad_row = data.draw(st.integers(0, n_rows - 1))
    rows = []
    for i in range(n_rows):
        cells = {"total_conversions": "1", "total_conversion_value": "2.5", "total_null": "3"}
        if i == bad_row:
            cells[field] = bad
        rows.append(
            f"a > b;{cells['total_conversions']};{cells['total_conversion_value']};"
            f"{cells['total_null']}"
        )
    file = write(tmp_path, HEADER + "\n".join(rows) + "\n")
    with pytest.raises(PathFileError) as info:
        read_path_file(file)
    assert info.value.line == bad_row + 2
    assert info.value.field == field
    assert str(file) in str(info.value)


@pytest.mark.parametrize(
    ("text", "line", "field", "words"),
    [
        (HEADER + "a > b;1;2;3\na >  > c;1;2;3\n", 3, "path", "empty channel"),
        (HEADER + "a;1;2;3\n;1;2;3\n", 3, "path", "path is empty"),
        (HEADER + "a;1;2;3\na;1;2;3;4\n", 3, None, "wrong number of fields"),
        ("path,total_conversions\na,1\n", 1, "path", "missing column"),
        (HEADER, 2, None, "no paths"),
        ("", 1, None, "empty"),
    ],
)
def test_bad_files(tmp_path: Path, text: str, line: int, field: str | None, words: str) -> None:
    with pytest.raises(PathFileError) as info:
        read_path_file(write(tmp_path, text))
    assert info.value.line == line
    assert info.value.field == field
    assert words in info.value.reason


def test_optional_columns_default_to_zero(tmp_path: Path) -> None:
    table = read_path_file(write(tmp_path, "path;total_conversions\nx > y;2\ny;0\n"))
    assert table.value.tolist() == [0.0, 0.0]
    assert table.nulls.tolist() == [0.0, 0.0]


def test_other_separators(tmp_path: Path) -> None:
    file = write(tmp_path, "path,total_conversions\nx|y,2\n")
    table = read_path_file(file, sep=",", path_sep="|")
    assert table.sequences() == [["x", "y"]]


def test_spreadsheet_exports_with_bom_and_crlf(tmp_path: Path) -> None:
    file = tmp_path / "paths.csv"
    file.write_bytes("\ufeffpath;total_conversions\r\nx > y;2\r\ny;1\r\n".encode())
    table = read_path_file(file)
    assert table.sequences() == [["x", "y"], ["y"]]
    assert table.conversions.tolist() == [2.0, 1.0]
