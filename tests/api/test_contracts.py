"""The API's contracts: every operation documents the shape of its answer, every report's
answer (a full one, and one without money for a viewer) fits its schema, and every route
and page declares its caller with the shared permission names."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import jsonschema_rs
from fastapi.routing import APIRoute, iter_route_contexts

import tradewinds
from tradewinds.auth.access import GATES

from .role_fixtures import QUERIES

SRC = Path(tradewinds.__file__).parent
NO_BODY = {"204", "205", "304"}


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, operations in spec["paths"].items()
        for method, operation in operations.items()
    ]


def test_every_operation_documents_its_answer(client):
    spec = client.get("/api/v1/openapi.json").json()
    schemas = spec["components"]["schemas"]
    operations = _operations(spec)
    assert len(operations) >= 30
    for method, path, operation in operations:
        success = {c: r for c, r in operation["responses"].items() if c.startswith("2")}
        assert success, f"{method} {path} documents no 2xx answer"
        for code, response in success.items():
            if code in NO_BODY:
                assert not response.get("content"), f"{method} {path} {code} has a body"
                continue
            content = response.get("content") or {}
            assert content, f"{method} {path} {code} documents no content"
            for kind, body in content.items():
                schema = body.get("schema") or {}
                if "$ref" in schema:
                    schema = schemas[schema["$ref"].rsplit("/", 1)[1]]
                assert schema not in ({}, {"type": "object"}), (
                    f"{method} {path} {code} {kind}: the answer's schema is empty"
                )


def _report_routes(app: Any) -> list[tuple[str, Any]]:
    """(path, response model) of every GET route of /api/v1 without path parameters."""
    found = []
    for context in iter_route_contexts(app.routes):
        route, path = context.original_route, context.path_format
        if (
            isinstance(route, APIRoute)
            and "GET" in (context.methods or ())
            and path.startswith("/api/v1")
            and "{" not in path
            and route.response_model is not None
        ):
            found.append((path, route.response_model))
    return found


def test_report_answers_fit_their_schemas_for_every_role(role_shop):
    """Full answers (owner) and money-free ones (viewer) both validate against the schema
    the OpenAPI document gives for them."""
    spec = role_shop.api.get("/api/v1/openapi.json").json()
    checked = 0
    for role in ("owner", "viewer"):
        for path, _model in _report_routes(role_shop.app):
            response = role_shop.api.get(
                path, params=QUERIES.get(path, {}), headers=role_shop.bearer(role)
            )
            if response.status_code != 200:
                assert response.status_code == 403 and role == "viewer", (
                    role,
                    path,
                    response.status_code,
                    response.text[:200],
                )
                continue
            schema = spec["paths"][path]["get"]["responses"]["200"]["content"]
            root = {**schema["application/json"]["schema"], "components": spec["components"]}
            jsonschema_rs.Draft202012Validator(root).validate(response.json())
            checked += 1
    assert checked >= 25


def test_a_money_free_answer_says_what_it_hides(role_shop):
    viewer = role_shop.api.get("/api/v1/audiences/rfm", headers=role_shop.bearer("viewer"))
    owner = role_shop.api.get("/api/v1/audiences/rfm", headers=role_shop.bearer("owner"))
    assert viewer.status_code == owner.status_code == 200
    assert "hidden" not in owner.json() and "reason" not in owner.json()
    assert viewer.json()["hidden"] and viewer.json()["reason"] == "needs finance.read"
    assert all("revenue" not in s for s in viewer.json()["segments"])
    assert all("revenue" in s for s in owner.json()["segments"])


def test_both_edges_declare_the_same_permission_names():
    from tradewinds.api import deps as api_deps
    from tradewinds.web import deps as web_deps

    for name, permission in GATES.items():
        for module in (api_deps, web_deps):
            alias = getattr(module, name, None)
            assert alias is not None, f"{module.__name__} does not declare {name}"
            (check,) = [m.dependency for m in alias.__metadata__]
            assert check.permission == permission, (module.__name__, name)


def _calls(path: Path, names: set[str]) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in names:
            found.append(f"{path.name}:{node.lineno} {node.func.id}()")
    return found


def test_routes_use_the_shared_permission_names():
    """A route or page states its caller as ``DataReader``, ``FinanceReader`` … (or reads a
    declared report); ``require("…")`` / ``needing("…")`` in a route module would be a
    second way to say it."""
    found = []
    for path in sorted((SRC / "api" / "routes").glob("*.py")):
        found += _calls(path, {"require", "Depends"})
    for path in sorted((SRC / "web" / "routes").glob("*.py")):
        found += _calls(path, {"needing", "needs"})
    assert not found, found
