"""The content studio page: variants side by side, approve, bulk job, downloads."""

from __future__ import annotations

import io
import json
import re
import time

import pandas as pd

from tradewinds.content.export import GOOGLE_COLUMNS
from tradewinds.content.fingerprint import approvals_of
from tradewinds.db.engine import session_scope

from .browser import csrf_from, login

FORM = {
    "source": "typed",
    "title": "Trail Runner 2",
    "brand": "Dune",
    "price": "89.90",
    "currency": "EUR",
    "category": "running shoes",
    "attributes": "colour: blue\nweight: 240 g",
    "markets": ["DE", "SA"],
    "platform": "google",
    "fields": ["headline", "description"],
    "tone": "neutral",
    "n": "2",
}


def _post(client, action: str, data: dict, files=None, follow: bool = False):
    token = csrf_from(client.get("/content").text)
    return client.post(
        action, data={**data, "csrf_token": token}, files=files, follow_redirects=follow
    )


def test_generate_shows_markets_side_by_side_and_approve_records_it(client, tenants):
    login(client, tenants.a.owner_email, tenants.a.owner_password)
    page = client.get("/content")
    assert page.status_code == 200 and "Write copy for a product" in page.text
    result = _post(client, "/content", FORM)
    assert result.status_code == 200, result.text[:500]
    html = result.text
    assert html.count('data-testid="variant"') >= 4
    assert 'data-market="DE"' in html and 'data-market="SA"' in html
    assert 'dir="rtl"' in html  # the Arabic variants
    assert re.search(r'<meter min="0" max="30" value="\d+"', html)  # headline: 30
    assert 'data-testid="calendar"' in html

    forms = re.findall(
        r'name="request" value="([^"]+)">\s*<input type="hidden" name="variant" value="([^"]+)"',
        html,
    )
    assert forms
    import html as htmllib

    request_json, variant_json = (htmllib.unescape(x) for x in forms[0])
    variant = json.loads(variant_json)
    approved = _post(client, "/content/approve", {"request": request_json, "variant": variant_json})
    assert approved.status_code == 200
    assert 'data-testid="notice"' in approved.text and 'data-testid="approved"' in approved.text
    with session_scope() as session:
        (found,) = approvals_of(session, workspace_id=tenants.a.workspace_id, text=variant["text"])
    assert found.actor == tenants.a.owner_email and found.details["market"] == variant["market"]

    download = _post(client, "/content/export/google", {"request": request_json})
    assert download.status_code == 200
    frame = pd.read_csv(io.BytesIO(download.content), encoding="utf-8-sig", keep_default_na=False)
    assert list(frame.columns) == GOOGLE_COLUMNS and len(frame) == 2


def test_errors_are_shown_next_to_the_field(client, tenants):
    login(client, tenants.a.owner_email, tenants.a.owner_password)
    bad = {**FORM, "title": "", "price": "abc", "markets": [], "fields": ["bullet_point"]}
    page = _post(client, "/content", bad)
    assert page.status_code == 422
    assert "Write the product&#39;s title." in page.text
    assert "Write the price as a number" in page.text
    assert "Choose at least one market." in page.text
    assert "Choose at least one field that Google Ads has" in page.text
    forged = _post(client, "/content/approve", {"request": "{}", "variant": "x"})
    assert forged.status_code == 422


def test_bulk_job_from_an_upload_runs_and_downloads(client, tenants):
    login(client, tenants.a.owner_email, tenants.a.owner_password)
    lines = [
        {"id": f"SKU-{i}", "title": f"Thermo Bottle {i}", "price": 19.9, "currency": "EUR"}
        for i in range(3)
    ]
    upload = "\n".join(json.dumps(x) for x in lines).encode()
    data = {**FORM, "source": "upload", "markets": ["DE", "JP"]}
    started = _post(
        client,
        "/content/jobs",
        data,
        files={"products_file": ("products.jsonl", upload, "application/jsonl")},
    )
    assert started.status_code == 303
    job_url = started.headers["location"]
    deadline = time.monotonic() + 120  # the app's own worker runs it on the queue
    while client.get(job_url + "/progress").json()["active"] and time.monotonic() < deadline:
        time.sleep(0.1)
    page = client.get(job_url)
    assert page.status_code == 200 and 'data-testid="job-progress"' in page.text
    assert "12 of 12" in page.text
    progress = client.get(job_url + "/progress").json()
    assert progress["done"] == progress["items"] == 12 and progress["active"] is False
    csv = client.get(job_url + "/export/google")
    assert csv.status_code == 200 and "attachment" in csv.headers["content-disposition"]
    frame = pd.read_csv(io.BytesIO(csv.content), encoding="utf-8-sig", keep_default_na=False)
    assert len(frame) == 3 * 2 and list(frame.columns) == GOOGLE_COLUMNS
    # another workspace cannot open it
    other = client.get(job_url.replace("/content/jobs/", "/content/jobs/9999"))
    assert other.status_code == 404


def test_a_bad_products_file_names_the_line_and_field(client, tenants):
    login(client, tenants.a.owner_email, tenants.a.owner_password)
    upload = b'{"id": "A", "title": "Mug"}\n{"id": "B", "title": "Cup", "currency": "euro"}\n'
    page = _post(
        client,
        "/content/jobs",
        {**FORM, "source": "upload"},
        files={"products_file": ("feed.jsonl", upload, "application/jsonl")},
    )
    assert page.status_code == 422
    assert "feed.jsonl line 2, field currency" in page.text
