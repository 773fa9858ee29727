"""Period reports (no Day column): rows, account total and the part no row covers."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tradewinds.ingest.files.base import ImportOptions
from tradewinds.ingest.files.reading import RawFile
from tradewinds.ingest.files.registry import detect
from tradewinds.ingest.spec import rows_from_frame

HEAD = 'Keyword report\n"June 1, 2024 - June 30, 2024"\nKeyword,Currency code,Impr.,Cost\n'
cents = st.integers(min_value=0, max_value=10**9)


def _parse(path: Path, text: str) -> tuple[list[dict], list[str]]:
    path.write_text(text)
    raw = RawFile(path)
    parsed = detect(raw).parse(raw, ImportOptions())
    assert not parsed.errors, parsed.errors
    return list(rows_from_frame(parsed.frames["ad_spend_period"])), parsed.notes


def _money(c: int) -> str:
    return f"{Decimal(c).scaleb(-2):.2f}"


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(cents, min_size=1, max_size=6), extra=cents)
def test_rows_and_not_broken_down_add_up_to_the_account_total(tmp_path_factory, rows, extra):
    total = sum(rows) + extra
    lines = [f"kw{i},EUR,10,{_money(c)}" for i, c in enumerate(rows)]
    text = HEAD + "\n".join(lines) + f"\nTotal: Account,EUR,99,{_money(total)}\n"
    stored, _ = _parse(tmp_path_factory.mktemp("p") / "Keyword report.csv", text)
    by_kind: dict[str, list[dict]] = {}
    for row in stored:
        by_kind.setdefault(row["kind"], []).append(row)
    assert len(by_kind["row"]) == len(rows)
    assert {r["dimension"] for r in by_kind["row"]} == {"keyword"}
    [account] = by_kind["account_total"]
    assert account["spend"] == Decimal(total).scaleb(-2)
    rest = by_kind.get("not_broken_down", [])
    counted = sum(r["spend"] for r in by_kind["row"] + rest)
    assert counted == account["spend"]  # nothing lost, nothing counted twice
    assert len(rest) == 1  # at least the impressions no row covers (99 > 10 per row)


def test_rows_above_the_total_leave_nothing_over_and_say_so(tmp_path: Path) -> None:
    text = HEAD + "a,EUR,10,8.00\nb,EUR,10,5.00\nTotal: Account,EUR,20,10.00\n"
    stored, notes = _parse(tmp_path / "Keyword report.csv", text)
    assert sorted(r["kind"] for r in stored) == ["account_total", "row", "row"]
    assert any("add up to more than 'Total: Account'" in n for n in notes)


def test_a_report_without_account_total_sums_its_rows(tmp_path: Path) -> None:
    stored, notes = _parse(tmp_path / "Keyword report.csv", HEAD + "a,EUR,10,8.00\na,EUR,5,1.50\n")
    kinds = {r["kind"]: r for r in stored}
    assert set(kinds) == {"row", "account_total"}  # two lines of one keyword add up
    assert (kinds["row"]["spend"], kinds["row"]["impressions"]) == (Decimal("9.5"), 15)
    assert kinds["account_total"]["spend"] == Decimal("9.5")
    assert any("no 'Total: Account' line" in n for n in notes)
