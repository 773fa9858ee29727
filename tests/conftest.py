from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tradewinds.config import reset_settings
from tradewinds.db.engine import dispose_engines
from tradewinds.warehouse.backend import Warehouse
from tradewinds.warehouse.duckdb_backend import DuckDBWarehouse

from .migrated import MigratedTemplates
from .services import postgres_schema

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"

# A running server drains collected events and syncs connectors on its own clock; tests
# move data themselves (tests/jobs/ runs the queue and its periodic tasks on purpose).
os.environ.setdefault("TRADEWINDS_DRAIN_SECONDS", "0")
os.environ.setdefault("TRADEWINDS_SYNC_MINUTES", "0")
os.environ.setdefault("TRADEWINDS_FX_DAILY_URL", "")  # no ECB fetch (tests/markets replay it)
# every test client starts the app: a full collection before gc.freeze() on a test process's
# heap costs ~0.2 s each time (tests/test_app_lifespan.py runs it on purpose)
os.environ.setdefault("TRADEWINDS_GC_FREEZE", "0")


@pytest.fixture(scope="session", autouse=True)
def quick_password_hashes() -> Iterator[None]:
    """argon2id with its smallest cost inside the test process (the same code, the same
    ``$argon2id$`` hashes, a fraction of the time and memory); servers the browser tests
    start hash at full cost. ``TRADEWINDS_TEST_FULL_ARGON2=1`` keeps the full cost."""
    if os.environ.get("TRADEWINDS_TEST_FULL_ARGON2", "") not in ("", "0", "false"):
        yield
        return
    from argon2 import PasswordHasher

    from tradewinds.auth import passwords

    full = passwords._hasher
    passwords._hasher = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)
    try:
        yield
    finally:
        passwords._hasher = full


@pytest.fixture
def shared_data() -> Path:
    """../shared/data beside the checkout (read-only real data sets)."""
    if not SHARED_DATA.exists():
        pytest.skip(f"shared data not found at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture
def tw_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh TRADEWINDS_HOME for one test."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("TRADEWINDS_HOME", str(home))
    monkeypatch.delenv("TRADEWINDS_DATABASE_URL", raising=False)
    monkeypatch.delenv("TRADEWINDS_WAREHOUSE_URL", raising=False)
    reset_settings()
    yield home
    dispose_engines()
    reset_settings()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tw_home: Path) -> Iterator[str]:
    """The app DB URL, once for SQLite and once for PostgreSQL (a fresh schema)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tw_home / 'app.db'}"
    else:
        with postgres_schema() as (url, _schema):
            yield url


@pytest.fixture(scope="session")
def migrated_templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MigratedTemplates]:
    """The migrated app DB, made once per test process and copied for each test."""
    templates = MigratedTemplates(tmp_path_factory.mktemp("migrated"))
    try:
        yield templates
    finally:
        templates.close()


@pytest.fixture
def app_db(
    db_url: str, monkeypatch: pytest.MonkeyPatch, migrated_templates: MigratedTemplates
) -> Iterator[str]:
    """A migrated, empty app DB (SQLite and PostgreSQL); yields its URL."""
    monkeypatch.setenv("TRADEWINDS_DATABASE_URL", db_url)
    reset_settings()
    migrated_templates.apply(db_url)
    yield db_url
    dispose_engines()


@pytest.fixture
def client(app_db: str):
    """A test client for the whole app over https (so Secure cookies flow)."""
    from fastapi.testclient import TestClient

    from tradewinds.app import create_app

    with TestClient(create_app(), base_url="https://testserver") as c:
        yield c


@dataclass
class Tenant:
    workspace_id: int
    workspace_key: str
    name: str
    owner_email: str
    owner_password: str
    api_key: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.api_key}"}


@dataclass
class Tenants:
    a: Tenant
    b: Tenant


def make_tenant(name: str, currency: str = "GBP") -> Tenant:
    from tradewinds.auth import apikeys, users
    from tradewinds.db.engine import session_scope
    from tradewinds.workspaces import service
    from tradewinds.workspaces.schemas import WorkspaceCreate

    email = f"owner@{name.lower().replace(' ', '-')}.example"
    password = f"{name}-password-123"
    with session_scope() as session:
        ws = service.create_workspace(
            session=session,
            workspace_in=WorkspaceCreate(
                name=name, currency=currency, timezone="Europe/London", region="uk"
            ),
            actor="test",
        )
        users.create_user(
            session=session,
            email=email,
            password=password,
            workspace=ws,
            role="owner",
            actor="test",
        )
        key = apikeys.create_key(
            session=session, workspace=ws, role="owner", name="test", actor="test"
        ).key
        return Tenant(ws.id, ws.key, ws.name, email, password, key)


@pytest.fixture
def tenants(app_db: str) -> Tenants:
    """Two workspaces, A and B, each with an owner (password login) and an owner API key."""
    return Tenants(make_tenant("Alpha Shop"), make_tenant("Bravo Shop", "EUR"))


@contextmanager
def _ready(wh: Warehouse) -> Iterator[Warehouse]:
    """``wh`` with the canonical tables, closed afterwards."""
    wh.ensure_tables()
    try:
        yield wh
    finally:
        wh.close()


@pytest.fixture
def duckdb_warehouse(tmp_path: Path) -> Iterator[Warehouse]:
    """A fresh DuckDB warehouse, for what only DuckDB does (its own optimisations)."""
    with _ready(DuckDBWarehouse(tmp_path / "duck.duckdb")) as wh:
        yield wh


@pytest.fixture(params=["duckdb", "postgres"])
def warehouse(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Warehouse]:
    """A fresh warehouse with the canonical tables, once per backend.

    PostgreSQL runs in a schema of its own for each test."""
    if request.param == "duckdb":
        with _ready(DuckDBWarehouse(tmp_path / "test.duckdb")) as wh:
            yield wh
        return
    from tradewinds.warehouse.postgres_backend import PostgresWarehouse

    with postgres_schema() as (url, schema), _ready(PostgresWarehouse(url, schema=schema)) as wh:
        yield wh


def pytest_terminal_summary(terminalreporter, exitstatus, config):  # noqa: ARG001
    """Say how many app-DB tests ran on each backend (they are parametrized over both)."""
    counts: dict[str, dict[str, int]] = {}
    for outcome in ("passed", "failed", "error", "skipped"):
        for report in terminalreporter.stats.get(outcome, []):
            nodeid = getattr(report, "nodeid", "")
            if getattr(report, "when", "call") not in ("call", "setup"):
                continue
            if outcome == "passed" and report.when != "call":
                continue
            for backend in ("sqlite", "postgresql"):
                if f"[{backend}" in nodeid or f"-{backend}]" in nodeid or f"-{backend}-" in nodeid:
                    counts.setdefault(backend, {}).setdefault(outcome, 0)
                    counts[backend][outcome] += 1
    if counts:
        terminalreporter.section("app DB backends")
        for backend, by_outcome in counts.items():
            parts = ", ".join(f"{n} {o}" for o, n in sorted(by_outcome.items()))
            terminalreporter.write_line(f"{backend}: {parts}")


def _module(item: pytest.Item) -> str:
    return item.nodeid.split("::")[0]


def _has_module_setup(item: pytest.Item) -> bool:
    """Does ``item`` use a module-wide fixture of this suite (not a plugin's)?"""
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return False
    return any(
        defs and defs[-1].scope in ("module", "package") and defs[-1].baseid
        for defs in info.name2fixturedefs.values()
    )


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Order and group the tests for ``pytest -n 2 --dist loadgroup`` (docs/development.md).

    * Modules with slow or browser tests come first, whole, so the long tests start early
      and the workers finish together instead of one idling while the other runs them.
    * A module whose tests share a module-wide set-up runs on one worker (an xdist group),
      so the set-up is made once rather than once on each worker.

    ``TRADEWINDS_TEST_ORDER=collected`` keeps pytest's own order and adds no groups."""
    if os.environ.get("TRADEWINDS_TEST_ORDER", "") == "collected":
        return
    heavy = {
        _module(item)
        for item in items
        if item.get_closest_marker("slow") or item.get_closest_marker("e2e")
    }
    items.sort(key=lambda item: _module(item) not in heavy)  # stable: modules stay whole
    if config.getoption("dist", "no") != "loadgroup":
        return
    grouped = {_module(item) for item in items if _has_module_setup(item)}
    for item in items:
        if _module(item) in grouped and not item.get_closest_marker("xdist_group"):
            item.add_marker(pytest.mark.xdist_group(_module(item)))
