from __future__ import annotations

import pytest

from tradewinds.warehouse.console import check_readonly
from tradewinds.warehouse.errors import ReadOnlyViolation

ALLOWED = [
    "SELECT * FROM orders",
    "select country, count(*) AS n from orders group by 1 order by 2 desc",
    "WITH c AS (SELECT customer_id FROM customers) SELECT count(*) FROM c",
    "SELECT 1 UNION ALL SELECT 2",
    "SELECT o.order_id, l.quantity FROM orders o JOIN order_lines l USING (order_id)",
    "SELECT * FROM generate_series(1, 3)",
    "SELECT properties->>'revenue' AS r FROM events;",
    "SELECT * FROM (VALUES (1, 'a')) AS v(n, s)",
]

REFUSED = [
    ("", "empty"),
    ("DELETE FROM orders", "DELETE"),
    ("UPDATE orders SET total = 0", "UPDATE"),
    ("INSERT INTO orders SELECT * FROM orders", "INSERT"),
    ("DROP TABLE orders", "DROP"),
    ("CREATE TABLE x AS SELECT 1", "CREATE"),
    ("ALTER TABLE orders ADD COLUMN x INT", "ALTER"),
    ("SELECT 1; DELETE FROM orders", "one statement"),
    ("COPY orders TO '/tmp/out.csv'", "COPY"),
    ("ATTACH '/tmp/other.duckdb' AS other", "ATTACH"),
    ("PRAGMA database_list", "PRAGMA"),
    ("INSTALL httpfs", "INSTALL"),
    ("LOAD httpfs", "LOAD"),
    ("SET threads = 1", "SET"),
    ("CHECKPOINT", "CHECKPOINT"),
    ("SELECT * FROM read_csv('/etc/passwd')", "read_csv"),
    ("SELECT * FROM read_csv_auto('/etc/passwd')", "read_csv"),
    ("SELECT * FROM read_parquet('s3://bucket/x.parquet')", "read_parquet"),
    ("SELECT * FROM '/etc/passwd'", "files"),
    ("SELECT * FROM 'data.csv'", "files"),
    ("SELECT content FROM read_text('/etc/hostname')", "read_text"),
    ("SELECT * FROM glob('/home/*')", "glob"),
    ("SELECT pg_read_file('/etc/passwd')", "pg_read_file"),
    ("SELECT getenv('HOME')", "getenv"),
    ("SELECT * FROM query('SELECT 1')", "query"),
    ("SELECT * INTO copy_of_orders FROM orders", "INTO"),
    ("SELECT * FROM orders FOR UPDATE", "FOR UPDATE"),
    ("WITH d AS (DELETE FROM orders RETURNING *) SELECT * FROM d", "DELETE"),
    ("SELECT * FROM other_db.main.orders", "prefix"),
    ("SELECT * FROM ws_other.orders", "prefix"),
    ("SELECT * FROM pg_catalog.pg_tables", "prefix"),
    ("SELECT * FROM information_schema.tables", "prefix"),
    ("SELECT * FROM secrets", "unknown table"),
    ("SELECT * FROM duckdb_secrets()", "duckdb_secrets"),
    ("SELECT set_config('search_path', 'ws_other', false)", "set_config"),
    ("SELEC 1", "parse"),
]


@pytest.mark.parametrize("sql", ALLOWED)
def test_reads_are_allowed(sql: str) -> None:
    check_readonly(sql)


@pytest.mark.parametrize(("sql", "reason"), REFUSED)
def test_everything_else_is_refused_with_a_reason(sql: str, reason: str) -> None:
    with pytest.raises(ReadOnlyViolation) as excinfo:
        check_readonly(sql)
    assert reason.lower() in str(excinfo.value).lower()


def test_known_tables_can_be_extended() -> None:
    check_readonly("SELECT * FROM failed_events", tables={"failed_events"})
    with pytest.raises(ReadOnlyViolation):
        check_readonly("SELECT * FROM orders", tables={"failed_events"})
