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
from psycopg.adapt import Loader

from tradewinds.warehouse.backend import Params, Warehouse
from tradewinds.warehouse.ddl import (
    add_column_sql,
    create_index_sql,
    create_table_sql,
    quote_ident,
)
from tradewinds.warehouse.dialect import to_postgres
from tradewinds.warehouse.errors import WarehouseError
from tradewinds.warehouse.schema import TABLES, Table
from tradewinds.warehouse.views import fx_daily_view_sql

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
        """A separate connection in a READ ONLY transaction that is always rolled back."""
        con = self._connect()
        try:
            con.execute("BEGIN TRANSACTION READ ONLY")
            yield _Runner(con)
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


class _Runner:
    def __init__(self, con: psycopg.Connection):
        self.con = con
        self.dialect = "postgres"

    def __call__(self, sql: str, *, timeout: float | None = None) -> Any:
        cur = self.con.cursor()
        try:
            if timeout:
                cur.execute(f"SET LOCAL statement_timeout = {int(timeout * 1000)}")
            cur.execute(to_postgres(sql)[0])
        except psycopg.errors.QueryCanceled as exc:
            raise WarehouseError(
                f"the query took longer than {timeout:g} s and was stopped"
            ) from exc
        except psycopg.Error as exc:
            raise WarehouseError(str(exc).strip()) from exc
        return cur
