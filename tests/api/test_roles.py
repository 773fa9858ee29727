"""Every route, every role: refused with a 403 where the role lacks the permission the route
declares, and no money in any answer to a role without finance.read.

The permission a route needs is read from its dependencies (``require`` / ``reads`` in
``api/deps.py``, ``needs`` / ``reads`` / ``public`` in ``web/deps.py``); a route that
declares none fails here, so a new route cannot forget. Whether an answer holds money is
judged from the answer itself (money-looking keys, a pound sign), not from the
declarations.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from typing import Any

from fastapi.routing import APIRoute, iter_route_contexts

from tradewinds.auth.permissions import allowed, matrix, roles
from tradewinds.db.engine import session_scope

from .role_fixtures import (
    NOT_WORKSPACE_MONEY,
    PATH_FACTORIES,
    QUERIES,
    money_columns,
    money_keys,
)

PARAM = re.compile(r"{([^}:]+)(?::[^}]*)?}")
MUTATING = {"POST", "PUT", "PATCH", "DELETE"}
POUND = "£"  # the shop's currency is GBP: a pound sign on a page is a money figure
# Pages the walk does not send: they end the session the walk signs in with.
NOT_SENT = {("POST", "/logout"): "signs the member out"}


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    module: str
    dependant: Any


def declarations(route: Route) -> list[Any]:
    """The permission-declaring dependencies of ``route`` (anywhere in its tree)."""
    found, stack = [], [route.dependant]
    while stack:
        dependant = stack.pop()
        if dependant.call is not None and hasattr(dependant.call, "permission"):
            found.append(dependant.call)
        stack.extend(dependant.dependencies)
    return found


def declared(route: Route) -> Any:
    found = declarations(route)
    assert len(found) == 1, (
        f"{route.method} {route.path}: declare exactly one permission with "
        f"require()/reads() (API) or needs()/reads()/public (pages); found {len(found)}"
    )
    return found[0]


def refused(role: str, declaration: Any) -> bool:
    """Whether the declaration refuses ``role`` outright."""
    if declaration.permission is None:
        return False
    report = getattr(declaration, "report", None)
    if report is not None and report.needs_finance and not allowed(role, "finance.read"):
        return True
    return not allowed(role, declaration.permission)


def routes(app, *, pages: bool) -> list[Route]:
    """Every API route (under /api/v1) or every page (a ``web.routes`` module), per method."""
    out, seen = [], set()
    for context in iter_route_contexts(app.routes):
        original = context.original_route
        if not isinstance(original, APIRoute):
            continue
        path, module = context.path_format, original.endpoint.__module__
        page = module.startswith("tradewinds.web.routes")
        api = path.startswith("/api/v1") and module.startswith("tradewinds.api.routes")
        if (pages and page) or (not pages and api):
            for method in sorted(context.methods - {"HEAD"} - seen_at(seen, path)):
                out.append(Route(method, path, module, original.dependant))
        seen |= {(m, context.path_format) for m in context.methods or ()}
    return out


def walked_roles() -> list[str]:
    """One role of each distinct permission set (admin's equals owner's today)."""
    first: dict[frozenset[str], str] = {}
    for role in roles():
        first.setdefault(matrix().granted(role), role)
    return list(first.values())


def seen_at(seen: set[tuple[str, str]], path: str) -> set[str]:
    """Methods an earlier route already serves at ``path`` (a later one never answers)."""
    return {m for m, p in seen if p == path}


def url_for(route: Route, workspace_id: int) -> str:
    params = PARAM.findall(route.path)
    missing = [p for p in params if p not in PATH_FACTORIES]
    assert not missing, f"{route.path}: add a factory for {missing} to tests/api/role_fixtures.py"
    with session_scope() as session:
        values = {p: PATH_FACTORIES[p](session, workspace_id) for p in params}
    return PARAM.sub(lambda m: values[m.group(1)], route.path)


def query_for(route: Route) -> dict[str, str]:
    needed = [p.alias for p in route.dependant.query_params if p.field_info.is_required()]
    given = QUERIES.get((route.method, route.path), QUERIES.get(route.path, {}))
    missing = [p for p in needed if p not in given]
    assert not missing, f"{route.path}: add values for {missing} to QUERIES in role_fixtures.py"
    return given


def _leaks(response, path: str) -> list[str]:
    kind = response.headers.get("content-type", "")
    if path in NOT_WORKSPACE_MONEY:
        return []
    if "json" in kind:
        return money_keys(response.json())
    if "csv" in kind:
        header = next(csv.reader(io.StringIO(response.text)), [])
        return money_columns(header) + ([POUND] if POUND in response.text else [])
    if "html" in kind and POUND in response.text:
        at = response.text.index(POUND)
        return [f"{POUND} in …{response.text[max(at - 80, 0) : at + 20]}…"]
    return []


def test_every_api_route_declares_a_permission(role_shop):
    found = routes(role_shop.app, pages=False)
    assert len(found) >= 30
    for route in found:
        assert declared(route).permission is not None, f"{route.path}: an API route needs a key"


def test_api_routes_for_every_role(role_shop):
    checked = 0
    for role in walked_roles():
        finance = allowed(role, "finance.read")
        for route in routes(role_shop.app, pages=False):
            method = route.method
            declaration = declared(route)
            url = url_for(route, role_shop.workspace_id)
            body = {} if method in {"POST", "PUT", "PATCH"} else None
            response = role_shop.api.request(
                method, url, params=query_for(route), headers=role_shop.bearer(role), json=body
            )
            where = f"{role}: {method} {route.path} answered {response.status_code}"
            assert response.status_code < 500, f"{where}: {response.text[:300]}"
            if refused(role, declaration):
                assert response.status_code == 403, f"{where}: {response.text[:200]}"
                assert role in response.json()["error"]["message"]
                continue
            assert response.status_code != 403, f"{where}: {response.text[:200]}"
            if method == "GET":
                assert response.status_code == 200, f"{where}: {response.text[:200]}"
                if not finance:
                    leaks = _leaks(response, route.path)
                    assert not leaks, f"{where} with money: {leaks}"
            checked += 1
    assert checked > 100


def test_money_free_answers_say_what_they_hide(role_shop):
    owner = role_shop.api.get("/api/v1/attribution", headers=role_shop.bearer("owner")).json()
    viewer = role_shop.api.get("/api/v1/attribution", headers=role_shop.bearer("viewer")).json()
    assert owner["total_value"] > 0 and owner["channels"]
    assert "hidden" not in owner
    assert viewer["reason"] == "needs finance.read"
    assert {"total_value", "total_spend", "value", "spend", "roas"} <= set(viewer["hidden"])
    # the conversions credited are the same for both
    assert viewer["total_conversions"] == owner["total_conversions"]
    assert [c["conversions"] for c in viewer["channels"]] == [
        c["conversions"] for c in owner["channels"]
    ]


def test_a_viewer_cannot_count_customers_by_money(role_shop):
    for path, param in (
        ("/api/v1/audiences/segment", "rule"),
        ("/api/v1/audiences/lookalikes", "seed"),
    ):
        response = role_shop.api.get(
            path, params={param: "revenue > 50"}, headers=role_shop.bearer("viewer")
        )
        assert response.status_code == 403, response.text
        assert response.json()["error"]["details"]["fields"] == ["revenue"]
        finance = role_shop.api.get(
            path, params={param: "revenue > 50"}, headers=role_shop.bearer("finance")
        )
        assert finance.status_code == 200, finance.text
    page = role_shop.web["viewer"].get("/customers", params={"rule": "aov > 10"})
    assert page.status_code == 403


def test_every_page_declares_a_permission(role_shop):
    found = routes(role_shop.app, pages=True)
    assert len(found) >= 30
    for route in found:
        declared(route)


def test_pages_for_every_role(role_shop):
    checked = 0
    for role in walked_roles():
        finance = allowed(role, "finance.read")
        client = role_shop.web[role]
        for route in routes(role_shop.app, pages=True):
            method = route.method
            declaration = declared(route)
            if (method, route.path) in NOT_SENT or (
                declaration.permission is None and method != "GET"
            ):
                continue
            url = url_for(route, role_shop.workspace_id)
            data = {"csrf_token": role_shop.csrf[role]} if method in MUTATING else None
            response = client.request(
                method, url, params=query_for(route), data=data, follow_redirects=False
            )
            where = f"{role}: {method} {route.path} answered {response.status_code}"
            assert response.status_code < 500, f"{where}: {response.text[:300]}"
            if refused(role, declaration):
                assert response.status_code == 403, f"{where}: {response.text[:200]}"
                continue
            assert response.status_code != 403, f"{where}: {response.text[:300]}"
            if method == "GET" and declaration.permission is not None:
                assert response.status_code == 200, f"{where}: {response.text[:200]}"
                if not finance:
                    leaks = _leaks(response, route.path)
                    assert not leaks, f"{where} with money: {leaks}"
            checked += 1
    assert checked > 100


def test_pages_say_money_is_hidden(role_shop):
    for path in ("/", "/attribution", "/customers", "/customers/profile"):
        params = QUERIES.get(path, {})
        viewer = role_shop.web["viewer"].get(path, params=params)
        owner = role_shop.web["owner"].get(path, params=params)
        assert viewer.status_code == owner.status_code == 200, (path, viewer.text[:300])
        assert viewer.text.count("Money figures are hidden") == 1, path
        assert 'data-testid="money-hidden"' not in owner.text, path
        assert POUND in owner.text, path  # the owner does see money on these pages


def test_every_declared_report_is_served(role_shop):
    """A declaration no route reads would be a permission nobody enforces."""
    from tradewinds.auth.access import all_reports

    served = {
        getattr(declared(route), "report", None)
        for pages in (False, True)
        for route in routes(role_shop.app, pages=pages)
    }
    unused = [r.name for r in all_reports() if r not in served and not r.name.startswith("test.")]
    assert not unused, f"declared but read by no route: {unused}"
