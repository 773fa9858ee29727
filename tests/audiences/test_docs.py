"""The figures in docs/customers.md are the output of the commands they name."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tradewinds.cli.main import app

DOC = Path(__file__).resolve().parents[2] / "docs" / "customers.md"


def _block(name: str) -> str:
    text = DOC.read_text(encoding="utf-8")
    match = re.search(rf"<!-- begin: {name}[^>]*-->\n(.*?)<!-- end: {name} -->", text, re.S)
    assert match, f"docs/customers.md has no {name} block"
    return match.group(1).replace("```text\n", "").replace("```\n", "").strip()


def _cli(shared_data: Path, *args: str) -> str:
    sample = str(shared_data / "cdnow" / "CDNOW_sample.txt")
    result = CliRunner().invoke(
        app,
        [
            "audiences",
            *args,
            "--transactions",
            sample,
            "--format",
            "cdnow_sample",
            "--calibration-end",
            "1997-09-30",
        ],
    )
    assert result.exit_code == 0, result.output
    return result.stdout.strip()


def test_clv_blocks_match_the_commands(shared_data: Path) -> None:
    assert _block("clv-fit") == _cli(shared_data, "clv-fit", "--period", "week")
    assert _block("clv-holdout") == _cli(shared_data, "clv-holdout", "--holdout-end", "1998-06-30")


@pytest.mark.slow
def test_recommendation_table_matches_the_evaluation(shared_data: Path) -> None:
    from tradewinds.ingest.purchases import load_online_retail, online_retail_files
    from tradewinds.recommend.evaluation import evaluate, holdout_targets
    from tradewinds.recommend.interactions import time_split
    from tradewinds.recommend.item_item import ItemItemModel
    from tradewinds.recommend.matrix import PurchaseMatrix
    from tradewinds.recommend.popularity import PopularityModel

    data = load_online_retail(online_retail_files(shared_data / "online_retail"))
    train, test = time_split(data, split_at="2011-09-01")
    matrix = PurchaseMatrix.build(train)
    rows, targets = holdout_targets(matrix, test)
    lines = ["| model | precision@10 | recall@10 | NDCG@10 |", "|---|---:|---:|---:|"]
    for name, model in (
        ("most popular (baseline)", PopularityModel(matrix)),
        ("item-item co-occurrence", ItemItemModel(matrix)),
    ):
        s = evaluate(model, rows, targets, k=10)
        lines.append(f"| {name} | {s.precision:.4f} | {s.recall:.4f} | {s.ndcg:.4f} |")
    assert _block("recommend-eval") == "\n".join(lines)
