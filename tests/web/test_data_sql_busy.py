"""The SQL page says plainly when the console is busy, and reads no file past the checker."""

from __future__ import annotations

import pytest

from tradewinds.warehouse import console

from .browser import login, post_form


def test_the_sql_page_says_the_console_is_busy(client, tenants, monkeypatch) -> None:
    gate = console.ConsoleGate(slots=1, waiting=0, wait=0)
    monkeypatch.setattr(console, "GATE", gate)
    login(client, tenants.a.owner_email, tenants.a.owner_password)
    with gate.place():  # another console query holds the only place
        busy = post_form(client, "/data/sql", "/data/sql", {"sql": "SELECT 1 AS one"})
    assert busy.status_code == 503
    assert "Not run: the SQL console is busy" in busy.text
    ran = post_form(client, "/data/sql", "/data/sql", {"sql": "SELECT 1 AS one"})
    assert ran.status_code == 200 and 'data-testid="sql-result"' in ran.text


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT t.content FROM range(1) r, LATERAL \"read_text\"('/etc/hostname') t",
        "SELECT * FROM range(1) r, LATERAL \"query\"('SELECT 42') t",
        "SELECT * FROM duckdb_settings()",
    ],
)
def test_the_sql_page_refuses_the_reported_escapes(client, tenants, sql: str) -> None:
    login(client, tenants.a.owner_email, tenants.a.owner_password)
    refused = post_form(client, "/data/sql", "/data/sql", {"sql": sql})
    assert refused.status_code == 422 and "Refused: " in refused.text
    assert 'data-testid="sql-result"' not in refused.text
