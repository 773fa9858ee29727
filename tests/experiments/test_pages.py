"""The Experiments page, its upload and CSV export, and the API routes."""

from __future__ import annotations

import pytest

from tests.web.browser import csrf_from, login
from tradewinds.experiments.service import EXAMPLE

# the app DB plays no part in experiments: one backend is enough
pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)

BAD = (
    b"experiment,variation,units,metric,metric_type,sum,sum_squares\n"
    b"e1,control,ten,buy,binomial,1,\n"
)


def test_the_page_teaches_then_shows_an_uploaded_file(client, tenants):
    login(client, tenants.a.owner_email, tenants.a.owner_password)
    empty = client.get("/experiments")
    assert empty.status_code == 200 and 'data-testid="experiments-empty"' in empty.text
    example = client.get("/experiments", params={"example": "1"})
    assert "Safe to ship." in example.text and 'data-verdict="srm"' in example.text
    assert 'id="experiments-uplift"' in example.text
    refused = client.post(
        "/experiments",
        data={"csrf_token": csrf_from(empty.text)},
        files=[("file", ("mine.csv", BAD, "text/csv"))],
    )
    assert refused.status_code == 422
    assert "not a number" in refused.text and "mine.csv" in refused.text
    done = client.post(
        "/experiments",
        data={"csrf_token": csrf_from(empty.text)},
        files=[("file", ("mine.csv", EXAMPLE.read_bytes(), "text/csv"))],
    )
    assert done.status_code == 200 and 'data-testid="experiments-uploaded"' in done.text
    again = client.get("/experiments")
    assert 'data-experiment="checkout-button"' in again.text
    assert 'data-testid="experiments-bandit"' in again.text
    exported = client.get("/experiments.csv")
    assert exported.status_code == 200
    assert exported.text.splitlines()[0].startswith("experiment,metric,metric_type,variation")
    assert len(exported.text.splitlines()) == 6  # 5 comparisons


def test_api_analyze_bandit_and_assign(client, tenants):
    headers = {"Authorization": f"Bearer {tenants.a.api_key}", "Content-Type": "text/csv"}
    result = client.post(
        "/api/v1/experiments/analyze", content=EXAMPLE.read_bytes(), headers=headers
    )
    assert result.status_code == 200, result.text
    first = result.json()["experiments"][0]
    assert first["experiment"] == "checkout-button" and first["verdict"]["kind"] == "ship"
    bad = client.post("/api/v1/experiments/analyze?name=x.csv", content=BAD, headers=headers)
    assert bad.status_code == 422
    assert bad.json()["error"]["details"] == {
        "file": "x.csv", "row": 2, "column": "units", "value": "ten", "reason": "not a number",
    }  # fmt: skip
    bandit = client.post(
        "/api/v1/experiments/bandit?date=2026-12-07", content=EXAMPLE.read_bytes(), headers=headers
    )
    assert bandit.status_code == 200 and len(bandit.json()["bandits"]) == 3
    assigned = client.get(
        "/api/v1/experiments/assign",
        params={"experiment": "e", "salt": "seed", "unit_id": "a", "variations": ["x", "y"]},
        headers=headers,
    )
    assert assigned.json()["hash"] == 0.0505 and assigned.json()["variation"] == "x"
