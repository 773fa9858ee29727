"""Security headers on every response; a Content-Security-Policy with a fresh nonce on every
page; templates that hand data to scripts only as escaped JSON."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tradewinds.web.frame import HERE

from .browser import login

COMMON = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
}
NONCE = re.compile(r"script-src 'self' 'nonce-([A-Za-z0-9_-]{20,})'")
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.I)
HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
STYLE_ATTR = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I)


def _get_pages(app) -> list[str]:
    """GET routes without path parameters outside the API, the collector and downloads."""
    found: list[str] = []

    def walk(routes, prefix: str = "") -> None:
        for route in routes:
            inner = getattr(route, "original_router", None)
            if inner is not None:
                context = getattr(route, "include_context", None)
                walk(inner.routes, prefix + (getattr(context, "prefix", "") or ""))
                continue
            path = prefix + getattr(route, "path", "")
            if "GET" in (getattr(route, "methods", None) or set()) and "{" not in path:
                found.append(path)

    walk(app.routes)
    skip = re.compile(r"^/(api/|v1/|vendor/|healthz)|\.(csv|xlsx|json)$")
    return sorted({p for p in found if not skip.search(p)})


def _assert_common(response, where: str) -> None:
    for name, value in COMMON.items():
        assert response.headers.get(name) == value, f"{where}: {name}"
    assert "camera=()" in response.headers.get("permissions-policy", ""), where


def _assert_page(response, where: str) -> str:
    """The page policy, its nonce on every script, no inline script or handler; the nonce."""
    _assert_common(response, where)
    policy = response.headers.get("content-security-policy", "")
    match = NONCE.search(policy)
    assert match, f"{where}: no nonce in {policy!r}"
    for part in (
        "default-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
        "img-src 'self' data:",
    ):
        assert part in policy, f"{where}: {part} missing"
    assert (
        "unsafe-eval" not in policy and "'unsafe-inline'" not in policy.split("style-src-attr")[0]
    )
    nonce = match.group(1)
    html = response.text
    for attrs in SCRIPT_TAG.findall(html):
        if 'type="application/json"' in attrs:
            continue
        assert re.search(r'\ssrc="/', attrs), f"{where}: an inline or foreign script {attrs!r}"
        assert f'nonce="{nonce}"' in attrs, f"{where}: a script without the nonce {attrs!r}"
    assert not HANDLER.search(html), f"{where}: an inline event handler"
    assert not STYLE_ATTR.search(html), f"{where}: a style attribute"
    return nonce


def test_every_page_has_the_policy_with_a_fresh_nonce(client, tenants) -> None:
    pages = _get_pages(client.app)
    assert {"/", "/attribution", "/customers", "/data", "/settings", "/login"} <= set(pages)
    signed_out = client.get("/login")
    _assert_page(signed_out, "/login")
    login(client, tenants.a.owner_email, tenants.a.owner_password)
    seen: set[str] = set()
    for path in [*pages, "/no-such-page", "/data/imports/999999"]:
        response = client.get(path, headers={"accept": "text/html"})
        if not response.headers.get("content-type", "").startswith("text/html"):
            continue
        nonce = _assert_page(response, path)
        assert nonce not in seen, f"{path}: the nonce of an earlier response again"
        seen.add(nonce)
        # over https (the test client's base URL) browsers are told to stay on https
        assert response.headers["strict-transport-security"].startswith("max-age=31536000")
    assert len(seen) >= 15


def test_no_hsts_over_plain_http(app_db) -> None:
    from tradewinds.app import create_app

    with TestClient(create_app(), base_url="http://testserver") as plain:
        response = plain.get("/login")
    _assert_page(response, "/login over http")
    assert "strict-transport-security" not in response.headers


def test_api_collector_and_files_answer_with_the_headers(client, tenants) -> None:
    for response, where in [
        (client.get("/api/v1/workspace", headers=tenants.a.headers), "API"),
        (client.get("/api/v1/workspace"), "API, refused"),
        (client.post("/v1/track", json={}, auth=("not-a-key", "")), "collector"),
        (client.get("/healthz"), "health"),
        (client.get("/static/app.js"), "static file"),
        (client.get("/vendor/plotly.min.js"), "Plotly"),
    ]:
        _assert_common(response, where)
        assert response.headers["content-security-policy"].startswith("default-src 'none'")


def test_api_reference_pages_get_their_own_policy(client) -> None:
    for path in ("/api/v1/docs", "/api/v1/redoc"):
        response = client.get(path)
        assert response.status_code == 200, path
        _assert_common(response, path)
        policy = response.headers["content-security-policy"]
        assert "script-src 'self';" in policy and "http" not in policy, policy
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy


def test_the_500_page_has_the_headers(app_db) -> None:
    from tradewinds.app import create_app

    app = create_app()

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("boom")

    with TestClient(app, base_url="https://testserver", raise_server_exceptions=False) as c:
        response = c.get("/boom", headers={"accept": "text/html"})
    assert response.status_code == 500
    _assert_page(response, "500 page")


def test_the_nonce_reaches_the_templates(client) -> None:
    response = client.get("/login")
    nonce = NONCE.search(response.headers["content-security-policy"]).group(1)
    assert f'<script src="/static/app.js" defer nonce="{nonce}">' in response.text
    assert f'<style id="plotly.js-style-global" nonce="{nonce}">' in response.text


SAFE_ALLOWED = {
    "settings/security.html": "enrolment.qr_svg|safe",  # segno's SVG: paths only
    "data/guide.html": "guide|safe",  # the shipped guide, markdown-it with HTML off
}


@pytest.mark.parametrize(
    "template",
    sorted(
        p.relative_to(HERE / "templates").as_posix() for p in (HERE / "templates").rglob("*.html")
    ),
)
def test_templates_mark_nothing_safe_and_run_no_inline_script(template: str) -> None:
    text = (HERE / "templates" / template).read_text()
    safes = re.findall(r"\{\{[^}]*\|\s*safe[^}]*\}\}", text)
    allowed = SAFE_ALLOWED.get(template)
    assert all(allowed and allowed in s.replace(" ", "") for s in safes), safes
    for attrs in SCRIPT_TAG.findall(text):
        assert "src=" in attrs or 'type="application/json"' in attrs, attrs
    assert not HANDLER.search(text) and "javascript:" not in text


def test_static_scripts_write_no_html() -> None:
    """Page scripts change text and attributes, never markup from data."""
    for script in Path(HERE / "static").glob("*.js"):
        text = script.read_text()
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
            assert sink not in text, f"{script.name} uses {sink}"
