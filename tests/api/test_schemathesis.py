"""The API does what its OpenAPI document says: schemathesis fuzzes every operation.

Each operation gets a bounded number of generated requests (a fixed seed, so a failure
replays), sent in-process to the app as the owner of a workspace holding a small but real
shop (``tests/shop_data.py``: orders and their lines, customers, tracked journeys, ad
spend), so the reports answer with rows, and every row is checked against its schema. Every check
schemathesis has for a single request runs: no server error, every status code and content
type documented, responses matching their schemas, schema-valid requests accepted,
schema-violating requests refused, and a 405 with the right ``Allow`` header for methods a
path does not serve.

Some inputs are a language of their own that a JSON schema cannot describe — a segment
rule, SQL, a YAML rule pack — or must agree with each other (``from`` on or before ``to``);
there a well-typed request can still be refused with 422 and a reason, so the check that
every schema-valid request is accepted is off for those operations only (listed in
``LANGUAGE_OR_CROSS_FIELD`` and in docs/security.md).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from fastapi import FastAPI
from schemathesis import engine
from schemathesis.config import SchemathesisConfig
from schemathesis.engine.events import FatalError, NonFatalError, ScenarioFinished

from tradewinds.config import reset_settings
from tradewinds.db.engine import dispose_engines, session_scope

SEED = 20_251_203
EXAMPLES = 6

# (method, path): a valid-looking request may still be refused with 422, and why.
LANGUAGE_OR_CROSS_FIELD = {
    ("GET", "/api/v1/audiences/segment"): "the rule is a segment language",
    ("GET", "/api/v1/audiences/lookalikes"): "the seed is a segment rule",
    ("POST", "/api/v1/audiences/segments"): "the rule is a segment language",
    ("POST", "/api/v1/audiences/exports"): "the rule is a segment language",
    ("POST", "/api/v1/sql"): "SQL",
    ("POST", "/api/v1/compliance/user-packs"): "a YAML rule pack",
    ("PUT", "/api/v1/compliance/user-packs/{user_pack_id}"): "a YAML rule pack",
    ("GET", "/api/v1/metrics"): "from <= to, metric and grouping names, filters",
    ("GET", "/api/v1/cohorts"): "from <= to and at most a maximum range",
    ("GET", "/api/v1/ltv"): "from <= to and at most a maximum range",
    ("GET", "/api/v1/funnels"): "from <= to and grouping names",
    ("GET", "/api/v1/attribution"): "from <= to",
    ("GET", "/api/v1/attribution/campaign-mappings"): "from <= to",
    ("GET", "/api/v1/period-reports"): "from <= to",
    ("POST", "/api/v1/compliance/check"): "at most 200,000 characters of ad text in all",
    ("POST", "/api/v1/content/generate"): "known markets and platform fields, 5,000 variants",
}


# An upload starts an import in the background, which works on the app DB and the
# warehouse beside the next requests: a few uploads are enough, and keep the run short.
FEW_EXAMPLES = {("POST", "/api/v1/imports"): 3}

# Operations whose coverage phase alone sends hundreds of requests (every combination of
# a large body's fields at their edges: ~950 for the workspace's settings, a third of the
# run) get generated examples only; tests/api/test_workspaces.py refuses a bad value of
# each field.
NO_COVERAGE_PHASE = {("PATCH", "/api/v1/workspace")}


def _config() -> SchemathesisConfig:
    operations: list[dict[str, object]] = [
        {
            "include-method": method,
            "include-path": path.removeprefix("/api/v1"),
            "checks": {"positive_data_acceptance": {"enabled": False}},
        }
        for method, path in LANGUAGE_OR_CROSS_FIELD
    ]
    operations += [
        {
            "include-method": method,
            "include-path": path.removeprefix("/api/v1"),
            "generation": {"max-examples": examples},
            "phases": {"coverage": {"enabled": False}},
        }
        for (method, path), examples in FEW_EXAMPLES.items()
    ]
    operations += [
        {
            "include-method": method,
            "include-path": path.removeprefix("/api/v1"),
            "phases": {"coverage": {"enabled": False}},
        }
        for method, path in NO_COVERAGE_PHASE
    ]
    return SchemathesisConfig.from_dict(
        {
            "seed": SEED,
            "workers": 1,
            "suppress-health-check": ["all"],
            "generation": {"max-examples": EXAMPLES, "deterministic": True},
            "phases": {"stateful": {"enabled": False}},
            "operations": operations,
        }
    )


class OwnerKey:
    """An owner API key of the seeded workspace; fuzzing may revoke it (DELETE
    /apikeys/{id} with its own id), so a fresh one is made whenever that happened."""

    def __init__(self, workspace_id: int) -> None:
        self.workspace_id = workspace_id
        self.key = self._mint()

    def _mint(self) -> str:
        from tradewinds.auth import apikeys
        from tradewinds.db.models.tenancy import Workspace

        with session_scope() as session:
            workspace = session.get(Workspace, self.workspace_id)
            return apikeys.create_key(
                session=session, workspace=workspace, role="owner", name="fuzz", actor="test"
            ).key

    def current(self) -> str:
        from tradewinds.auth import apikeys

        with session_scope() as session:
            if apikeys.authenticate_key(session=session, key=self.key) is None:
                self.key = self._mint()
        return self.key


@pytest.fixture
def fuzzed_app(tw_home, monkeypatch) -> Iterator[FastAPI]:
    """The app over a migrated SQLite app DB with one workspace, its owner and its shop."""
    from tradewinds.app import create_app
    from tradewinds.db.migrate import upgrade

    from ..conftest import make_tenant
    from ..shop_data import load_shop

    monkeypatch.setenv("TRADEWINDS_DATABASE_URL", f"sqlite:///{tw_home / 'app.db'}")
    reset_settings()
    upgrade()
    tenant = make_tenant("Fuzz Shop")
    load_shop(tenant.workspace_key)
    app = create_app()
    app.state.owner_key = OwnerKey(tenant.workspace_id)
    yield app
    dispose_engines()


def _schema(app: FastAPI):
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app, config=_config())
    owner_key: OwnerKey = app.state.owner_key

    class OwnerBearer:
        def get(self, case, ctx):
            return owner_key.current()

        def set(self, case, data, ctx):
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}

    schema.auth(refresh_interval=None)(OwnerBearer)
    return schema


def _failures(events) -> list[str]:
    """One line per distinct failure (operation, check, what), with a way to reproduce it."""
    found: dict[tuple[str, str], str] = {}
    for event in events:
        if isinstance(event, FatalError):
            raise event.exception
        if isinstance(event, NonFatalError):
            found[(event.label, "error")] = f"{event.label}: {event.info.message}"
        if not isinstance(event, ScenarioFinished):
            continue
        for checks in event.recorder.checks.values():
            for check in checks:
                info = check.failure_info
                if info is None or (event.label, check.name) in found:
                    continue
                title = info.failure.title.splitlines()[0]
                found[(event.label, check.name)] = (
                    f"{event.label}: {check.name}: {title}\n    {info.code_sample[:300]}"
                )
    return sorted(found.values())


# Reports that must answer with rows on the fuzzed shop (else the fuzzing checks empty
# answers only): path, query and the list in the answer that must not be empty.
NON_EMPTY = [
    ("/api/v1/attribution", {"model": "all"}, lambda body: body["models"][0]["channels"]),
    ("/api/v1/attribution", {"level": "campaign"}, lambda body: body["channels"]),
    ("/api/v1/metrics", {"group_by": "channel"}, lambda body: body["rows"]),
    ("/api/v1/cohorts", {}, lambda body: body["cohorts"]),
    ("/api/v1/ltv", {}, lambda body: body["channels"]),
    ("/api/v1/audiences/rfm", {}, lambda body: body["segments"]),
]


def _assert_the_shop_has_answers(app: FastAPI) -> None:
    from fastapi.testclient import TestClient

    headers = {"Authorization": f"Bearer {app.state.owner_key.current()}"}
    with TestClient(app, base_url="https://testserver") as client:
        for path, query, rows in NON_EMPTY:
            response = client.get(path, params=query, headers=headers)
            assert response.status_code == 200, (path, query, response.text)
            assert rows(response.json()), (path, query, "answered no rows")


@pytest.mark.slow
def test_api_keeps_its_contract(fuzzed_app):
    _assert_the_shop_has_answers(fuzzed_app)
    events = list(engine.from_schema(_schema(fuzzed_app)).execute())
    tested = {e.label for e in events if isinstance(e, ScenarioFinished)}
    assert len(tested) >= 30, f"only {len(tested)} operations were exercised"
    failures = _failures(events)
    assert not failures, f"{len(failures)} contract failures:\n" + "\n".join(failures)


def test_every_operation_documents_the_common_errors(client):
    """The whole API documents 400/401/403/404/409/413/422/429 with the error body."""
    spec = client.get("/api/v1/openapi.json").json()
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            documented = set(operation["responses"])
            missing = {"400", "401", "403", "404", "422"} - documented
            assert not missing, f"{method.upper()} {path} does not document {missing}"
            error = operation["responses"]["404"]["content"]["application/json"]["schema"]
            assert error == {"$ref": "#/components/schemas/ErrorBody"}


# Paths served by several routes (one per method): Starlette alone named only the first.
WRONG_METHODS = [
    ("PUT", "/api/v1/apikeys", {"GET", "POST"}),
    ("POST", "/api/v1/compliance/user-packs/1", {"DELETE", "GET", "PUT"}),
    ("OPTIONS", "/api/v1/workspace", {"GET", "PATCH"}),
    ("DELETE", "/api/v1/audiences/segments", {"GET", "POST"}),
]


def test_405_names_every_method_of_the_path(client, tenants):
    for method, path, allowed in WRONG_METHODS:
        response = client.request(method, path, headers=tenants.a.headers)
        assert response.status_code == 405, (method, path)
        assert set(response.headers["allow"].split(", ")) == allowed, (method, path)
        error = response.json()["error"]
        assert error["code"] == "method_not_allowed" and method in error["message"]


# (method, path, query, body, field): values schemathesis found accepted though the
# document excludes them (a number read as a date, 0 read as false, False read as 0).
OUTSIDE_THE_DOCUMENT = [
    ("GET", "/api/v1/attribution", {"to": "0"}, None, "to"),
    ("GET", "/api/v1/attribution", {"from": "1700000000"}, None, "from"),
    ("GET", "/api/v1/metrics", {"to": "0"}, None, "to"),
    ("GET", "/api/v1/cohorts", {"from": "0001-01-01"}, None, "from"),
    (
        "POST",
        "/api/v1/compliance/check",
        None,
        {"ads": [{"text": "x", "market": "DE", "sponsored": 0}]},
        "ads.0.sponsored",
    ),
    (
        "POST",
        "/api/v1/compliance/fix",
        None,
        {"text": "x", "market": "DE", "sponsored": "yes"},
        "sponsored",
    ),
    ("POST", "/api/v1/compliance/fix", None, {"id": False, "text": "x", "market": "DE"}, "id"),
    ("PATCH", "/api/v1/workspace", None, {"require_mfa": 0}, "require_mfa"),
]


def test_values_outside_the_document_are_refused(client, tenants):
    for method, path, params, body, field in OUTSIDE_THE_DOCUMENT:
        response = client.request(method, path, params=params, json=body, headers=tenants.a.headers)
        assert response.status_code == 422, (method, path, params, body, response.text)
        fields = [d["field"] for d in response.json()["error"]["details"]]
        assert any(field in f for f in fields), (method, path, fields)


def test_a_batch_of_ads_has_a_text_budget(client, tenants):
    ads = [{"text": "x" * 20_000, "market": "US"} for _ in range(11)]
    response = client.post("/api/v1/compliance/check", json={"ads": ads}, headers=tenants.a.headers)
    assert response.status_code == 422
    assert "220,000 characters" in response.text and "split the batch" in response.text
