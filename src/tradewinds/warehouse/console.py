"""The read-only SQL console over a workspace's warehouse.

Two walls, each enough on its own:

1. **The checker** (:func:`check_readonly`) parses the query with sqlglot and accepts only
   an allowlist: one ``SELECT`` (``WITH`` … ``SELECT``, ``UNION``/``INTERSECT``/``EXCEPT``
   of selects) that reads the workspace's own tables and views (``schema.TABLES``,
   ``views.VIEW_NAMES``) and the query's own CTEs, where every function call anywhere in the
   tree — select list, WHERE, FROM, ``LATERAL``, window, subqueries, CTEs — is one of the
   calculations in :mod:`console_functions`, named without a schema and compared case-folded
   with its quotes stripped. Anything else is refused with what was refused and why. On
   DuckDB, which runs the query's own text, the engine's parser gives a second opinion
   (``duckdb_console``), in case it ever reads the text differently from sqlglot.
2. **The engine**: the query then runs where it cannot reach anything else: on DuckDB, in a
   ``READ ONLY`` transaction on the process's one sandboxed database for the file (no file
   or network access, configuration locked, memory and thread limits; see
   ``duckdb_backend``); on PostgreSQL, as the workspace's own role in a ``READ ONLY``
   transaction with a pinned ``search_path`` and a ``statement_timeout``.

Console queries also take turns: at most :data:`SLOTS` run at once in this process, at most
:data:`MAX_WAITING` more wait (each at most :data:`WAIT_SECONDS`), and the rest are told at
once that the console is busy, so console queries can never take every worker the rest of
the server needs. Results stop at ``limit`` rows and about :data:`MAX_RESULT_BYTES` bytes.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlglot
from sqlglot import exp

from tradewinds.warehouse.backend import QueryResult, Warehouse
from tradewinds.warehouse.console_functions import FUNCTIONS, SQLGLOT_NAMES, TABLE_FUNCTIONS
from tradewinds.warehouse.errors import ReadOnlyViolation, WarehouseBusy
from tradewinds.warehouse.schema import TABLES
from tradewinds.warehouse.views import VIEW_NAMES

DEFAULT_LIMIT = 10_000
DEFAULT_TIMEOUT = 30.0
SLOTS = 2
MAX_WAITING = 4
WAIT_SECONDS = 10.0
MAX_RESULT_BYTES = 50_000_000
_FETCH_BATCH = 1_000

_ALLOWED_FUNCTIONS = FUNCTIONS | SQLGLOT_NAMES
_READS = (exp.Select, exp.Union, exp.Intersect, exp.Except, exp.Subquery)

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
        "Describe",
        "Show",
        "SessionParameter",
    )
    if hasattr(exp, name)
)


class ConsoleBusy(WarehouseBusy):
    """Every place of the SQL console is taken; the caller should try again shortly."""


def _describe(node: exp.Expression) -> str:
    key = type(node).__name__.upper()
    names = {
        "COMMAND": (node.name or "this command").upper(),
        "INTO": "SELECT … INTO",
        "LOCK": "FOR UPDATE / FOR SHARE",
        "ALTERTABLE": "ALTER",
        "TRUNCATETABLE": "TRUNCATE",
        "SESSIONPARAMETER": "reading server settings (@@…)",
    }
    return names.get(key, key)


def function_name(node: exp.Func) -> str:
    """The name a function call is checked by: case-folded, without its quotes."""
    if isinstance(node, exp.Anonymous):
        this = node.this
        name = this.name if isinstance(this, exp.Identifier) else str(this)
        return name.strip().lower()
    return node.sql_name().lower()


def _in_table_position(node: exp.Expression) -> bool:
    parent = node.parent
    return isinstance(parent, exp.Table | exp.Lateral | exp.From | exp.Join) and (
        parent.this is node
    )


def _check_function(node: exp.Func) -> None:
    name = function_name(node)
    parent = node.parent
    if isinstance(parent, exp.Dot) and parent.expression is node:
        raise ReadOnlyViolation(
            f"{parent.sql(dialect='duckdb')}: in the SQL console a function is called by its "
            "plain name, without a schema prefix or a value before it (write upper(x), not "
            "x.upper())"
        )
    if isinstance(parent, exp.Table) and (parent.args.get("db") or parent.args.get("catalog")):
        raise ReadOnlyViolation(
            f"{parent.sql(dialect='duckdb')}: functions cannot be called with a schema "
            "prefix in the SQL console"
        )
    if _in_table_position(node):
        if name not in TABLE_FUNCTIONS:
            raise ReadOnlyViolation(
                f"table function {name}() is not allowed in the SQL console: query the "
                "workspace's tables (range, generate_series, unnest, json_each and json_tree "
                "are the functions allowed in FROM)"
            )
        return
    if name not in _ALLOWED_FUNCTIONS:
        raise ReadOnlyViolation(
            f"function {name}() is not allowed in the SQL console: only calculations on "
            "values are (maths, text, dates, aggregates, window functions, casts, JSON, "
            "lists); nothing that reads files, settings or other schemas"
        )


def _visible_ctes(table: exp.Table) -> set[str]:
    """Names of the CTEs a table reference can mean: those of every WITH above it, where
    inside a CTE's own body only the CTEs before it (and itself, if recursive) count."""
    names: set[str] = set()
    child: exp.Expression = table
    node = table.parent
    while node is not None:
        if isinstance(node, exp.With):
            ctes = list(node.expressions)
            if isinstance(child, exp.CTE) and child in ctes:
                upto = ctes.index(child) + (1 if node.args.get("recursive") else 0)
                ctes = ctes[:upto]
            names.update(cte.alias_or_name.lower() for cte in ctes)
        else:
            with_ = node.args.get("with_") or node.args.get("with")
            if isinstance(with_, exp.With) and child is not with_:
                names.update(cte.alias_or_name.lower() for cte in with_.expressions)
        child, node = node, node.parent
    return names


def _check_table(table: exp.Table, allowed_tables: set[str]) -> None:
    target = table.this
    if isinstance(target, exp.Func):
        return  # checked as a function
    if table.args.get("db") or table.args.get("catalog"):
        raise ReadOnlyViolation(
            f"{table.sql(dialect='duckdb')}: only this workspace's tables can be queried "
            "(no schema or database prefix)"
        )
    if not isinstance(target, exp.Identifier):
        raise ReadOnlyViolation(
            f"{table.sql(dialect='duckdb')}: only this workspace's tables can be queried"
        )
    if target.quoted and _looks_like_path(target.name):
        raise ReadOnlyViolation(f"reading files is not allowed in the SQL console: {target.name!r}")
    name = target.name.lower()
    if name in _visible_ctes(table):
        return
    if name not in allowed_tables:
        known = ", ".join(sorted(allowed_tables))
        raise ReadOnlyViolation(f"unknown table {target.name!r}; the tables are: {known}")


def _parse(text: str) -> exp.Expression:
    try:
        statements = [s for s in sqlglot.parse(text, read="duckdb") if s is not None]
    except sqlglot.errors.ParseError as exc:
        first = exc.errors[0]["description"] if exc.errors else str(exc)
        raise ReadOnlyViolation(f"could not parse the query: {first}") from exc
    except sqlglot.errors.SqlglotError as exc:  # a tokenizer error (an unclosed quote …)
        raise ReadOnlyViolation(f"could not parse the query: {exc}") from exc
    if not statements:
        raise ReadOnlyViolation("the query is empty")
    if len(statements) > 1:
        raise ReadOnlyViolation("only one statement at a time: remove the extra ';' statements")
    return statements[0]


def check_readonly(sql: str, *, tables: set[str] | None = None) -> exp.Expression:
    """Parse ``sql`` and return its tree, or raise :class:`ReadOnlyViolation` saying why."""
    text = (sql or "").strip()
    if not text:
        raise ReadOnlyViolation("the query is empty")
    tree = _parse(text)
    if not isinstance(tree, _READS):
        what = _describe(tree) if isinstance(tree, _FORBIDDEN_NODES) else text.split()[0].upper()
        raise ReadOnlyViolation(f"the SQL console is read-only: {what} is not allowed, only SELECT")
    known = tables if tables is not None else set(TABLES) | set(VIEW_NAMES)
    allowed_tables = {t.lower() for t in known}
    for node in tree.walk():
        if isinstance(node, _FORBIDDEN_NODES):
            raise ReadOnlyViolation(
                f"the SQL console is read-only: {_describe(node)} is not allowed, only SELECT"
            )
        if isinstance(node, exp.Func):
            _check_function(node)
        elif isinstance(node, exp.Table):
            _check_table(node, allowed_tables)
    return tree


def _looks_like_path(name: str) -> bool:
    return any(ch in name for ch in "/\\.:*?") or name.startswith("~")


class ConsoleGate:
    """At most ``slots`` console queries at once; at most ``waiting`` more wait for a place,
    each at most ``wait`` seconds; anyone beyond is told at once that the console is busy."""

    def __init__(self, slots: int = SLOTS, waiting: int = MAX_WAITING, wait: float = WAIT_SECONDS):
        self.slots, self.waiting, self.wait = slots, waiting, wait
        self._free = threading.BoundedSemaphore(slots)
        self._lock = threading.Lock()
        self._queued = 0
        self._running = 0

    @property
    def running(self) -> int:
        """How many console queries hold a place now."""
        return self._running

    def _busy(self) -> ConsoleBusy:
        return ConsoleBusy(
            f"the SQL console is busy ({self.slots} queries are running and others are "
            "waiting); try again in a moment"
        )

    @contextmanager
    def place(self) -> Iterator[None]:
        if not self._free.acquire(blocking=False):
            with self._lock:
                if self._queued >= self.waiting:
                    raise self._busy()
                self._queued += 1
            try:
                got = self._free.acquire(timeout=self.wait)
            finally:
                with self._lock:
                    self._queued -= 1
            if not got:
                raise self._busy()
        with self._lock:
            self._running += 1
        try:
            yield
        finally:
            with self._lock:
                self._running -= 1
            self._free.release()


GATE = ConsoleGate()


def _size(value: Any) -> int:
    if isinstance(value, str | bytes | bytearray):
        return len(value) + 8
    if isinstance(value, list | tuple | dict):
        return len(repr(value))
    return 16


def _fetch(cursor: Any, limit: int) -> tuple[list[tuple[Any, ...]], bool]:
    """At most ``limit`` rows and about ``MAX_RESULT_BYTES``; True when rows were left out."""
    rows: list[tuple[Any, ...]] = []
    size = 0
    while len(rows) <= limit:
        batch = cursor.fetchmany(min(_FETCH_BATCH, limit + 1 - len(rows)))
        if not batch:
            return rows, False
        for row in batch:
            size += sum(_size(v) for v in row)
            if size > MAX_RESULT_BYTES and rows:
                return rows, True
            rows.append(row)
    return rows[:limit], True


def run_readonly(
    warehouse: Warehouse,
    sql: str,
    *,
    limit: int = DEFAULT_LIMIT,
    timeout: float | None = None,
) -> QueryResult:
    """Run a checked read-only query; at most ``limit`` rows (``truncated`` says if more).
    Raises :class:`ReadOnlyViolation`, :class:`ConsoleBusy` or ``WarehouseError``."""
    known = set(TABLES) | set(VIEW_NAMES)
    check_readonly(sql, tables=known)
    warehouse.check_console_query(sql.strip().rstrip(";"), known)
    with GATE.place(), warehouse.readonly() as run:
        cursor: Any = run(sql.strip().rstrip(";"), timeout=timeout or DEFAULT_TIMEOUT)
        rows, truncated = _fetch(cursor, limit) if cursor.description else ([], False)
        return warehouse._result(cursor, rows, truncated)


def run_workspace_sql(
    *, workspace_key: str, sql: str, limit: int = DEFAULT_LIMIT, url: str | None = None
) -> QueryResult:
    """Open the workspace's warehouse, run one checked read-only query, close it again."""
    from tradewinds.warehouse.factory import open_warehouse

    check_readonly(sql, tables=set(TABLES) | set(VIEW_NAMES))  # refuse before opening anything
    with open_warehouse(workspace_key, url=url) as warehouse:
        return run_readonly(warehouse, sql, limit=limit)
