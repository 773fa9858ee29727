"""Every /api/v1 route keeps workspaces apart: A's key never reaches B's data."""

from __future__ import annotations

import re

import pytest

from tradewinds.db.engine import session_scope

from .isolation_fixtures import FACTORIES

PARAM = re.compile(r"{([^}:]+)(?::[^}]*)?}")


def api_routes(app) -> list[tuple[str, str]]:
    """Every (method, path) the app serves under /api/v1, from its own OpenAPI document."""
    found = []
    for path, operations in app.openapi()["paths"].items():
        if path.startswith("/api/v1"):
            for method in operations:
                if method.upper() in {"GET", "POST", "PUT", "PATCH", "DELETE"}:
                    found.append((method.upper(), path))
    return found


def _resolve(spec: dict, schema: dict) -> dict:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = spec["components"]["schemas"][name]
    return schema


def example_value(spec: dict, schema: dict):
    schema = _resolve(spec, schema)
    if "enum" in schema:
        return schema["enum"][0]
    if "anyOf" in schema:
        return example_value(spec, schema["anyOf"][0])
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        return {k: example_value(spec, v) for k, v in schema.get("properties", {}).items()}
    if kind == "array":
        return [example_value(spec, schema.get("items", {}))]
    return {"integer": 1, "number": 1.0, "boolean": False, "string": "x"}.get(kind, "x")


def example_body(spec: dict, path: str, method: str):
    operation = spec["paths"][path][method.lower()]
    content = operation.get("requestBody", {}).get("content", {})
    schema = content.get("application/json", {}).get("schema")
    return example_value(spec, schema) if schema else None


def fill(path: str, tenant) -> str:
    params = PARAM.findall(path)
    missing = [p for p in params if p not in FACTORIES]
    assert not missing, (
        f"{path}: add a factory for {missing} in tests/api/isolation_fixtures.py so the "
        "isolation test can make an object of another workspace"
    )
    with session_scope() as session:
        values = {p: FACTORIES[p](session, tenant) for p in params}
    return PARAM.sub(lambda m: values[m.group(1)], path)


def markers(tenant) -> list[str]:
    return [tenant.name, tenant.owner_email, tenant.api_key.split("_")[1]]


def test_walks_every_route(client, tenants):
    routes = api_routes(client.app)
    assert ("GET", "/api/v1/members/{member_id}") in routes
    assert len(routes) >= 8
    for method, path in routes:
        url = fill(path, tenants.b)
        body = {} if method in {"POST", "PUT", "PATCH"} else None
        response = client.request(method, url, headers=tenants.a.headers, json=body)
        assert response.status_code < 500, f"{method} {path}: {response.text}"
        if PARAM.search(path):
            assert response.status_code in (404, 422), (
                f"{method} {path} with workspace A's key on B's object answered "
                f"{response.status_code}: {response.text[:200]}"
            )
            if response.status_code == 422:
                # The empty body was rejected before the lookup: send a well-formed one.
                body = example_body(client.app.openapi(), path, method)
                response = client.request(method, url, headers=tenants.a.headers, json=body)
                assert response.status_code == 404, (
                    f"{method} {path} with a well-formed body answered "
                    f"{response.status_code}: {response.text[:200]}"
                )
        for marker in markers(tenants.b):
            assert marker not in response.text, f"{method} {path} leaked {marker!r}"


def test_same_routes_work_for_the_owner(client, tenants):
    """Factories point at real objects: B reads them, so the 404s above mean isolation."""
    for method, path in api_routes(client.app):
        if method != "GET" or not PARAM.search(path):
            continue
        response = client.get(fill(path, tenants.b), headers=tenants.b.headers)
        assert response.status_code == 200, f"GET {path}: {response.text[:200]}"


@pytest.mark.parametrize("header", [None, "Bearer nope", "Bearer tw_abc_def"])
def test_rejects_missing_or_wrong_keys(client, tenants, header):
    headers = {"Authorization": header} if header else {}
    response = client.get("/api/v1/workspace", headers=headers)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"
