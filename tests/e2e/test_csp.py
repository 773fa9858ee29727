"""Every page of the app, signed in, in Chromium: no Content-Security-Policy violation, no
script error, and every chart drawn under the policy."""

from __future__ import annotations

import re

import pytest
import yaml

from .conftest import seed_owner, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

EMAIL = "owner@harbour.example"

# Pages that need a query or a form to show all they can show.
SUB_PAGES = [
    "/?compare=year",
    "/attribution?level=campaign",
    "/attribution?level=channel&order=2",
    "/customers?rule=orders%20%3E%3D%202",
    "/customers?per_market=1",
    "/customers/profile?customer_id=demo-cust-00001",
    "/customers/exports?rule=orders%20%3E%3D%202",
    "/no-such-page",
]

# The API reference pages have a policy of their own (web/security_headers.py); they are
# walked below, after the app's pages.
REFERENCE = {"/api/v1/docs": ".opblock", "/api/v1/redoc": "[role=menuitem], .menu-content"}
# ReDoc's "API docs by Redocly" footer shows a logo from its CDN, which img-src refuses
REDOC_LOGO = "redoc.ly/redoc/logo-mini.svg"

WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + e.blockedURI + " " + (e.sample || ""));
});
"""


def _html_get_routes() -> list[str]:
    """GET routes of the app without path parameters, outside the API and the collector."""
    from tradewinds.app import create_app

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

    walk(create_app().routes)
    # drill-down levels need their keys (walked from the Overview's links below); the live
    # view's rows are a fragment the Live events page fetches, not a page
    skip = re.compile(
        r"^/(api/|v1/|vendor/|healthz|drill/)|\.(csv|xlsx|json|ics)$|^/data/events/rows$"
    )
    return sorted({p for p in found if not skip.search(p)})


def _navigation() -> list[str]:
    from tradewinds.web.frame import HERE

    return [item["path"] for item in yaml.safe_load((HERE / "navigation.yaml").read_text())]


def _seed() -> None:
    from tradewinds.attribution import demo
    from tradewinds.audiences import saved_segments
    from tradewinds.db.engine import session_scope
    from tradewinds.db.models.tenancy import Workspace
    from tradewinds.warehouse import open_warehouse

    key = seed_owner("Harbour Gifts", email=EMAIL)
    demo.load(workspace_key=key)
    with session_scope() as session:
        ws = session.query(Workspace).filter_by(key=key).one()
        saved_segments.save_segment(
            session=session, workspace=ws, name="Repeat buyers", rule="orders >= 2", actor="test"
        )
        with open_warehouse(key) as wh:
            saved_segments.refresh_counts(session=session, workspace=ws, warehouse=wh, force=True)


def _check(page, url: str, problems: list[str]) -> None:
    response = page.goto(url, wait_until="networkidle")
    assert response is not None, url
    if "text/html" not in response.headers.get("content-type", ""):
        return
    charts = page.locator(".chart, .overview-chart")
    for i in range(charts.count()):
        chart = charts.nth(i)
        name = chart.get_attribute("id")
        try:
            chart.locator(".main-svg").first.wait_for(timeout=15_000)
        except Exception:  # noqa: BLE001  (reported below with the page)
            problems.append(f"{url}: chart #{name} was not drawn")
    _violations(page, url, problems)


def _violations(page, where: str, problems: list[str]) -> None:
    for violation in page.evaluate("window.__csp || []"):
        problems.append(f"{where}: CSP violation {violation}")


def test_every_page_runs_under_the_policy(live_server, browser) -> None:
    _seed()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(WATCH)
    page = context.new_page()
    problems: list[str] = []
    page.on(
        "console",
        lambda m: (
            problems.append(f"{page.url}: console {m.type}: {m.text}")
            if "Content Security Policy" in m.text or m.type == "error"
            else None
        ),
    )
    page.on("pageerror", lambda e: problems.append(f"{page.url}: page error {e}"))
    page.on(
        "response",
        lambda r: (
            problems.append(f"{page.url}: {r.url} answered {r.status}")
            if r.status >= 400 and "/no-such-page" not in r.url
            else None
        ),
    )

    _check(page, f"{live_server.url}/login", problems)
    sign_in(page, live_server.url, EMAIL)
    pages = sorted(set(_html_get_routes()) | set(_navigation())) + SUB_PAGES
    assert {"/", "/attribution", "/customers", "/data", "/settings/security"} <= set(pages)
    for path in pages:
        if path in ("/login", "/login/mfa"):
            continue
        _check(page, live_server.url + path, problems)

    # the drill-down levels the Overview links to (tiles, rows), then one level further
    page.goto(f"{live_server.url}/", wait_until="networkidle")
    links = "els => [...new Set(els.map(e => e.getAttribute('href')))]"
    drills = page.eval_on_selector_all("a[href^='/drill/']", links)
    assert drills, "the Overview links to no drill-down level"
    seen = set(drills)
    for href in drills[:10]:
        _check(page, live_server.url + href, problems)
        deeper = [
            h for h in page.eval_on_selector_all("a[href^='/drill/']", links) if h not in seen
        ]
        if deeper:
            seen.add(deeper[0])
            _check(page, live_server.url + deeper[0], problems)

    # pages that show the answer to a form
    page.goto(f"{live_server.url}/data/sql")
    page.fill("#q-sql", "SELECT count(*) AS orders FROM orders")
    page.click("form[method=post][action='/data/sql'] button[type=submit]")
    page.wait_for_selector("[data-testid=sql-result]")
    _violations(page, "SQL console result", problems)
    page.goto(f"{live_server.url}/compliance")
    page.fill("#c-text", "The best cure for colds, guaranteed!")
    page.click("form[method=post][action='/compliance'] button[value=check]")
    page.wait_for_load_state("networkidle")
    _violations(page, "compliance check result", problems)
    for path, selector in REFERENCE.items():
        page.goto(live_server.url + path)
        page.wait_for_selector(selector, timeout=20_000)
        page.wait_for_load_state("networkidle")
        _violations(page, path, problems)
    context.close()
    problems = [p for p in problems if REDOC_LOGO not in p]
    # the 404 page logs its own status as a console error: that one is expected
    problems = [p for p in problems if not ("/no-such-page" in p and "404 (Not Found)" in p)]
    assert problems == [], "\n".join(problems)
