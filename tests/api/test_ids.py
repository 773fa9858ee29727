"""An id no row can have — 0, negative, beyond 32 or 64 bits — answers 404, never 500.

The test walks every route of the app whose path holds an id (API and pages), so a new
route is covered without anyone listing it, on SQLite and on PostgreSQL app DBs (whose
INTEGER ids stop at 2^31 - 1, SQLite's at 2^63 - 1).
"""

from __future__ import annotations

import re
from itertools import product

from fastapi.routing import iter_route_contexts

from tradewinds.api.deps import id_in_range, largest_id
from tradewinds.db.models.credentials import ApiKey

from ..web.browser import csrf_from, login
from .test_isolation import example_body

ID_PARAM = re.compile(r"{([a-z_]*id)}")
OUT_OF_RANGE = ["0", "-1", str(2**31), str(2**63), str(2**64), "99999999999999999999999"]


def id_routes(app) -> list[tuple[str, str]]:
    """Every (method, path) the app serves whose path has an ``{…id}`` parameter."""
    found = set()
    for route in iter_route_contexts(app.routes):
        if route.path and route.methods and ID_PARAM.search(route.path):
            found |= {(method, route.path) for method in route.methods if method != "HEAD"}
    return sorted(found)


def test_knows_the_id_routes(client):
    routes = id_routes(client.app)
    assert ("GET", "/api/v1/apikeys/{key_id}") in routes
    assert ("POST", "/settings/members/{member_id}/role") in routes
    assert len(routes) >= 14


def test_api_answers_404_for_ids_no_row_can_have(client, tenants):
    spec = client.app.openapi()
    for (method, path), bad_id in product(id_routes(client.app), OUT_OF_RANGE):
        if not path.startswith("/api/v1/"):
            continue
        url = ID_PARAM.sub(bad_id, path)
        body = example_body(spec, path, method) if method in {"POST", "PUT", "PATCH"} else None
        response = client.request(method, url, headers=tenants.a.headers, json=body)
        assert response.status_code == 404, f"{method} {url}: {response.text[:300]}"
        error = response.json()["error"]
        assert error["code"] == "not_found" and bad_id in error["message"], error


def test_pages_never_fail_on_ids_no_row_can_have(client, tenants):
    login(client, tenants.a.owner_email, tenants.a.owner_password, follow=True)
    token = csrf_from(client.get("/settings").text)
    for (method, path), bad_id in product(id_routes(client.app), OUT_OF_RANGE):
        if path.startswith("/api/v1/"):
            continue
        url = ID_PARAM.sub(bad_id, path)
        data = {"csrf_token": token, "role": "viewer"} if method == "POST" else None
        response = client.request(
            method, url, data=data, headers={"Accept": "text/html"}, follow_redirects=False
        )
        # a page answers 404, or goes back to its list (303) as it does for any unknown id
        assert response.status_code in (303, 404), f"{method} {url}: {response.text[:300]}"


def test_the_range_follows_the_id_column():
    assert largest_id(ApiKey) == 2**31 - 1
    assert id_in_range(ApiKey, 1) and id_in_range(ApiKey, 2**31 - 1)
    assert not any(id_in_range(ApiKey, v) for v in (0, -1, 2**31, 2**64))
