"""A seller uploads real Google Ads exports, watches the import finish, reads its errors,
then queries the warehouse in the SQL console — at laptop and phone widths."""

from __future__ import annotations

import pytest

from ..api.test_imports import BAD_ROW, google_ads_report
from .conftest import seed_owner, sign_in

pytestmark = pytest.mark.e2e


def _seed() -> str:
    seed_owner(
        "Fitness Outlet",
        email="owner@gym.example",
        currency="USD",
        timezone="America/Chicago",
        region="us",
    )
    return "owner@gym.example"


def _fits(page, name: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 361, f"{name} is {width}px wide on a 360px phone"


def test_upload_follow_errors_and_query(live_server, browser, shots, shared_data, tmp_path):
    email = _seed()
    real = shared_data / "ad_exports" / "google_ads_landing_page_report.csv"
    by_day = google_ads_report(shared_data, tmp_path / "Campaign report by day.csv")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, live_server.url, email)

    page.goto(f"{live_server.url}/data")
    assert page.locator("[data-testid=empty]").is_visible()
    page.screenshot(path=str(shots / "data-empty-laptop.png"), full_page=True)
    page.set_input_files("#d-files", [str(real), str(by_day)])
    page.click("form.upload-form button[type=submit]")
    page.wait_for_url("**/data?started=*")
    # the page follows a running import through the API, then shows the full result
    page.wait_for_selector("body[data-imports-settled='1']", timeout=60_000)
    row = page.locator("table.import-history tbody tr").first
    assert row.get_attribute("data-active") == "0"
    assert row.locator(".status-problems").inner_text() == "Done, with problems"
    cells = row.locator("td").all_inner_texts()
    assert "google_ads_landing_page_report.csv" in cells[2] and "Google Ads report" in cells[2]
    assert [c.strip() for c in cells[4:8]] == ["36", "36", "0", "1"]  # landing-page rows kept
    page.screenshot(path=str(shots / "data-history-laptop.png"), full_page=True)

    _follows_a_running_import(page, live_server.url, shots)

    page.goto(f"{live_server.url}/data")
    row = page.locator("table.import-history tbody tr").last
    row.locator("td a").first.click()
    page.wait_for_selector("[data-testid=row-errors]")
    errors = page.locator("[data-testid=row-errors] li").all_inner_texts()
    assert errors == [f"Row {BAD_ROW + 3}, column “Day”: the date 2025-02-31 does not exist"]
    assert page.locator("[data-testid=import-file]").count() == 2
    detail_url = page.url
    page.screenshot(path=str(shots / "data-import-laptop.png"), full_page=True)

    page.goto(f"{live_server.url}/data/sql")
    page.fill(
        "#q-sql",
        "SELECT count(*) AS days, sum(spend) AS spend, min(currency) AS currency"
        " FROM ad_spend_daily",
    )
    page.click("form button[type=submit].primary")
    page.wait_for_selector("[data-testid=sql-result]")
    assert page.locator(".sql-result tbody td").first.inner_text() == "19"
    page.fill("#q-sql", "DELETE FROM ad_spend_daily")
    page.click("form button[type=submit].primary")
    page.wait_for_selector("[data-testid=sql-error]")
    assert "DELETE is not allowed" in page.locator("[data-testid=sql-error]").inner_text()
    page.screenshot(path=str(shots / "data-sql-refused-laptop.png"))
    page.fill(
        "#q-sql",
        "SELECT platform, campaign_name, sum(spend) AS spend, currency "
        "FROM ad_spend_daily GROUP BY ALL ORDER BY spend DESC LIMIT 5",
    )
    page.click("form button[type=submit].primary")
    page.wait_for_selector("[data-testid=sql-result]")
    page.screenshot(path=str(shots / "data-sql-laptop.png"), full_page=True)

    phone = browser.new_page(viewport={"width": 360, "height": 780})
    phone.context.add_cookies(page.context.cookies())
    for url, name in [
        (f"{live_server.url}/data", "data-history-phone.png"),
        (detail_url, "data-import-phone.png"),
        (f"{live_server.url}/data/sql", "data-sql-phone.png"),
        (f"{live_server.url}/data/guide", "data-guide-phone.png"),
    ]:
        phone.goto(url)
        phone.wait_for_selector("main h1")
        _fits(phone, url)
        if "guide" in name:  # a long page: its first screen, then the formats table
            phone.screenshot(path=str(shots / name))
            phone.locator("h2", has_text="Supported formats").scroll_into_view_if_needed()
            phone.screenshot(path=str(shots / name.replace(".png", "-formats.png")))
        else:
            phone.screenshot(path=str(shots / name), full_page=True)


def _follows_a_running_import(page, url: str, shots) -> None:
    """An import the server is still working on: shown with its progress, then its result."""
    from tradewinds.db.base import utcnow
    from tradewinds.db.engine import session_scope
    from tradewinds.db.models.imports import ImportFile, ImportJob
    from tradewinds.db.models.tenancy import Workspace

    with session_scope() as session:
        ws = session.query(Workspace).one()
        job = ImportJob(
            workspace_id=ws.id,
            status="running",
            progress=0.4,
            created_by="me",
            stage="orders.csv: storing order_lines",
            started_at=utcnow(),
        )
        job.files.append(
            ImportFile(
                workspace_id=ws.id,
                name="orders.csv",
                stored_path="x",
                size_bytes=10,
                sha256="0" * 64,
                status="running",
                errors=[],
                notes=[],
            )
        )
        session.add(job)
        session.flush()
        job_id = job.id
    page.goto(f"{url}/data")
    running = page.locator(f"tr[data-import-id='{job_id}']")
    assert running.locator("[data-status]").inner_text() == "Importing 40%"
    assert running.locator("progress").count() == 1
    page.screenshot(path=str(shots / "data-running-laptop.png"), full_page=True)
    with session_scope() as session:
        job = session.get(ImportJob, job_id)
        job.status, job.progress, job.finished_at = "done", 1.0, utcnow()
        job.files[0].status, job.files[0].read, job.files[0].imported = "done", 7, 7
        job.files[0].format = "shopify_orders"
    page.wait_for_selector("body[data-imports-settled='1']", timeout=30_000)
    done = page.locator(f"tr[data-import-id='{job_id}']")
    assert done.locator("[data-status]").inner_text() == "Done"
    assert "Shopify orders export" in done.locator("td").nth(2).inner_text()
    assert "started" not in page.url
