"""The labelled-set report: counts per market and language, and clear errors for bad lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tradewinds.compliance.evaluate import LabelledSetError, evaluate, load_set, main


def _write(path: Path, rows: list[dict | str]) -> Path:
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _row(id_: str, text: str, market: str, label: str, lang: str = "en") -> dict:
    return {
        "id": id_,
        "lang": lang,
        "text": text,
        "market": market,
        "platform": None,
        "field": None,
        "sponsored": False,
        "label": label,
        "basis": "test",
    }


def test_recall_and_false_alarms_are_counted_per_market_and_language(tmp_path: Path) -> None:
    rows = load_set(
        _write(
            tmp_path / "set.jsonl",
            [
                _row("a", "The best shoes in the world", "US", "block"),
                _row("b", "Comfortable running shoes", "US", "block"),  # a miss
                _row("c", "Running shoes in five colours", "US", "clean"),
                _row("d", "Die beste Kaffeemaschine", "DE", "block", "de"),
                _row("e", "Nachhaltig produziert", "DE", "clean", "de"),  # warns: an alarm
            ],
        )
    )
    report = evaluate(rows)
    assert (report.total.blocked, report.total.caught) == (3, 2)
    assert report.total.missed_ids == ["b"]
    assert report.total.alarm_ids == ["e"]
    assert report.by_market["US"].recall == 0.5
    assert report.by_market["DE"].false_alarm_rate == 1.0
    assert report.by_language["en"].false_alarm_rate == 0.0


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "line 2: not valid JSON"),
        (json.dumps({**_row("x", "t", "US", "block"), "label": "maybe"}), "line 2 (label)"),
        (json.dumps({**_row("x", "t", "US", "block"), "basis": ""}), "line 2 (basis)"),
        (json.dumps(_row("a", "t", "US", "block")), "line 2 (id): 'a' is used twice"),
    ],
)
def test_bad_lines_are_refused_with_file_line_and_field(
    tmp_path: Path, line: str, message: str
) -> None:
    path = _write(tmp_path / "set.jsonl", [_row("a", "t", "US", "clean"), line])
    with pytest.raises(LabelledSetError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_set(path)


def test_main_prints_both_tables(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path / "set.jsonl", [_row("a", "Cheapest TVs", "UK", "block")])
    assert main([str(path), "--markdown", "--misses"]) == 0
    out = capsys.readouterr().out
    assert "| market | block ads |" in out and "| language |" in out
    assert "| UK | 1 | 1 | 100.0 % |" in out
    assert "missed: none" in out


def test_main_reports_a_bad_file_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path / "set.jsonl", ["[1, 2]"])
    assert main([str(path)]) == 1
    assert "set.jsonl line 1: each line must be a JSON object" in capsys.readouterr().err
