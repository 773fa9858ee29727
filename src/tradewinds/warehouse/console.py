"""The read-only SQL console over a workspace's warehouse.

A query is accepted only if it is one ``SELECT`` (optionally ``WITH … SELECT`` or a
``UNION``/``INTERSECT``/``EXCEPT`` of selects) that reads the workspace's own tables.
Refused: several statements, anything that writes or changes settings (INSERT, UPDATE,
DELETE, CREATE, DROP, ALTER, COPY, ATTACH, PRAGMA, SET, INSTALL, LOAD, SELECT … INTO,
FOR UPDATE), tables outside the workspace, and functions that read files or the server
(``read_csv``, ``read_parquet``, ``glob``, ``pg_read_file`` …).

Defence in depth: the query then runs on a read-only DuckDB connection (or, when this
process already has the file open for writing, inside a transaction that is always rolled
back) or in a PostgreSQL ``READ ONLY`` transaction, with a time limit.
"""

from __future__ import annotations

from typing import Any

import sqlglot
from sqlglot import exp

from tradewinds.warehouse.backend import QueryResult, Warehouse
from tradewinds.warehouse.errors import ReadOnlyViolation
from tradewinds.warehouse.schema import TABLES
from tradewinds.warehouse.views import VIEW_NAMES

DEFAULT_LIMIT = 10_000
DEFAULT_TIMEOUT = 30.0

# Table functions a query may use in FROM.
ALLOWED_TABLE_FUNCTIONS = {"GENERATE_SERIES", "RANGE", "UNNEST", "EXPLODE"}

# Function names (upper case) refused anywhere, and prefixes refused.
BLOCKED_FUNCTIONS = {
    "GLOB",
    "QUERY",
    "QUERY_TABLE",
    "GETENV",
    "SNIFF_CSV",
    "CSV_SCAN",
    "PARQUET_SCAN",
    "PARQUET_METADATA",
    "PARQUET_SCHEMA",
    "PARQUET_FILE_METADATA",
    "PARQUET_KV_METADATA",
    "JSON_SCAN",
    "ICEBERG_SCAN",
    "DELTA_SCAN",
    "SET_CONFIG",
    "CURRENT_SETTING",
    "NEXTVAL",
    "SETVAL",
    "CURRVAL",
    "DBLINK",
    "LO_IMPORT",
    "LO_EXPORT",
    "COPY",
    "CHECKPOINT",
    "FORCE_CHECKPOINT",
    "SQLITE_SCAN",
    "POSTGRES_SCAN",
    "MYSQL_SCAN",
    "HTTPFS",
    "LOAD",
    "INSTALL",
}
BLOCKED_PREFIXES = ("READ_", "PG_", "LO_", "DBLINK", "DUCKDB_", "FILE", "TXID_", "SQLITE_")

# Statement and clause nodes that never belong in a read.
_FORBIDDEN_NODES: tuple[type[exp.Expression], ...] = tuple(
    getattr(exp, name)
    for name in (
        "Insert",
        "Update",
        "Delete",
        "Merge",
        "Create",
        "Drop",
        "Alter",
        "AlterTable",
        "Copy",
        "Command",
        "Pragma",
        "Attach",
        "Detach",
        "Install",
        "Set",
        "Use",
        "Transaction",
        "Commit",
        "Rollback",
        "Into",
        "Lock",
        "LoadData",
        "Refresh",
        "Cache",
        "Uncache",
        "TruncateTable",
        "Grant",
        "Export",
    )
    if hasattr(exp, name)
)


def _describe(node: exp.Expression) -> str:
    key = type(node).__name__.upper()
    names = {
        "COMMAND": (node.name or "this command").upper(),
        "INTO": "SELECT … INTO",
        "LOCK": "FOR UPDATE / FOR SHARE",
        "ALTERTABLE": "ALTER",
        "TRUNCATETABLE": "TRUNCATE",
    }
    return names.get(key, key)


def _function_name(node: exp.Func) -> str:
    if isinstance(node, exp.Anonymous):
        return str(node.this).upper()
    return node.sql_name().upper()


def _blocked(name: str) -> bool:
    return name in BLOCKED_FUNCTIONS or name.startswith(BLOCKED_PREFIXES)


def check_readonly(sql: str, *, tables: set[str] | None = None) -> exp.Expression:
    """Parse ``sql`` and return its tree, or raise :class:`ReadOnlyViolation` saying why."""
    text = (sql or "").strip()
    if not text:
        raise ReadOnlyViolation("the query is empty")
    try:
        statements = [s for s in sqlglot.parse(text, read="duckdb") if s is not None]
    except sqlglot.errors.ParseError as exc:
        first = exc.errors[0]["description"] if exc.errors else str(exc)
        raise ReadOnlyViolation(f"could not parse the query: {first}") from exc
    if not statements:
        raise ReadOnlyViolation("the query is empty")
    if len(statements) > 1:
        raise ReadOnlyViolation("only one statement at a time: remove the extra ';' statements")
    tree = statements[0]
    if not isinstance(tree, exp.Select | exp.Union | exp.Intersect | exp.Except | exp.Subquery):
        what = _describe(tree) if isinstance(tree, _FORBIDDEN_NODES) else text.split()[0].upper()
        raise ReadOnlyViolation(f"the SQL console is read-only: {what} is not allowed, only SELECT")
    for node in tree.walk():
        if isinstance(node, _FORBIDDEN_NODES):
            raise ReadOnlyViolation(
                f"the SQL console is read-only: {_describe(node)} is not allowed, only SELECT"
            )
    known = tables if tables is not None else set(TABLES) | set(VIEW_NAMES)
    allowed_tables = {t.lower() for t in known}
    cte_names = {cte.alias_or_name.lower() for cte in tree.find_all(exp.CTE)}
    for func in tree.find_all(exp.Func):
        name = _function_name(func)
        if _blocked(name):
            raise ReadOnlyViolation(
                f"function {name.lower()}() is not allowed in the SQL console "
                "(it reads files or changes the server)"
            )
    for table in tree.find_all(exp.Table):
        target = table.this
        if isinstance(target, exp.Func):
            name = _function_name(target)
            if name not in ALLOWED_TABLE_FUNCTIONS:
                raise ReadOnlyViolation(
                    f"table function {name.lower()}() is not allowed: query the workspace's tables"
                )
            continue
        if isinstance(target, exp.Identifier) and target.quoted and _looks_like_path(target.name):
            raise ReadOnlyViolation(f"reading files is not allowed: {target.name!r}")
        if table.args.get("db") or table.args.get("catalog"):
            raise ReadOnlyViolation(
                f"{table.sql(dialect='duckdb')}: only this workspace's tables can be queried "
                "(no schema or database prefix)"
            )
        name = table.name.lower()
        if name in cte_names:
            continue
        if name not in allowed_tables:
            known = ", ".join(sorted(allowed_tables))
            raise ReadOnlyViolation(f"unknown table {table.name!r}; the tables are: {known}")
    return tree


def _looks_like_path(name: str) -> bool:
    return any(ch in name for ch in "/\\.:*") or name.startswith("~")


def run_readonly(
    warehouse: Warehouse,
    sql: str,
    *,
    limit: int = DEFAULT_LIMIT,
    timeout: float | None = DEFAULT_TIMEOUT,
) -> QueryResult:
    """Run a checked read-only query; at most ``limit`` rows (``truncated`` says if more)."""
    check_readonly(sql, tables=set(TABLES) | set(VIEW_NAMES))
    with warehouse.readonly() as run:
        cursor: Any = run(sql.strip().rstrip(";"), timeout=timeout)
        rows = cursor.fetchmany(limit + 1) if cursor.description else []
        truncated = len(rows) > limit
        return warehouse._result(cursor, rows[:limit], truncated)


def run_workspace_sql(
    *, workspace_key: str, sql: str, limit: int = DEFAULT_LIMIT, url: str | None = None
) -> QueryResult:
    """Open the workspace's warehouse, run one checked read-only query, close it again."""
    from tradewinds.warehouse.factory import open_warehouse

    with open_warehouse(workspace_key, url=url) as warehouse:
        warehouse.close()  # tables are ready: read through a fresh read-only connection
        return run_readonly(warehouse, sql, limit=limit)
