"""Stored and reflected script injection: payloads through every field that reaches a page.

The payloads travel the way an attacker's would: page events with the storefront's public
write key (URL, UTM tags, referrer, product names), an orders export whose product names,
order ids, file name and bad cells carry them, saved segment names, workspace names, and
query parameters. Each page is then opened in Chromium twice: once with the
Content-Security-Policy switched off (escaping alone must hold) and once with it on. The
test fails if a payload runs (it sets ``window.__xss`` or opens a dialog), if it made an
element, or if the raw HTML carries a payload unescaped.
"""

from __future__ import annotations

import csv
import io
import json
import re
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import quote, urlencode

import httpx
import pytest

from tests.e2e.conftest import (  # noqa: F401  (fixtures)
    PASSWORD,
    browser,
    live_server,
    seed_owner,
    shots,
    sign_in,
)

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

EMAIL = "owner@harbour.example"
SCRIPT = "</script><script>window.__xss='script'</script>"
IMG = '"><img src=x onerror="window.__xss=\'img\'">'
SVG = "'><svg onload=window.__xss='svg'>"
URL = "javascript:window.__xss='url'"
TEMPLATE = "{{7*7}}<b onmouseover=alert('b')>bold</b>"
SEPARATORS = "\u2028</script>\u2029<script>alert('sep')</script>"
FRAME = "<iframe srcdoc=\"<script>parent.__xss='frame'</script>\"></iframe>"
LINK = "<a href=\"javascript:alert('link')\">link</a>"
PAYLOADS = [SCRIPT, IMG, SVG, URL, TEMPLATE, SEPARATORS, FRAME, LINK]
# any of these in a page's HTML means a payload was written out unescaped
UNESCAPED = [p for p in PAYLOADS if "<" in p or '"' in p] + [
    "<script>window.__xss",
    "<img src=x",
    "<svg onload",
    "<b onmouseover",
    "<iframe",
]
JS_URL = re.compile(
    r"""<[a-z][^>]*\s(href|src|action|formaction)\s*=\s*["']?\s*javascript:""", re.I
)

PROBE = """() => ({
  xss: window.__xss === undefined ? null : String(window.__xss),
  made: document.querySelectorAll(
    "img[src='x'], iframe, svg[onload], [onerror], [onload], [onmouseover], a[href^='javascript']"
  ).length,
  text: document.body.innerText,
})"""


def _seed(live_url: str) -> str:
    """The workspace, its events (through the collector) and saved segments; its key."""
    from tradewinds.attribution import demo
    from tradewinds.audiences import saved_segments
    from tradewinds.auth import users
    from tradewinds.db.engine import session_scope
    from tradewinds.db.models.tenancy import User, Workspace
    from tradewinds.ingest import sources
    from tradewinds.ingest.eventlog import drain_workspace
    from tradewinds.warehouse import open_warehouse
    from tradewinds.workspaces import service
    from tradewinds.workspaces.schemas import WorkspaceCreate

    key = seed_owner("Harbour " + IMG, email=EMAIL)
    demo.load(workspace_key=key)
    with session_scope() as session:
        ws = session.query(Workspace).filter_by(key=key).one()
        other = service.create_workspace(
            session=session,
            actor="test",
            workspace_in=WorkspaceCreate(
                name=SCRIPT, currency="GBP", timezone="Europe/London", region="uk"
            ),
        )
        owner = session.query(User).filter_by(email=EMAIL).one()
        users.add_member(session=session, user=owner, workspace=other, role="admin", actor="test")
        _, write_key = sources.create_source(
            session=session, workspace=ws, kind="segment", actor="test", storefront="web"
        )
    _collect(live_url, write_key)
    drained = drain_workspace(workspace_key=key, storefront="web")
    assert drained.rows.get("touchpoints", 0) >= len(PAYLOADS), drained
    with session_scope() as session:
        ws = session.query(Workspace).filter_by(key=key).one()
        for i, name in enumerate([TEMPLATE, IMG, SVG]):
            saved_segments.save_segment(
                session=session, workspace=ws, name=name, rule=f"orders >= {i + 1}", actor="t"
            )
        with open_warehouse(key) as wh:
            saved_segments.refresh_counts(session=session, workspace=ws, warehouse=wh, force=True)
    return key


def _collect(live_url: str, write_key: str) -> None:
    """One visitor per payload: a page view whose URL carries it, then an order."""
    now = datetime.now(UTC) - timedelta(hours=2)
    batch = []
    for i, payload in enumerate(PAYLOADS):
        query = urlencode({"utm_source": payload, "utm_medium": "cpc", "utm_campaign": payload})
        at = (now + timedelta(minutes=i)).isoformat()
        batch.append(
            {
                "type": "page",
                "anonymousId": f"xss-anon-{i}",
                "messageId": f"xss-page-{i}",
                "timestamp": at,
                "name": payload,
                "context": {
                    "page": {
                        "url": f"https://shop.example/{quote(payload)}?{query}",
                        "referrer": f"https://{i}.example/?q={quote(payload)}",
                    }
                },
            }
        )
        batch.append(
            {
                "type": "track",
                "event": "Order Completed",
                "anonymousId": f"xss-anon-{i}",
                "userId": f"xss-customer-{i}",
                "messageId": f"xss-order-{i}",
                "timestamp": (now + timedelta(minutes=i, seconds=30)).isoformat(),
                "properties": {
                    "order_id": f"xss-{i}",
                    "total": 20 + i,
                    "currency": "GBP",
                    "products": [
                        {
                            "product_id": f"xss-p{i}",
                            "sku": payload,
                            "name": payload,
                            "price": 20 + i,
                            "quantity": 1,
                        }
                    ],
                },
            }
        )
    answer = httpx.post(f"{live_url}/v1/batch", json={"batch": batch}, auth=(write_key, ""))
    assert answer.status_code == 200, answer.text


def _orders_export() -> bytes:
    """A Shopify orders export with payloads in product names, order ids and a bad cell."""
    from tradewinds.demo.retail import shared_data_dir

    header_file = shared_data_dir() / "export_headers" / "shopify_orders_export_header.csv"
    header = next(csv.reader([header_file.read_text().strip()]))
    day = (datetime.now(UTC) - timedelta(days=1)).strftime("%Y-%m-%d 10:00:00 +0000")

    def row(name: str, title: str, quantity: str = "1") -> list[str]:
        cells = dict.fromkeys(header, "")
        cells.update(
            {
                "Name": name,
                "Email": "ana@example.com",
                "Created at": day,
                "Financial Status": "paid",
                "Currency": "GBP",
                "Subtotal": "10.00",
                "Total": "10.00",
                "Lineitem quantity": quantity,
                "Lineitem price": "10.00",
                "Lineitem sku": "SKU-" + name.strip("#"),
                "Lineitem name": title,
                "Billing Name": "Ana Example",
                "Shipping Country": "GB",
            }
        )
        return [cells[h] for h in header]

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerow(row("#5001", SCRIPT))
    writer.writerow(row("#5002", SEPARATORS))
    writer.writerow(row("#" + FRAME, LINK))
    writer.writerow(row("#5004", "Mug", quantity=IMG))  # left out: its cell is shown
    return out.getvalue().encode()


def _import_through_the_page(page, base: str) -> None:
    from playwright.sync_api import Error as PlaywrightError

    page.goto(f"{base}/data")
    page.set_input_files(
        "#d-files",
        files=[{"name": f"orders {SVG}.csv", "mimeType": "text/csv", "buffer": _orders_export()}],
    )
    page.click("form.upload-form button[type=submit]")
    page.wait_for_url("**/data?started=*")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        page.wait_for_timeout(1000)
        try:  # the page reloads itself when the import ends: a visit may be cut short
            page.goto(f"{base}/data/sql")
            page.goto(f"{base}/data")
        except PlaywrightError:
            continue
        if page.get_attribute("body", "data-imports-settled") == "1":
            return
    raise AssertionError("the import did not finish in two minutes")


def _pages(base: str) -> list[str]:
    bad = quote(SCRIPT)
    return [
        "/",
        "/?channel=" + quote(IMG),
        "/attribution",
        "/attribution?level=campaign",
        "/customers",
        f"/customers?rule={bad}",
        f"/customers?rule=campaign%20%3D%20%22{bad}%22",
        f"/customers/profile?customer_id={bad}",
        "/customers/profile?customer_id=xss-customer-0",
        f"/customers/exports?rule={bad}",
        f"/customers/search?q={bad}",
        "/data",
        "/data/sources",
        "/data/events",
        "/data/imports/1",
        "/settings",
        "/settings/members",
        "/settings/api-keys",
        "/compliance",
        f"/no-such/{bad}",
    ]


def _visit(page, url: str, dialogs: list[str], problems: list[str]) -> str:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.goto(url, wait_until="networkidle")
    for chart in page.locator(".chart, .overview-chart").all():
        try:
            chart.locator(".main-svg").first.wait_for(timeout=15_000)
        except PlaywrightTimeout:
            problems.append(f"{url}: chart #{chart.get_attribute('id')} was not drawn")
            continue
        chart.hover()  # hover labels are drawn from the same names
    seen = page.evaluate(PROBE)
    if seen["xss"] is not None:
        problems.append(f"{url}: a payload ran (window.__xss = {seen['xss']})")
    if seen["made"]:
        problems.append(f"{url}: a payload made {seen['made']} element(s)")
    if dialogs:
        problems.append(f"{url}: a payload opened a dialog: {dialogs}")
        dialogs.clear()
    return seen["text"]


def _check_html(html: str, url: str, problems: list[str]) -> None:
    for bad in UNESCAPED:
        if bad in html:
            problems.append(f"{url}: the HTML carries {bad!r} unescaped")
    if JS_URL.search(html):
        problems.append(f"{url}: the HTML has a javascript: URL")


def test_no_payload_runs_on_any_page(live_server, browser, shots) -> None:  # noqa: F811
    base = live_server.url
    _seed(base)
    problems: list[str] = []
    texts: dict[str, str] = {}
    for bypass in (True, False):
        context = browser.new_context(bypass_csp=bypass, viewport={"width": 1280, "height": 900})
        page = context.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))  # noqa: B023
        sign_in(page, base, EMAIL, PASSWORD)
        if bypass:
            _import_through_the_page(page, base)
        for path in _pages(base):
            texts[path] = _visit(page, base + path, dialogs, problems)
            if path == "/attribution?level=campaign" and not bypass:
                page.screenshot(path=str(shots / "xss-attribution-campaigns.png"), full_page=True)
            _check_html(context.request.get(base + path).text(), path, problems)
        # answers to forms show what was typed
        page.goto(f"{base}/data/sql")
        page.fill("#q-sql", "SELECT title, sku, product_id FROM products ORDER BY 1")
        page.click("form[method=post][action='/data/sql'] button[type=submit]")
        page.wait_for_selector("[data-testid=sql-result]")
        texts["sql"] = page.inner_text("main")
        _check_html(page.content(), "/data/sql result", problems)
        page.goto(f"{base}/compliance")
        page.fill("#c-text", SCRIPT + IMG)
        page.click("form[method=post][action='/compliance'] button[value=check]")
        page.wait_for_load_state("networkidle")
        seen = page.evaluate(PROBE)
        if seen["xss"] is not None or seen["made"] or dialogs:
            problems.append(f"compliance check ran a payload: {seen['xss']} {dialogs}")
        context.close()
    assert problems == [], "\n".join(problems)

    # the payloads are shown as the text they are, where each field is shown
    assert "{{7*7}}<b onmouseover" in texts["/customers"]  # saved segment names, verbatim
    assert SCRIPT in texts["/attribution?level=campaign"]  # campaign names from UTM tags
    assert IMG in texts["/"]  # the workspace's name in the switcher
    assert SCRIPT in texts["/data/imports/1"] or IMG in texts["/data/imports/1"]
    assert SCRIPT in texts["sql"] and LINK in texts["sql"]  # product names from both paths
    assert json.dumps(SVG)[1:-1] in texts["/data"] or SVG in texts["/data"]  # the file name
