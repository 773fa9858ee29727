"""The API reference works on a closed network: Swagger UI and ReDoc render in Chromium
with every request outside the server refused."""

from __future__ import annotations

import re

import httpx
import pytest

pytestmark = pytest.mark.e2e


def _local_only(page, base_url: str, outside: list[str]) -> None:
    def route(route) -> None:
        if route.request.url.startswith(base_url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", route)


def test_reference_pages_load_only_local_files(live_server):
    for path in ("/api/v1/docs", "/api/v1/redoc"):
        page = httpx.get(live_server.url + path)
        assert page.status_code == 200
        assert "<script>" not in page.text  # no inline script: it would break the CSP
        sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
        assert sources and all(s.startswith("/") for s in sources), sources
        for src in sources:
            asset = httpx.get(live_server.url + src)
            assert asset.status_code == 200, src
            assert len(asset.content) > 100, src


def test_swagger_ui_and_redoc_render_offline(live_server, browser, shots):
    outside: list[str] = []
    errors: list[str] = []
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    _local_only(page, live_server.url, outside)

    page.goto(f"{live_server.url}/api/v1/docs")
    page.wait_for_selector(".opblock", timeout=20_000)
    assert page.locator(".opblock").count() > 10
    assert "Tradewinds" in page.locator(".info .title").inner_text()
    page.screenshot(path=str(shots / "api-docs-swagger.png"))

    page.goto(f"{live_server.url}/api/v1/redoc")
    page.wait_for_selector("[role=menuitem], .menu-content", timeout=20_000)
    page.wait_for_function("document.body.innerText.includes('Tradewinds')", timeout=20_000)
    page.screenshot(path=str(shots / "api-docs-redoc.png"))
    # ReDoc's "API docs by Redocly" footer links a logo on its CDN; the page's image policy
    # refuses it and nothing else is asked of any other host
    assert [u for u in outside if not u.endswith("redoc.ly/redoc/logo-mini.svg")] == []
    assert errors == []
