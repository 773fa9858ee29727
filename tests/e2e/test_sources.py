"""A seller creates an event source, copies its write key (shown once), sends an event
and watches it arrive on the live view, which refreshes by itself under the CSP."""

from __future__ import annotations

import httpx
import pytest

from .conftest import seed_owner, sign_in

pytestmark = pytest.mark.e2e


def test_create_source_copy_key_and_watch_an_event_arrive(live_server, browser, shots):
    seed_owner("Lantern Gifts", email="owner@lantern.example")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    sign_in(page, live_server.url, "owner@lantern.example")

    page.goto(f"{live_server.url}/data/sources")
    page.fill("#s-name", "Web shop")
    page.click("text=Create source")
    key = page.locator("[data-testid=write-key]").inner_text().strip()
    assert len(key) >= 24
    page.click("[data-copy=write-key]")
    page.wait_for_selector("[data-copy=write-key]:has-text('Copied')")
    assert page.evaluate("navigator.clipboard.readText()") == key
    page.screenshot(path=str(shots / "sources-new-key.png"), full_page=True)

    page.goto(f"{live_server.url}/data/sources")
    assert key not in page.content() and f"{key[:8]}…" in page.content()

    page.goto(f"{live_server.url}/data/events")
    assert page.locator("text=No events received yet.").is_visible()
    sent = httpx.post(
        f"{live_server.url}/v1/track",
        json={"type": "track", "event": "Order Completed", "userId": "ann@example.com"},
        auth=(key, ""),
        timeout=10,
    )
    assert sent.status_code == 200, sent.text
    row = page.locator("[data-testid=live-received] tr:has-text('Order Completed')")
    row.wait_for(timeout=15_000)  # no reload: the page fetches its tables again
    assert "a••@example.com" in row.inner_text()
    page.screenshot(path=str(shots / "live-events.png"), full_page=True)
    assert not [p for p in problems if "Content Security Policy" in p], problems
    context.close()
