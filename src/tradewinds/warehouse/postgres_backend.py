"""The PostgreSQL warehouse: one schema per workspace (``ws_<key>``) in the database named
by ``TRADEWINDS_WAREHOUSE_URL`` (``postgresql+psycopg://user:pass@host:5432/db``).

Queries written in DuckDB SQL are transpiled with sqlglot; loads go through ``COPY`` into
a temporary table, then one ``UPDATE … FROM`` and one ``INSERT … ON CONFLICT DO NOTHING``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pandas as pd
import psycopg
from psycopg import pq
from psycopg.adapt import Loader
from psycopg.errors import error_from_result

from tradewinds.warehouse.backend import Params, Warehouse
from tradewinds.warehouse.ddl import (
    add_column_sql,
    create_index_sql,
    create_table_sql,
    quote_ident,
)
from tradewinds.warehouse.dialect import to_postgres
from tradewinds.warehouse.errors import WarehouseError
from tradewinds.warehouse.postgres_roles import (
    FUNCTION,
    console_role_name,
    console_role_ready,
    ensure_console_role,
    fallback_message,
    warn_once,
)
from tradewinds.warehouse.schema import TABLES, Table
from tradewinds.warehouse.views import fx_daily_view_sql

# SQL console limits (a query's own timeout replaces CONSOLE_TIMEOUT)
CONSOLE_TIMEOUT = 300.0
CONSOLE_IDLE = 60.0
CONSOLE_WORK_MEM = "32MB"

# PostgreSQL type OIDs
_KIND_BY_OID = {
    1114: "timestamp",
    1184: "timestamp",
    114: "json",
    3802: "json",
    1700: "decimal",
    1082: "date",
    20: "int",
    21: "int",
    23: "int",
}


class _TextLoader(Loader):
    """Return json/jsonb as text; the backend parses it the same way for every engine."""

    def load(self, data: Any) -> str:
        return bytes(data).decode("utf-8")


def conninfo(url: str) -> str:
    """libpq URL from a SQLAlchemy-style one (``postgresql+psycopg://`` -> ``postgresql://``)."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        raise WarehouseError(f"not a PostgreSQL URL: {url!r}")
    base = scheme.split("+", 1)[0]
    if base not in {"postgresql", "postgres"}:
        raise WarehouseError(f"not a PostgreSQL URL: {url!r}")
    return f"postgresql://{rest}"


class PostgresWarehouse(Warehouse):
    dialect = "postgres"
    # no capability flag set: rollups, write counts, JSON path lists and 128-bit masks are
    # DuckDB's; reports read the canonical tables (``backend.Warehouse`` lists the flags)

    def __init__(self, url: str, *, schema: str, workspace_key: str = ""):
        super().__init__()
        self.url = url
        self.schema = schema
        self.workspace_key = workspace_key
        self._con: psycopg.Connection | None = None
        self._dropped = 0

    def __repr__(self) -> str:
        return f"PostgresWarehouse(schema={self.schema!r})"

    # -- connection --------------------------------------------------------------------
    def _connect(self) -> psycopg.Connection:
        try:
            con = psycopg.connect(conninfo(self.url), autocommit=True)
        except psycopg.Error as exc:
            raise WarehouseError(f"cannot reach the PostgreSQL warehouse: {exc}") from exc
        con.cursor_factory = psycopg.RawCursor
        for oid_name in ("json", "jsonb"):
            con.adapters.register_loader(oid_name, _TextLoader)
        with con.cursor() as cur:
            cur.execute(f"SET search_path TO {quote_ident(self.schema)}")
            cur.execute("SET TimeZone TO 'UTC'")
        return con

    @property
    def con(self) -> psycopg.Connection:
        if self._con is None:
            self._con = self._connect()
        return self._con

    def close(self) -> None:
        if self._con is not None:
            if self._tx_depth:
                self._con.rollback()
                self._tx_depth = 0
            self._con.close()
            self._con = None

    # -- schema ------------------------------------------------------------------------
    def ensure_tables(self) -> None:
        found = self._run(
            "SELECT 1 FROM pg_namespace WHERE nspname = $1", [self.schema], translate=False
        ).fetchone()
        if not found:
            self._run(
                f"CREATE SCHEMA IF NOT EXISTS {quote_ident(self.schema)}", None, translate=False
            )
        existing = self._columns_by_table()
        with self.transaction():
            for table in TABLES.values():
                if table.name not in existing:
                    self._run(
                        create_table_sql(table, "postgres", schema=self.schema),
                        None,
                        translate=False,
                    )
                else:
                    for column in table.columns:
                        if column.name not in existing[table.name]:
                            sql = add_column_sql(table, column, "postgres", schema=self.schema)
                            self._run(sql, None, translate=False)
                for sql in create_index_sql(table, "postgres", schema=self.schema):
                    self._run(sql, None, translate=False)
            self._run(fx_daily_view_sql(), None, translate=True)
            refused = ensure_console_role(self.con, self.schema)
        if refused:
            warn_once(self.con, fallback_message(self.con, refused))

    def _columns_by_table(self) -> dict[str, set[str]]:
        cur = self._run(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = $1",
            [self.schema],
            translate=False,
        )
        out: dict[str, set[str]] = {}
        for table_name, column_name in cur.fetchall():
            out.setdefault(table_name, set()).add(column_name)
        return out

    def table_names(self) -> list[str]:
        return sorted(self._columns_by_table())

    # -- SQL ---------------------------------------------------------------------------
    def _run(self, sql: str, params: Params, *, translate: bool) -> Any:
        values: Any = params
        if translate:
            sql, values = to_postgres(sql, params)
        cur = self.con.cursor()
        try:
            cur.execute(sql, values)
        except psycopg.Error as exc:
            raise WarehouseError(str(exc).strip()) from exc
        return cur

    def _kinds(self, cursor: Any) -> list[str]:
        return [_KIND_BY_OID.get(d.type_code, "") for d in (cursor.description or [])]

    def _frame(self, cursor: Any, kinds: list[str]) -> pd.DataFrame:
        columns = [d.name for d in (cursor.description or [])]
        rows = cursor.fetchall()
        return pd.DataFrame.from_records(rows, columns=columns)

    def _affected(self, cursor: Any) -> int:
        return max(int(cursor.rowcount or 0), 0)

    # -- transactions ------------------------------------------------------------------
    def _begin(self) -> None:
        self.con.execute("BEGIN")

    def _commit(self) -> None:
        self.con.execute("COMMIT")

    def _rollback(self) -> None:
        if self._con is not None and not self._con.closed:
            self._con.execute("ROLLBACK")

    @contextmanager
    def readonly(self) -> Iterator[Any]:
        """A separate connection in a READ ONLY transaction that is always rolled back.

        Queries run as the workspace's console role (see ``postgres_roles``), with the
        search path pinned to the workspace's schema and limits on time and memory."""
        con = self._connect()
        try:
            refused = console_role_ready(con, self.schema)
            if refused:
                warn_once(con, fallback_message(con, refused))
            con.execute("BEGIN TRANSACTION READ ONLY")
            if not refused:
                con.execute(f"SET LOCAL ROLE {quote_ident(console_role_name(self.schema))}")
            con.execute(f"SET LOCAL search_path = {quote_ident(self.schema)}, pg_temp")
            con.execute(f"SET LOCAL statement_timeout = {_ms(CONSOLE_TIMEOUT)}")
            con.execute(f"SET LOCAL idle_in_transaction_session_timeout = {_ms(CONSOLE_IDLE)}")
            con.execute(f"SET LOCAL work_mem = '{CONSOLE_WORK_MEM}'")
            yield _Runner(con, schema=None if refused else self.schema)
        finally:
            try:
                con.execute("ROLLBACK")
            finally:
                con.close()

    # -- loading -----------------------------------------------------------------------
    def _stage(self, table: Table, frame: pd.DataFrame, stage: str) -> int:
        name = quote_ident(stage)
        self._run(f"DROP TABLE IF EXISTS {name}", None, translate=False)
        self._run(
            f"CREATE TEMP TABLE {name} (LIKE {quote_ident(table.name)} INCLUDING DEFAULTS)",
            None,
            translate=False,
        )
        self._run("SET LOCAL work_mem = '256MB'", None, translate=False)
        frame = self._prepare_stage(table, frame)
        cols = ", ".join(quote_ident(c) for c in table.column_names)
        columns = [_copy_values(frame[c]) for c in table.column_names]
        try:
            with self.con.cursor().copy(f"COPY {name} ({cols}) FROM STDIN") as copy:
                for row in zip(*columns, strict=True):
                    copy.write_row(row)
        except psycopg.Error as exc:
            raise WarehouseError(f"{table.name}: {str(exc).strip()}") from exc
        self._run(f"ANALYZE {name}", None, translate=False)
        return len(frame) + self._dropped

    def _dedupe_stage(self, table: Table, stage: str) -> int:
        return self._dropped

    def _prepare_stage(self, table: Table, frame: pd.DataFrame) -> pd.DataFrame:
        """Keep the last row per key (pandas hashing beats a GROUP BY on the server)."""
        repeated = frame.duplicated(subset=list(table.primary_key), keep="last")
        self._dropped = int(repeated.sum())
        return frame[~repeated] if self._dropped else frame

    # Inserting after an anti-join is about twice as fast as ON CONFLICT (no speculative
    # insertion per row); a concurrent writer inserting the same key makes the load fail
    # with a unique violation and roll back, never duplicate.


def _copy_values(series: pd.Series) -> list[Any]:
    """Python values for COPY: None for missing, plain Python scalars otherwise."""
    missing = series.isna()
    if not missing.any():
        return series.tolist()
    return series.astype(object).where(~missing, None).tolist()


def _ms(seconds: float) -> int:
    return max(int(seconds * 1000), 1)


class _Runner:
    """``run(sql, *, timeout=None, max_rows=None) -> cursor`` for one console transaction.

    With a console role (``schema`` given) the query is first described without running,
    then run through the role's ``SECURITY DEFINER`` function with the described columns."""

    def __init__(self, con: psycopg.Connection, *, schema: str | None):
        self.con = con
        self.schema = schema
        self.dialect = "postgres"

    def __call__(
        self, sql: str, *, timeout: float | None = None, max_rows: int | None = None
    ) -> Any:
        text = to_postgres(sql)[0]
        seconds = timeout or CONSOLE_TIMEOUT
        cur = self.con.cursor()
        try:
            cur.execute(f"SET LOCAL statement_timeout = {_ms(seconds)}")
            if self.schema is None:
                cur.execute(text if max_rows is None else _limited(text, max_rows))
            else:
                cur.execute(*self._sandboxed(self.schema, text, max_rows))
        except psycopg.errors.QueryCanceled as exc:
            raise WarehouseError(
                f"the query took longer than {seconds:g} s and was stopped"
            ) from exc
        except psycopg.Error as exc:
            raise WarehouseError(str(exc).strip()) from exc
        return cur

    def _sandboxed(self, schema: str, text: str, max_rows: int | None) -> tuple[str, list[Any]]:
        columns = _describe(self.con, text)
        types = self.con.execute(
            "SELECT format_type(u.t, u.m), y.typtype = 'p' AND u.t <> 'record'::regtype "
            "FROM unnest($1::oid[], $2::int4[]) WITH ORDINALITY AS u(t, m, n) "
            "JOIN pg_type y ON y.oid = u.t ORDER BY u.n",
            [[oid for _, oid, _ in columns], [mod for _, _, mod in columns]],
        ).fetchall()
        for (name, _, _), (kind, pseudo) in zip(columns, types, strict=True):
            if pseudo:
                raise WarehouseError(
                    f"column {name!r} has no value to show (its type is {kind}); "
                    "select something else or cast it, e.g. CAST(… AS TEXT)"
                )
        select = ", ".join(
            f"t.c{i} AS {quote_ident(name)}" for i, (name, _, _) in enumerate(columns)
        )
        shape = ", ".join(f"c{i} {kind}" for i, (kind, _) in enumerate(types))
        fn = f"{quote_ident(schema)}.{FUNCTION}"
        return f"SELECT {select} FROM {fn}($1, $2) AS t({shape})", [text, max_rows]


def _limited(text: str, max_rows: int) -> str:
    return f"SELECT * FROM (\n{text}\n) AS q LIMIT {int(max_rows)}"


def _describe(con: psycopg.Connection, text: str) -> list[tuple[str, int, int]]:
    """Result columns (name, type OID, type modifier) of ``text``, parsed but not run."""
    encoding = con.info.encoding
    pgconn = con.pgconn
    result = pgconn.prepare(b"", text.encode(encoding))
    if result.status != pq.ExecStatus.COMMAND_OK:
        raise error_from_result(result, encoding=encoding)
    result = pgconn.describe_prepared(b"")
    if result.status != pq.ExecStatus.COMMAND_OK:
        raise error_from_result(result, encoding=encoding)
    if not result.nfields:
        first = text.split(None, 2)[:2]
        raise WarehouseError(
            f"the SQL console runs only queries that return rows; {' '.join(first)!r} returns none"
        )
    return [
        ((result.fname(i) or b"").decode(encoding), result.ftype(i), result.fmod(i))
        for i in range(result.nfields)
    ]
