"""`tradewinds content generate`: the JSON shape, the table, and errors naming the line."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tradewinds.cli.main import app

runner = CliRunner()
VARIANT_KEYS = {
    "product_id",
    "market",
    "language",
    "platform",
    "field",
    "text",
    "length",
    "limit",
    "verdict",
    "findings",
}
PRODUCTS = [
    {
        "id": "beanie-1",
        "title": "Merino Wool Beanie - warm, soft",
        "price": 29,
        "currency": "EUR",
        "attributes": {"colour": "navy", "pieces": 2},
        "category": "Hats",
        "brand": "Nordfjell",
    },
    {"id": "brush-2", "title": "Bamboo Toothbrush Set", "price": "9.50", "currency": "USD"},
]


def _file(tmp_path: Path, rows: list, name: str = "products.jsonl") -> Path:
    path = tmp_path / name
    path.write_text(
        "\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n",
        encoding="utf-8",
    )
    return path


def _generate(*args: str):
    return runner.invoke(app, ["content", "generate", *args])


def test_generate_json_prints_variants_and_dropped(tmp_path: Path) -> None:
    path = _file(tmp_path, PRODUCTS)
    result = _generate(
        "--product-file", str(path), "--markets", "DE,JP,US", "--platform", "google",
        "--field", "headline", "--n", "5", "--today", "2026-12-03", "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"variants", "dropped"}
    variants = data["variants"]
    assert {(v["product_id"], v["market"]) for v in variants} == {
        (p, m) for p in ("beanie-1", "brush-2") for m in ("DE", "JP", "US")
    }
    for v in variants:
        assert set(v) >= VARIANT_KEYS
        assert v["platform"] == "google" and v["field"] == "headline" and v["limit"] == 30
        assert v["length"] <= 30 and v["verdict"] in ("pass", "warn")
    assert {v["language"] for v in variants} == {"de", "ja", "en"}
    for d in data["dropped"]:
        assert d["reason"]
    again = _generate(
        "--product-file", str(path), "--markets", "DE,JP,US", "--platform", "google",
        "--field", "headline", "--n", "5", "--today", "2026-12-03", "--json",
    )  # fmt: skip
    assert again.stdout == result.stdout  # deterministic


def test_human_output_is_a_table_with_counts(tmp_path: Path) -> None:
    path = _file(tmp_path, PRODUCTS[:1])
    result = _generate(
        "--product-file", str(path), "--markets", "US", "--platform", "meta",
        "--field", "headline,primary_text", "--n", "2",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split()[:4] == ["product", "market", "ad", "field"]
    rows = [line for line in lines[1:] if line.startswith("beanie-1")]
    assert len(rows) == 4
    assert any("/40 graphemes" in row for row in rows)
    assert any("/125 graphemes" in row for row in rows)
    assert lines[-1] == "variants: 4, dropped: 0"


def test_human_output_in_german(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("TRADEWINDS_LANG", "de")
    path = _file(tmp_path, PRODUCTS[:1])
    result = _generate(
        "--product-file", str(path), "--markets", "US", "--platform", "google",
        "--field", "headline", "--n", "1",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "Varianten: 1, verworfen: 0"


def test_bad_line_names_file_line_and_field(tmp_path: Path) -> None:
    rows = [PRODUCTS[0], "", {"id": "x", "title": "Mug", "price": "a lot"}]
    path = _file(tmp_path, rows)
    result = _generate(
        "--product-file", str(path), "--markets", "US", "--platform", "google",
        "--field", "headline", "--json",
    )  # fmt: skip
    assert result.exit_code == 1
    error = json.loads(result.stdout)["error"]
    assert error["code"] == "invalid_input"
    assert error["message"].startswith(f"{path} line 3: field 'price':")


def test_bad_json_missing_title_and_duplicate_id(tmp_path: Path) -> None:
    cases = [
        (
            [
                '{"id": "a", "title": "Mug"',
            ],
            "line 1: not valid JSON",
        ),
        ([{"id": "a"}], "line 1: field 'title': Field required"),
        ([{"id": "a", "title": "Mug", "colour": "red"}], "line 1: field 'colour': Extra inputs"),
        ([{"id": "a", "title": "Mug"}, {"id": "a", "title": "Cup"}], "line 2: field 'id'"),
        (["[1, 2]"], "line 1: expected a JSON object"),
    ]
    for rows, expected in cases:
        path = _file(tmp_path, rows)
        result = _generate(
            "--product-file", str(path), "--markets", "US", "--platform", "google",
            "--field", "headline",
        )  # fmt: skip
        assert result.exit_code == 1
        assert expected in result.stderr, (expected, result.stderr)


def test_unknown_field_and_market_are_usage_errors(tmp_path: Path) -> None:
    path = _file(tmp_path, PRODUCTS[:1])
    result = _generate(
        "--product-file", str(path), "--markets", "US", "--platform", "tiktok",
        "--field", "headline", "--json",
    )  # fmt: skip
    assert result.exit_code == 1
    assert "the studio writes ad_text" in json.loads(result.stdout)["error"]["message"]
    result = _generate(
        "--product-file", str(path), "--markets", "ZZ", "--platform", "google",
        "--field", "headline", "--json",
    )  # fmt: skip
    assert "market 'ZZ'" in json.loads(result.stdout)["error"]["message"]


def test_glossary_file_keeps_and_bans(tmp_path: Path) -> None:
    path = _file(tmp_path, PRODUCTS[:1])
    glossary = tmp_path / "glossary.yaml"
    glossary.write_text("keep: [Nordfjell]\nbanned: [warm]\n", encoding="utf-8")
    result = _generate(
        "--product-file", str(path), "--markets", "DE", "--platform", "amazon",
        "--field", "title", "--glossary", str(glossary), "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    texts = [v["text"] for v in json.loads(result.stdout)["variants"]]
    assert texts and all("warm" not in t for t in texts)
    assert any("Nordfjell" in t for t in texts)


def test_workspace_packs_drop_what_they_block(tmp_path: Path, tenants) -> None:
    from tradewinds.compliance.user_packs import create_user_pack
    from tradewinds.db.engine import session_scope

    source = (
        "id: brand\ntitle: Brand\nscope: user\nrules:\n  - id: competitor\n"
        "    kind: terms\n    severity: block\n    message: no competitors\n"
        "    reference: brand guide\n    terms: {en: [globex]}\n"
    )
    with session_scope() as session:
        create_user_pack(
            session=session, workspace_id=tenants.a.workspace_id, source=source, actor="test"
        )
    path = _file(tmp_path, [{"id": "k", "title": "Kettle like Globex makes", "price": 30}])
    args = [
        "--product-file", str(path), "--markets", "US", "--platform", "meta",
        "--field", "primary_text", "--n", "3", "--json",
    ]  # fmt: skip
    mine = json.loads(_generate(*args, "--workspace", tenants.a.name).stdout)
    theirs = json.loads(_generate(*args, "--workspace", tenants.b.name).stdout)
    assert not any("Globex" in v["text"] for v in mine["variants"])
    assert any("competitor" in d["reason"] for d in mine["dropped"])
    assert any("Globex" in v["text"] for v in theirs["variants"])
    missing = _generate(*args, "--workspace", "No Such Shop")
    assert missing.exit_code == 1 and json.loads(missing.stdout)["error"]["code"] == "not_found"
