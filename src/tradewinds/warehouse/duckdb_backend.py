"""The embedded DuckDB warehouse: one file per workspace, ``HOME/warehouse/<key>.duckdb``.

Single-writer rule: DuckDB lets one process at a time open a file for writing. Open the
warehouse for one unit of work (an import, a page's queries, a CLI command) and close it
promptly; a process that finds the file locked retries for ``lock_timeout`` seconds and then
raises :class:`WarehouseBusy`.

Reads from several threads: the thread that opened the connection uses it directly; any
other thread gets its own cursor on the same database (DuckDB runs those queries side by
side) as long as no transaction is open. Inside a transaction every query goes through the
one connection, so it sees the transaction's own writes.

The sandbox: every connection this process opens on a warehouse file uses one and the same
configuration (:func:`database_config`), so DuckDB shares one database per file between
all of them (an import, a page, a metrics call and the SQL console side by side) instead of
refusing "a different configuration". That database has no access to anything but its own
file (``enable_external_access = false``: no other file, no network, no extension loading,
no Python variables as tables), a memory and a thread limit, the time zone UTC, and then
its configuration locked (``lock_configuration``), so no statement can undo any of it.
Files are loaded through Python readers and Arrow (``register``), never DuckDB's file
functions.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
from tenacity import Retrying, retry_if_exception, stop_after_delay, wait_exponential

from tradewinds.config import get_settings
from tradewinds.warehouse import keep_open, writes
from tradewinds.warehouse.backend import Params, Warehouse
from tradewinds.warehouse.ddl import (
    add_column_sql,
    create_table_sql,
    physical_type,
    quote_ident,
)
from tradewinds.warehouse.errors import WarehouseBusy, WarehouseError
from tradewinds.warehouse.schema import TABLES, Table
from tradewinds.warehouse.views import fx_daily_view_sql

_KIND_BY_TYPE = {"TIMESTAMP": "timestamp", "JSON": "json", "DATE": "date"}


def _kind(type_code: Any) -> str:
    name = str(type_code).upper()
    if name.startswith("DECIMAL"):
        return "decimal"
    if name.startswith("TIMESTAMP"):
        return "timestamp"
    return _KIND_BY_TYPE.get(name, "")


# Opening a database and locking its configuration happen together, one thread at a time,
# so no connection ever sees a database that is open but not yet locked down.
_setup_lock = threading.Lock()


def database_config() -> dict[str, object]:
    """The one configuration of every DuckDB connection of this process (see the module
    docstring); settings that need an extension (the time zone) are set in :func:`_lock_down`."""
    settings = get_settings()
    return {
        "enable_external_access": False,
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": False,
        "python_enable_replacements": False,
        "threads": settings.warehouse_threads,
        "memory_limit": settings.warehouse_memory_limit,
    }


def _lock_down(con: duckdb.DuckDBPyConnection) -> None:
    """Set the time zone and lock the configuration of a database opened just now (a
    database this process already had open is locked already)."""
    locked = con.execute("SELECT current_setting('lock_configuration')").fetchone()
    if locked and locked[0]:
        return
    con.execute("SET GLOBAL TimeZone = 'UTC'")
    con.execute("SET GLOBAL lock_configuration = true")


def _is_lock_error(exc: BaseException) -> bool:
    if not isinstance(exc, duckdb.IOException):
        return False
    text = str(exc).lower()
    return "lock" in text and ("conflicting" in text or "could not set" in text)


class DuckDBWarehouse(Warehouse):
    dialect = "duckdb"
    concurrent_reads = True
    write_counts = True
    rollup_tables = True
    json_path_lists = True
    hugeint_masks = True

    def __init__(self, path: Path | str, *, workspace_key: str = "", lock_timeout: float = 10.0):
        super().__init__()
        self.path = str(path)
        self.workspace_key = workspace_key
        self.lock_timeout = lock_timeout
        self._con: duckdb.DuckDBPyConnection | None = None
        self._owner: int | None = None
        self._local = threading.local()
        self._cursor_lock = threading.Lock()
        self._cursors: list[duckdb.DuckDBPyConnection] = []
        self._writes_ready = False

    def __repr__(self) -> str:
        return f"DuckDBWarehouse({self.path!r})"

    # -- connection --------------------------------------------------------------------
    def _connect(self) -> duckdb.DuckDBPyConnection:
        """A connection to this process's one database for the file (opened if need be);
        while another process holds the file, tries again (tenacity: 50 ms doubling to
        0.5 s) for ``lock_timeout`` seconds."""
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        waited: list[bool] = []

        def wait_for_file(_state: object) -> None:
            # a server keeping the file open lets it go when it sees this (keep_open.py)
            keep_open.want(self.path)
            waited.append(True)

        retrying = Retrying(
            retry=retry_if_exception(_is_lock_error),
            stop=stop_after_delay(self.lock_timeout),
            wait=wait_exponential(multiplier=0.05, max=0.5),
            before_sleep=wait_for_file,
            reraise=True,
        )
        try:
            con = retrying(self._open)
            if waited:
                keep_open.unwant(self.path)
            return con
        except duckdb.ConnectionException as exc:
            raise WarehouseError(
                f"cannot open warehouse {self.path}: it is already open in this process "
                f"with other settings ({exc}); the warehouse settings must not change "
                "while the server runs"
            ) from exc
        except duckdb.IOException as exc:
            if not _is_lock_error(exc):
                raise WarehouseError(f"cannot open warehouse {self.path}: {exc}") from exc
            keep_open.unwant(self.path)
            raise WarehouseBusy(
                f"the warehouse {self.path} is in use by another process "
                "(one writer at a time); try again when it has finished"
            ) from exc

    def _open(self) -> duckdb.DuckDBPyConnection:
        with _setup_lock:
            con = duckdb.connect(self.path, config=database_config())
            try:
                # a file a keeper holds is the database that was locked down when the keeper
                # opened it (under this same lock), and stays so while ``con`` is open
                if not keep_open.is_held(self.path):
                    _lock_down(con)
            except BaseException:
                con.close()
                raise
        return con

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            self._con = self._connect()
            self._owner = threading.get_ident()
            keep_open.hold(self.path, self._open)
        return self._con

    def _reader(self) -> duckdb.DuckDBPyConnection:
        """The connection for this thread's next query (see the module docstring)."""
        con = self.con
        if self._tx_depth or threading.get_ident() == self._owner:
            return con
        cursor = getattr(self._local, "cursor", None)
        if cursor is None:
            with self._cursor_lock:
                cursor = con.cursor()
                self._cursors.append(cursor)
            self._local.cursor = cursor
        return cursor

    def release_thread(self) -> None:
        """Close the calling thread's own cursor (a worker thread calls it when done)."""
        cursor = getattr(self._local, "cursor", None)
        if cursor is None:
            return
        self._local.cursor = None
        with self._cursor_lock:
            if cursor in self._cursors:
                self._cursors.remove(cursor)
                cursor.close()

    @property
    def is_open(self) -> bool:
        return self._con is not None

    def close(self) -> None:
        with self._cursor_lock:
            for cursor in self._cursors:
                with contextlib.suppress(duckdb.Error):
                    cursor.close()
            self._cursors.clear()
        self._local = threading.local()
        if self._con is not None:
            if self._tx_depth:
                self._con.rollback()
                self._tx_depth = 0
            self._con.close()
            self._con = None

    # -- schema ------------------------------------------------------------------------
    def ensure_tables(self) -> None:
        existing = self._columns_by_table()
        with self.transaction():
            for table in TABLES.values():
                if table.name not in existing:
                    self.con.execute(create_table_sql(table, "duckdb"))
                    continue
                for column in table.columns:
                    if column.name not in existing[table.name]:
                        self.con.execute(add_column_sql(table, column, "duckdb"))
            self.con.execute(fx_daily_view_sql())
            self.con.execute(writes.CREATE_SQL)
        self._writes_ready = True

    def _count_write(self, table: str) -> None:
        if not self._writes_ready:  # a file opened without ensure_tables()
            self._run(writes.CREATE_SQL, None, translate=False)
            self._writes_ready = True
        super()._count_write(table)

    def _columns_by_table(self) -> dict[str, set[str]]:
        rows = self.con.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'main' AND table_catalog = current_database()"
        ).fetchall()
        out: dict[str, set[str]] = {}
        for table_name, column_name in rows:
            out.setdefault(table_name, set()).add(column_name)
        return out

    def table_names(self) -> list[str]:
        return sorted(self._columns_by_table())

    # -- SQL ---------------------------------------------------------------------------
    def _run(self, sql: str, params: Params, *, translate: bool) -> Any:
        con = self._reader()
        try:
            if params is None:
                return con.execute(sql)
            return con.execute(sql, params)
        except duckdb.Error as exc:
            raise WarehouseError(str(exc)) from exc

    def _kinds(self, cursor: Any) -> list[str]:
        return [_kind(d[1]) for d in (cursor.description or [])]

    def _frame(self, cursor: Any, kinds: list[str]) -> pd.DataFrame:
        return cursor.df()

    def _affected(self, cursor: Any) -> int:
        try:
            row = cursor.fetchone()
        except duckdb.Error:
            return 0
        return int(row[0]) if row and isinstance(row[0], int) else 0

    # -- transactions ------------------------------------------------------------------
    def _begin(self) -> None:
        self.con.begin()

    def _commit(self) -> None:
        self.con.commit()

    def _rollback(self) -> None:
        if self._con is not None:
            self._con.rollback()

    @contextmanager
    def readonly(self) -> Iterator[Any]:
        """A connection of its own to the same (sandboxed) database every other request of
        this process uses, in a READ ONLY transaction that is always rolled back. Never a
        connection of another configuration, never one that can write."""
        if self._con is not None or self.path == ":memory:":
            con = self.con.cursor()
        else:
            con = self._connect()
        try:
            con.execute("BEGIN TRANSACTION READ ONLY")
            yield _Runner(con, memory_limit=get_settings().warehouse_memory_limit)
        finally:
            with contextlib.suppress(duckdb.Error):
                con.rollback()
            con.close()

    def check_console_query(self, sql: str, tables: set[str]) -> None:
        from tradewinds.warehouse import duckdb_console

        duckdb_console.check(sql, tables)

    # -- loading -----------------------------------------------------------------------
    def _stage(self, table: Table, frame: pd.DataFrame, stage: str) -> int:
        selects = []
        for column in table.columns:
            src = f"src.{quote_ident(column.name)}"
            typ = physical_type(table, column, "duckdb")
            expr = f"CAST({src} AS {typ})"
            if column.name in table.primary_key and column.type == "string":
                expr = f"COALESCE({expr}, '')"
            selects.append(f"{expr} AS {quote_ident(column.name)}")
        view = f"_tw_src_{table.name}"
        self.con.register(view, frame)
        try:
            self._run(f"DROP TABLE IF EXISTS {quote_ident(stage)}", None, translate=False)
            self._run(
                f"CREATE TEMP TABLE {quote_ident(stage)} AS SELECT {', '.join(selects)} "
                f"FROM {quote_ident(view)} AS src",
                None,
                translate=False,
            )
        except WarehouseError as exc:
            raise WarehouseError(f"{table.name}: {exc}") from exc
        finally:
            with contextlib.suppress(duckdb.Error):  # an aborted transaction refuses it
                self.con.unregister(view)
        return len(frame)

    def _dedupe_stage(self, table: Table, stage: str) -> int:
        keys = ", ".join(quote_ident(k) for k in table.primary_key)
        repeated = self.con.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM {quote_ident(stage)} GROUP BY {keys} "
            "HAVING count(*) > 1)"
        ).fetchone()
        if not repeated or not repeated[0]:
            return 0
        cursor = self._run(
            f"DELETE FROM {quote_ident(stage)} WHERE rowid NOT IN "
            f"(SELECT max(rowid) FROM {quote_ident(stage)} GROUP BY {keys})",
            None,
            translate=False,
        )
        return self._affected(cursor)


class _Runner:
    """Runs console queries on one connection, interrupting them after a timeout."""

    def __init__(self, con: Any, *, memory_limit: str = ""):
        self.con = con
        self.dialect = "duckdb"
        self.memory_limit = memory_limit

    def __call__(self, sql: str, *, timeout: float | None = None) -> Any:
        timer = None
        if timeout:
            timer = threading.Timer(timeout, self.con.interrupt)
            timer.start()
        try:
            return self.con.execute(sql)
        except duckdb.InterruptException as exc:
            raise WarehouseError(
                f"the query took longer than {timeout:g} s and was stopped"
            ) from exc
        except duckdb.OutOfMemoryException as exc:
            raise WarehouseError(
                f"the query needed more memory than the warehouse may use "
                f"({self.memory_limit or 'its limit'}) and was stopped: select fewer columns "
                "or rows, or aggregate first"
            ) from exc
        except duckdb.PermissionException as exc:
            raise WarehouseError(
                f"the warehouse refused to reach outside its own tables: {exc}"
            ) from exc
        except duckdb.Error as exc:
            raise WarehouseError(str(exc)) from exc
        finally:
            if timer is not None:
                timer.cancel()
