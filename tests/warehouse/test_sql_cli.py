from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal

from typer.testing import CliRunner

from tradewinds.cli.main import app
from tradewinds.warehouse import open_warehouse


def _orders() -> list[dict[str, object]]:
    return [
        {
            "order_id": f"o{n}",
            "storefront": "shopify",
            "ordered_at": datetime(2024, 1, 1 + n, tzinfo=UTC),
            "country": country,
            "currency": "GBP",
            "total": Decimal(total),
        }
        for n, (country, total) in enumerate([("FR", "10.50"), ("FR", "0.25"), ("DE", "99.99")])
    ]


def test_sql_json_output_and_refusals(tenants) -> None:  # noqa: ANN001
    with open_warehouse(tenants.a.workspace_key) as wh:
        wh.load("orders", _orders())
    runner = CliRunner()
    query = "SELECT country, count(*) AS n, sum(total) AS total FROM orders GROUP BY 1 ORDER BY 1"
    result = runner.invoke(app, ["sql", "--workspace", tenants.a.name, query, "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "columns": ["country", "n", "total"],
        "rows": [["DE", 1, 99.99], ["FR", 2, 10.75]],
    }
    other = runner.invoke(app, ["sql", "--workspace", tenants.b.name, query, "--json"])
    assert json.loads(other.stdout)["rows"] == []

    refused = runner.invoke(app, ["sql", "-w", tenants.a.name, "DELETE FROM orders", "--json"])
    assert refused.exit_code == 1
    assert json.loads(refused.stdout)["error"]["code"] == "read_only"
    plain = runner.invoke(app, ["sql", "-w", tenants.a.name, "SELECT order_id FROM orders"])
    assert plain.exit_code == 0 and "o2" in plain.stdout and "3 rows" in plain.stdout
    missing = runner.invoke(app, ["sql", "-w", "No Such Shop", "SELECT 1", "--json"])
    assert missing.exit_code == 1 and json.loads(missing.stdout)["error"]["code"] == "not_found"


def test_console_use_is_audited(tenants) -> None:  # noqa: ANN001
    from sqlalchemy import select

    from tradewinds.db.engine import session_scope
    from tradewinds.db.models.audit import AuditEntry

    query = "SELECT count(*) AS n FROM customer_pii"
    result = CliRunner().invoke(app, ["sql", "-w", tenants.a.name, query, "--json"])
    assert result.exit_code == 0, result.output
    with session_scope() as session:
        entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "sql.run")).all()
        assert [(e.workspace_id, e.details["sql"]) for e in entries] == [
            (tenants.a.workspace_id, query)
        ]
