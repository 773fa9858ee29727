"""Parameters whose cost grows with their value are bounded: beyond the bound, a 422 that
names the field and the bound, before any work (docs/api.md, "Limits")."""

from __future__ import annotations

from datetime import date

import pytest

from tradewinds.attribution.service import MAX_LOOKBACK_DAYS, MAX_WINDOW_DAYS, check_window
from tradewinds.errors import InvalidInput

TOO_LONG = [
    (
        "/api/v1/attribution",
        {"model": "all", "from": "1900-01-01", "to": "2999-12-31", "level": "campaign"},
        "from",
    ),
    ("/api/v1/attribution", {"from": "2000-01-01", "to": "2010-01-08"}, "from"),
    ("/api/v1/attribution", {"lookback": str(MAX_LOOKBACK_DAYS + 1)}, "lookback"),
    ("/api/v1/attribution/campaign-mappings", {"from": "1900-01-01", "to": "2999-12-31"}, "from"),
    ("/api/v1/metrics", {"from": "1900-01-01", "to": "2999-12-31"}, "from"),
    ("/api/v1/cohorts", {"from": "1900-01-01", "to": "2999-12-31"}, "from"),
    ("/api/v1/period-reports", {"from": "1900-01-01", "to": "2999-12-31"}, "from"),
    ("/api/v1/audit", {"limit": "1001"}, "limit"),
]


def test_a_period_or_lookback_beyond_the_bound_is_refused_on_every_edge(client, tenants):
    for path, query, field in TOO_LONG:
        response = client.get(path, params=query, headers=tenants.a.headers)
        assert response.status_code == 422, (path, query, response.text)
        error = response.json()["error"]
        details = error["details"]
        fields = [d["field"] for d in details] if isinstance(details, list) else [details["field"]]
        assert field in fields, (path, query, error)
    # the longest period is answered
    query = {"model": "all", "from": "2000-01-01", "to": "2010-01-07", "lookback": "365"}
    response = client.get("/api/v1/attribution", params=query, headers=tenants.a.headers)
    assert response.status_code == 200, response.text
    assert len(response.json()["models"]) >= 2
    # the page reads the same service: a 422 page, not a server error
    from ..web.browser import login

    login(client, tenants.a.owner_email, tenants.a.owner_password)
    page = client.get("/attribution", params={"from": "1900-01-01", "to": "2999-12-31"})
    assert page.status_code == 422
    assert "3,660 days" in page.text
    spec = client.get("/api/v1/openapi.json").json()
    params = {p["name"]: p for p in spec["paths"]["/api/v1/attribution"]["get"]["parameters"]}
    assert params["lookback"]["schema"]["maximum"] == MAX_LOOKBACK_DAYS
    assert str(MAX_WINDOW_DAYS) in params["from"]["description"]


def test_the_attribution_bound_is_one_rule_for_every_edge():
    with pytest.raises(InvalidInput, match="at most 3,660 days") as refused:
        check_window(date_from=date(1900, 1, 1), date_to=date(2999, 12, 31), lookback_days=30)
    assert refused.value.details == {"field": "from", "max_days": MAX_WINDOW_DAYS}
    with pytest.raises(InvalidInput, match="1 to 365 days"):
        check_window(date_from=date(2024, 1, 1), date_to=date(2024, 1, 1), lookback_days=0)
    check_window(date_from=date(2000, 1, 1), date_to=date(2010, 1, 7), lookback_days=365)
