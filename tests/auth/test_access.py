"""The report declarations and the one grant every edge calls."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tradewinds.auth.access import (
    HIDDEN_TEXT,
    ReportAccess,
    access_table,
    all_reports,
    grant,
    report,
)
from tradewinds.errors import Forbidden

DOCS = Path(__file__).resolve().parents[2] / "docs" / "security.md"

SALES = ReportAccess(
    name="test.sales",
    title="sales",
    permission="data.read",
    money=frozenset({"revenue", "roas"}),
    money_labels=("Revenue",),
)
LEDGER = ReportAccess(
    name="test.ledger",
    title="the ledger",
    permission="data.read",
    money=frozenset({"margin"}),
    without_finance="refuse",
)


def test_a_role_without_the_permission_is_refused():
    with pytest.raises(Forbidden) as refused:
        grant("viewer", ReportAccess(name="t", title="the SQL report", permission="sql.run"))
    assert "viewer" in refused.value.message and "sql.run" in refused.value.message
    assert refused.value.details == {"permission": "sql.run", "report": "t"}


def test_money_through_and_through_is_refused_without_finance():
    with pytest.raises(Forbidden) as refused:
        grant("viewer", LEDGER)
    assert refused.value.details["permission"] == "finance.read"
    assert grant("finance", LEDGER).finance


def test_the_money_free_version_drops_money_wherever_it_is():
    payload = {
        "orders": 3,
        "revenue": 120.5,
        "rows": [{"channel": "email", "revenue": 80.0, "roas": 2.1, "orders": 2}],
        "nested": {"by_day": [{"revenue": 1.0, "day": "2026-01-01"}]},
    }
    seen = grant("viewer", SALES).strip(payload)
    assert seen == {
        "orders": 3,
        "rows": [{"channel": "email", "orders": 2}],
        "nested": {"by_day": [{"day": "2026-01-01"}]},
        "hidden": ["revenue", "roas"],
        "reason": "needs finance.read",
    }
    assert payload["revenue"] == 120.5  # the service's answer is not changed in place
    assert grant("analyst", SALES).strip(payload) is payload


def test_pages_show_a_dash_and_a_note():
    context = {
        "tiles": [("Orders", "3"), ("Revenue (GBP)", "£120.50")],
        "rows": [
            {
                "key": "email",
                "revenue": ["£80.00", "£1.00"],
                "revenue_text": "£81.00",
                "conversions": ["2.0"],
            }
        ],
        "paid": True,
    }
    masked = grant("viewer", SALES).mask(context)
    assert masked["tiles"] == [("Orders", "3"), ("Revenue (GBP)", HIDDEN_TEXT)]
    assert masked["rows"] == [
        {
            "key": "email",
            "revenue": [HIDDEN_TEXT, HIDDEN_TEXT],
            "revenue_text": HIDDEN_TEXT,
            "conversions": ["2.0"],
        }
    ]
    assert masked["paid"] is True
    assert "finance figures" in masked["money_hidden"]
    assert grant("owner", SALES).mask(context) == context


def test_csv_downloads_lose_their_money_columns():
    text = "model,channel,conversions,revenue_GBP,roas\nlast,email,2.0,80.00,2.1\n"
    assert grant("viewer", SALES).strip_csv(text) == "model,channel,conversions\nlast,email,2.0\n"
    assert grant("finance", SALES).strip_csv(text) == text


def test_money_asked_for_by_name_is_refused():
    viewer = grant("viewer", SALES)
    viewer.refuse_money(["orders"], "the metrics list")
    with pytest.raises(Forbidden) as refused:
        viewer.refuse_money(["orders", "roas"], "the metrics list")
    assert refused.value.details["fields"] == ["roas"]
    with pytest.raises(Forbidden):
        viewer.refuse_money(["clv"], "the rule", money={"clv"})
    grant("finance", SALES).refuse_money(["roas"], "the metrics list")


def test_declarations_name_known_permissions_once():
    with pytest.raises(ValueError, match="unknown permission"):
        ReportAccess(name="t", title="t", permission="data.reed")
    report("test.once", title="once")
    with pytest.raises(ValueError, match="declared twice"):
        report("test.once", title="once", permission="finance.read")


def test_every_capability_declares_its_reports():
    names = {r.name.split(".")[0] for r in all_reports()}
    assert {"analytics", "attribution", "audiences"} <= names


def test_docs_table_is_the_declarations():
    text = DOCS.read_text()
    found = re.search(
        r"<!-- who-sees-what:start[^>]*-->\n(.*?)<!-- who-sees-what:end -->", text, re.S
    )
    assert found, "docs/security.md lost its 'Who sees what' table"
    tables = [r for r in all_reports() if not r.name.startswith("test.")]
    assert found.group(1) == access_table(tables), (
        "regenerate the table with tradewinds.auth.access.access_table()"
    )
