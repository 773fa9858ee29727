"""The warehouse backend interface every engine implements.

Callers write SQL once in DuckDB's dialect; the PostgreSQL backend transpiles it. Loading
is an idempotent upsert keyed by each table's primary key, done in one transaction:

1. the rows are staged in a temporary table with the target's column types
   (DuckDB scans the DataFrame natively; PostgreSQL receives it through ``COPY``);
2. rows repeated within the batch keep their last occurrence;
3. rows whose key exists with different values are updated;
4. rows whose key is new are inserted; the rest are counted as duplicates.
"""

from __future__ import annotations

import abc
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pandas as pd

from tradewinds.warehouse import writes
from tradewinds.warehouse.ddl import Dialect, get_table, quote_ident
from tradewinds.warehouse.frames import prepare
from tradewinds.warehouse.schema import TABLES, Table

Params = Sequence[Any] | Mapping[str, Any] | None


@dataclass
class QueryResult:
    columns: list[str]
    rows: list[tuple[Any, ...]]
    truncated: bool = field(default=False, compare=False)

    def as_dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def scalar(self) -> Any:
        return self.rows[0][0] if self.rows else None


@dataclass(frozen=True)
class LoadResult:
    inserted: int
    updated: int
    duplicates: int

    @property
    def stored(self) -> int:
        return self.inserted + self.updated


def _utc(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return value


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


class Warehouse(abc.ABC):
    """One workspace's warehouse. Open per unit of work; ``close()`` (or ``with``) after."""

    dialect: Dialect
    workspace_key: str

    def __init__(self) -> None:
        self._tx_depth = 0

    # -- lifecycle ---------------------------------------------------------------------
    def __enter__(self) -> Warehouse:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @abc.abstractmethod
    def close(self) -> None: ...

    @abc.abstractmethod
    def ensure_tables(self) -> None:
        """Create missing canonical tables, columns and indexes (idempotent)."""

    @abc.abstractmethod
    def table_names(self) -> list[str]:
        """Tables present in this workspace's warehouse."""

    # -- SQL ---------------------------------------------------------------------------
    @abc.abstractmethod
    def _run(self, sql: str, params: Params, *, translate: bool) -> Any:
        """Execute one statement; return a cursor positioned on its result."""

    @abc.abstractmethod
    def _kinds(self, cursor: Any) -> list[str]:
        """Kind of each result column: timestamp, json, decimal, date, int or empty."""

    @abc.abstractmethod
    def _frame(self, cursor: Any, kinds: list[str]) -> pd.DataFrame: ...

    @abc.abstractmethod
    def _affected(self, cursor: Any) -> int: ...

    # -- capabilities --------------------------------------------------------------------
    # What this engine can do that another may not. Features test these flags, never
    # ``dialect``; each backend sets the ones it has (all off here).

    #: whether writes to each canonical table are counted (``writes.py``)
    write_counts = False
    #: whether threads other than the opener's may query at the same time, side by side
    concurrent_reads = False
    #: whether small derived tables (rollups) kept beside the canonical ones pay off and can
    #: be rebuilt in place (``CREATE OR REPLACE TABLE``): an embedded, single-writer engine
    rollup_tables = False
    #: whether ``json_extract_string(doc, [path, …])`` reads several fields with one parse
    json_path_lists = False
    #: whether 128-bit integers take bit masks (``HUGEINT``, ``BIT_OR``, ``<<``, ``>>``) and
    #: ``range(a, b)`` is a table function
    hugeint_masks = False

    def execute(self, sql: str, params: Params = None) -> int:
        """Run a statement written in DuckDB SQL; returns the number of rows it changed."""
        changed = self._affected(self._run(sql, params, translate=True))
        if self.write_counts:
            table = writes.written_table(sql)
            if table in TABLES:
                self._count_write(table)
        return changed

    def _count_write(self, table: str) -> None:
        """One more write to ``table`` (``writes.py``)."""
        self._run(writes.BUMP_SQL, {"name": table}, translate=True)

    def query(self, sql: str, params: Params = None) -> QueryResult:
        cursor = self._run(sql, params, translate=True)
        return self._result(cursor, cursor.fetchall())

    def _result(
        self, cursor: Any, rows: list[tuple[Any, ...]], truncated: bool = False
    ) -> QueryResult:
        columns = [d[0] for d in cursor.description] if cursor.description else []
        kinds = self._kinds(cursor)
        fixers = {i: _utc for i, k in enumerate(kinds) if k == "timestamp"}
        fixers.update({i: _json for i, k in enumerate(kinds) if k == "json"})
        if fixers:
            rows = [
                tuple(fixers[i](v) if i in fixers else v for i, v in enumerate(row)) for row in rows
            ]
        else:
            rows = [tuple(r) for r in rows]
        return QueryResult(columns, rows, truncated)

    def query_df(self, sql: str, params: Params = None) -> pd.DataFrame:
        """The result as a DataFrame for analysis: DECIMAL columns become float64,
        timestamps ``datetime64[…, UTC]``, JSON parsed. Use ``query()`` for exact money."""
        cursor = self._run(sql, params, translate=True)
        kinds = self._kinds(cursor)
        frame = self._frame(cursor, kinds)
        for name, kind in zip(list(frame.columns), kinds, strict=False):
            col = frame[name]
            if kind == "timestamp":
                frame[name] = pd.to_datetime(col, utc=True)
            elif kind == "json":
                frame[name] = col.map(_json, na_action="ignore")
            elif kind == "decimal":
                frame[name] = pd.to_numeric(
                    col.astype(object).where(col.notna(), None), errors="coerce"
                ).astype("float64")
            elif kind == "date":
                frame[name] = pd.to_datetime(col).astype("datetime64[us]")
            elif kind == "int" and not pd.api.types.is_integer_dtype(col.dtype):
                frame[name] = col.astype("Int64")  # integers with gaps stay integers
        return frame

    # -- transactions ------------------------------------------------------------------
    @abc.abstractmethod
    def _begin(self) -> None: ...

    @abc.abstractmethod
    def _commit(self) -> None: ...

    @abc.abstractmethod
    def _rollback(self) -> None: ...

    @contextmanager
    def transaction(self) -> Iterator[Warehouse]:
        """Everything inside commits together or not at all. Nested blocks join the outer one."""
        if self._tx_depth:
            self._tx_depth += 1
            try:
                yield self
            finally:
                self._tx_depth -= 1
            return
        self._begin()
        self._tx_depth = 1
        try:
            yield self
        except BaseException:
            self._tx_depth = 0
            self._rollback()
            raise
        self._tx_depth = 0
        self._commit()

    @property
    def in_transaction(self) -> bool:
        return self._tx_depth > 0

    @abc.abstractmethod
    @contextmanager
    def readonly(self) -> Iterator[Any]:
        """A context yielding a function ``run(sql) -> cursor`` that cannot change data."""

    def check_console_query(self, sql: str, tables: set[str]) -> None:
        """A second opinion on an SQL console query from the engine's own parser; raises
        ``ReadOnlyViolation``. Engines whose SQL is generated from the checked tree (it is
        translated first) need none."""
        del sql, tables

    # -- loading -----------------------------------------------------------------------
    @abc.abstractmethod
    def _stage(self, table: Table, frame: pd.DataFrame, stage: str) -> int:
        """Create temporary table ``stage`` shaped like ``table`` holding ``frame``."""

    @abc.abstractmethod
    def _dedupe_stage(self, table: Table, stage: str) -> int:
        """Drop all but the last staged row per key; return how many were dropped."""

    def _target(self, name: str) -> str:
        return quote_ident(name)

    def load(self, table: str, data: Iterable[dict[str, Any]] | pd.DataFrame) -> LoadResult:
        """Upsert rows by primary key in one transaction; returns what changed."""
        spec = get_table(table)
        frame = prepare(spec, data)
        if frame.empty:
            return LoadResult(0, 0, 0)
        stage = f"_tw_stage_{spec.name}"
        with self.transaction():
            staged = self._stage(spec, frame, stage)
            self._dedupe_stage(spec, stage)
            updated = self._update_from_stage(spec, stage)
            inserted = self._insert_from_stage(spec, stage)
            self._run(f"DROP TABLE IF EXISTS {quote_ident(stage)}", None, translate=False)
            if self.write_counts and (inserted or updated):
                self._count_write(spec.name)
        # rows repeated within the batch count as duplicates of the row that was kept
        return LoadResult(inserted, updated, staged - inserted - updated)

    def _key_match(self, spec: Table, left: str, right: str) -> str:
        return " AND ".join(
            f"{left}.{quote_ident(k)} = {right}.{quote_ident(k)}" for k in spec.primary_key
        )

    def _update_from_stage(self, spec: Table, stage: str) -> int:
        values = [c for c in spec.column_names if c not in spec.primary_key]
        if not values:
            return 0
        assignments = ", ".join(f"{quote_ident(c)} = s.{quote_ident(c)}" for c in values)
        differs = " OR ".join(
            f"t.{quote_ident(c)} IS DISTINCT FROM s.{quote_ident(c)}" for c in values
        )
        sql = (
            f"UPDATE {self._target(spec.name)} AS t SET {assignments} "
            f"FROM {quote_ident(stage)} AS s "
            f"WHERE {self._key_match(spec, 't', 's')} AND ({differs})"
        )
        return self._affected(self._run(sql, None, translate=False))

    def _insert_from_stage(self, spec: Table, stage: str) -> int:
        cols = ", ".join(quote_ident(c) for c in spec.column_names)
        s_cols = ", ".join(f"s.{quote_ident(c)}" for c in spec.column_names)
        sql = (
            f"INSERT INTO {self._target(spec.name)} ({cols}) SELECT {s_cols} "
            f"FROM {quote_ident(stage)} AS s WHERE NOT EXISTS (SELECT 1 FROM "
            f"{self._target(spec.name)} AS t WHERE {self._key_match(spec, 't', 's')})"
        )
        return self._affected(self._run(sql, None, translate=False))

    # -- erasure -----------------------------------------------------------------------
    def delete_where(self, table: str, column: str, values: Iterable[Any]) -> int:
        """Delete rows whose ``column`` is one of ``values``; returns how many went."""
        spec = get_table(table)
        spec.column(column)
        items = list(dict.fromkeys(values))
        if not items:
            return 0
        total = 0
        with self.transaction():
            for start in range(0, len(items), 1000):
                chunk = items[start : start + 1000]
                marks = ", ".join("?" for _ in chunk)
                sql = (
                    f"DELETE FROM {quote_ident(spec.name)} WHERE {quote_ident(column)} IN ({marks})"
                )
                total += self.execute(sql, chunk)
        return total  # counted by execute()

    def count(self, table: str) -> int:
        get_table(table)
        return int(self.query(f"SELECT count(*) FROM {quote_ident(table)}").scalar())
