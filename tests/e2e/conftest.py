"""A real server process and Debian's headless Chromium, driven by Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from ..migrated import MigratedTemplates
from ..services import services_required

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class LiveServer:
    url: str
    home: Path
    env: dict[str, str]


@pytest.fixture
def live_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, migrated_templates: MigratedTemplates
) -> Iterator[LiveServer]:
    home = tmp_path / "home"
    env = {**os.environ, "TRADEWINDS_HOME": str(home)}
    env.pop("TRADEWINDS_DATABASE_URL", None)
    monkeypatch.setenv("TRADEWINDS_HOME", str(home))
    monkeypatch.delenv("TRADEWINDS_DATABASE_URL", raising=False)
    from tradewinds.config import reset_settings
    from tradewinds.db.engine import dispose_engines

    reset_settings()
    cli = [sys.executable, "-m", "tradewinds.cli.main"]
    _init(migrated_templates)
    port = _free_port()
    proc = subprocess.Popen(
        [*cli, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120  # a busy machine starts it slowly
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    else:
        proc.kill()
        raise RuntimeError(f"server did not start: {proc.stdout.read().decode()[-2000:]}")
    try:
        yield LiveServer(url, home, env)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        dispose_engines()
        reset_settings()


def _init(migrated_templates: MigratedTemplates) -> None:
    """What `tradewinds init` does (tests/cli runs the command itself): the data directory
    and secret key, and the migrated app DB (a copy of the migrated template)."""
    from tradewinds.config import get_settings

    settings = get_settings()
    _ = settings.secret_key
    migrated_templates.apply(settings.db_url)


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for a test module; every ``new_page``/``new_context`` is a
    fresh profile (no cookies or storage shared between tests)."""
    if not Path(CHROMIUM).exists():
        reason = f"Debian chromium is not installed at {CHROMIUM} (make system-deps installs it)"
        if services_required():
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def shots() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


def has_chromium() -> bool:
    return shutil.which("chromium") is not None


PASSWORD = "a-long-password-1"


def seed_owner(
    name: str,
    *,
    email: str,
    currency: str = "GBP",
    timezone: str = "Europe/London",
    region: str = "uk",
) -> str:
    """Create a workspace with an owner who signs in with ``email`` / PASSWORD; returns its key."""
    from tradewinds.auth import users
    from tradewinds.db.engine import session_scope
    from tradewinds.workspaces import service
    from tradewinds.workspaces.schemas import WorkspaceCreate

    with session_scope() as session:
        shop = service.create_workspace(
            session=session,
            actor="test",
            workspace_in=WorkspaceCreate(
                name=name, currency=currency, timezone=timezone, region=region
            ),
        )
        users.create_user(
            session=session,
            email=email,
            password=PASSWORD,
            workspace=shop,
            role="owner",
            actor="test",
        )
        return shop.key


def sign_in(page, base_url: str, email: str, password: str = PASSWORD) -> None:
    """Sign in through the login form (no two-step code) and wait for the app frame."""
    page.goto(f"{base_url}/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_selector("header.topbar")  # the frame (the side navigation folds on phones)
