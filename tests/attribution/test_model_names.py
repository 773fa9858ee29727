"""One registry of attribution models: the API's enum, the CLI's choices and the page's
labels all come from ``attribution/models/names.py``."""

from __future__ import annotations

from typer.testing import CliRunner

from tradewinds.attribution.models.catalog import MODEL_NAMES as RUNNABLE
from tradewinds.attribution.models.names import EVERY_MODEL, MODEL_NAMES, MODELS


def test_every_registered_model_runs():
    assert tuple(MODELS) == MODEL_NAMES == RUNNABLE
    assert all(label.strip() for label in MODELS.values())


def test_the_api_offers_exactly_the_registered_models(client):
    spec = client.get("/api/v1/openapi.json").json()
    (param,) = [
        p for p in spec["paths"]["/api/v1/attribution"]["get"]["parameters"] if p["name"] == "model"
    ]
    schema = param["schema"]
    assert schema["enum"] == [*MODEL_NAMES, EVERY_MODEL]
    report = spec["components"]["schemas"]["AttributionReportPublic"]["properties"]["model"]
    assert report["enum"] == list(MODEL_NAMES)


def test_the_cli_refuses_a_model_not_registered():
    from tradewinds.cli.main import app

    result = CliRunner().invoke(app, ["attribution", "paths", "x.csv", "--model", "nope"])
    assert result.exit_code != 0
    assert all(name in result.output for name in MODEL_NAMES)


def test_the_page_labels_the_registered_models():
    from tradewinds.web.routes.attribution import MODEL_LABELS

    assert MODEL_LABELS == MODELS
