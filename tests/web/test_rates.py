"""Data → Exchange rates: the currencies that convert, and uploading a rate file."""

from __future__ import annotations

from pathlib import Path

from .browser import csrf_from, login

DATA = Path(__file__).resolve().parents[1] / "markets" / "data"


def _upload(client, page_text: str, name: str, body: bytes, fmt: str = ""):
    return client.post(
        "/data/rates",
        data={"csrf_token": csrf_from(page_text), "format": fmt},
        files=[("file", (name, body, "text/csv"))],
    )


def test_rates_page_lists_the_shipped_rates_and_takes_a_file(client, tenants):
    login(client, tenants.a.owner_email, tenants.a.owner_password)
    data = client.get("/data")
    assert 'href="/data/rates"' in data.text
    page = client.get("/data/rates")
    assert page.status_code == 200
    assert 'data-testid="rates-status"' in page.text
    assert '<td data-label="Currency">USD</td>' in page.text and "ecb-bundled" in page.text
    assert 'method="post" action="/data/rates"' in page.text

    pairs = b"date,base,quote,rate\n2024-01-04,USD,AED,3.6725\n2024-01-05,USD,AED,3.6726\n"
    sent = _upload(client, page.text, "my-bank.csv", pairs)
    assert sent.status_code == 200, sent.text
    assert 'data-testid="rates-result"' in sent.text and "2 new, 0 changed" in sent.text
    # the ECB publishes no dirham rate: the status names the file it came from
    assert '<td data-label="Currency">AED</td>' in sent.text and "file:my-bank.csv" in sent.text
    again = _upload(client, page.text, "my-bank.csv", pairs)
    assert " 0 new, 0 changed" in again.text


def test_a_bad_file_names_file_line_column_and_reason(client, tenants):
    login(client, tenants.a.owner_email, tenants.a.owner_password)
    page = client.get("/data/rates")
    bad = b"date,base,quote,rate\n2024-01-05,USD,CAD,1.33\n2024-01-08,USD,CAD,-1\n"
    sent = _upload(client, page.text, "rates.csv", bad)
    assert sent.status_code == 422
    assert 'data-testid="rates-error"' in sent.text and "nothing changed" in sent.text
    assert '<dt>File</dt><dd dir="auto">rates.csv</dd>' in sent.text
    assert "<dt>Line</dt><dd>3</dd>" in sent.text and "<dt>Column</dt><dd>rate</dd>" in sent.text
    assert "a rate must be a positive number" in sent.text
    unknown = _upload(client, page.text, "x.csv", b"when,what\n1,2\n")
    assert unknown.status_code == 422 and "unrecognised rate file" in unknown.text
    forged = client.post(
        "/data/rates", data={"csrf_token": "nope"}, files=[("file", ("x.csv", bad, "text/csv"))]
    )
    assert forged.status_code == 403


def test_viewers_see_the_rates_but_cannot_upload(client, tenants):
    from tradewinds.auth import users
    from tradewinds.db.engine import session_scope
    from tradewinds.db.models.tenancy import Workspace

    with session_scope() as session:
        ws = session.get(Workspace, tenants.a.workspace_id)
        users.create_user(
            session=session,
            email="viewer@alpha.example",
            password="viewer-password-123",
            workspace=ws,
            role="viewer",
            actor="test",
        )
    login(client, "viewer@alpha.example", "viewer-password-123")
    page = client.get("/data/rates")
    assert page.status_code == 200 and 'method="post" action="/data/rates"' not in page.text
    refused = _upload(
        client, client.get("/data").text, "x.csv", (DATA / "pairs-sample.csv").read_bytes()
    )
    assert refused.status_code == 403
