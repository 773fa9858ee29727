"""The LLM backend behind `content generate --backend llm` and the API's `"backend": "llm"`:
the workspace's provider answers, the engine fits and checks what it wrote, and a
candidate over the limit is asked again with the reason (SQLite and PostgreSQL)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from tradewinds.cli.main import app
from tradewinds.compliance.counting import length

from .llm_server import ChatServer, variants_reply
from .test_api import BODY
from .test_llm import configure

runner = CliRunner()
# one word longer than a Google headline: no rule can shorten it, so it is asked again
TOO_LONG = "Handthrownstonewarecoffeemugsinsandglaze"


def test_the_cli_writes_with_the_workspaces_llm(tenants, tmp_path) -> None:
    products = tmp_path / "products.jsonl"
    products.write_text(json.dumps(BODY["products"][0]) + "\n", encoding="utf-8")
    with ChatServer() as server:
        configure(tenants.a.workspace_id, server.base_url)
        server.add(
            variants_reply([TOO_LONG, TOO_LONG + "s"]),
            variants_reply(["Kiln & Co stoneware mug", "Stoneware mug, sand glaze"]),
        )
        result = runner.invoke(
            app,
            [
                "content", "generate", "--workspace", tenants.a.name,
                "--product-file", str(products), "--markets", "US", "--platform", "google",
                "--field", "headline", "--n", "2", "--backend", "llm", "--json",
            ],
            env={"TRADEWINDS_LANG": "en"},
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        answer = json.loads(result.stdout)
        texts = [v["text"] for v in answer["variants"]]
        assert texts and all(v["backend"] == "llm" for v in answer["variants"])
        assert TOO_LONG not in texts
        for v in answer["variants"]:
            assert length(v["text"], v["unit"]) <= v["limit"] == 30
        assert len(server.requests) >= 2
        # the second question carries why the first answer could not be used
        assert TOO_LONG not in server.requests[0].user_text
        assert TOO_LONG in server.requests[1].user_text or "30" in server.requests[1].user_text
        assert sorted(texts) == ["Kiln & Co stoneware mug", "Stoneware mug, sand glaze"]


def test_the_cli_names_what_is_missing_for_the_llm(tenants, tmp_path) -> None:
    products = tmp_path / "products.jsonl"
    products.write_text(json.dumps(BODY["products"][0]) + "\n", encoding="utf-8")
    args = ["content", "generate", "--product-file", str(products), "--markets", "US",
            "--platform", "google", "--field", "headline", "--backend", "llm"]  # fmt: skip
    no_workspace = runner.invoke(app, args, env={"TRADEWINDS_LANG": "en"})
    assert no_workspace.exit_code != 0 and "tradewinds llm set" in no_workspace.output
    unset = runner.invoke(
        app, [*args, "--workspace", tenants.b.name], env={"TRADEWINDS_LANG": "en"}
    )
    assert unset.exit_code != 0 and "llm" in unset.output.lower()


def test_the_api_writes_with_the_workspaces_llm(client, tenants) -> None:
    body = {**BODY, "markets": ["DE"], "fields": ["headline"], "n": 1, "backend": "llm"}
    with ChatServer() as server:
        configure(tenants.a.workspace_id, server.base_url)
        server.add(variants_reply(["Steingut-Becher in Sand"]))
        response = client.post("/api/v1/content/generate", json=body, headers=tenants.a.headers)
        assert response.status_code == 200, response.text
        [variant] = response.json()["variants"]
        assert variant["text"] == "Steingut-Becher in Sand" and variant["backend"] == "llm"
    # a workspace without a provider is told so, in a 4xx naming the LLM settings
    other = client.post("/api/v1/content/generate", json=body, headers=tenants.b.headers)
    assert 400 <= other.status_code < 500 and "llm" in other.text.lower()
