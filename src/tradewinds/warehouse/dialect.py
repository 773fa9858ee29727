"""SQL is written once, in DuckDB's dialect; this module rewrites it for PostgreSQL.

Placeholders: ``?`` (positional, params a list/tuple) or ``$name`` (params a dict) in
DuckDB SQL become PostgreSQL's native ``$1, $2 …`` so that a literal ``%`` needs no escaping.
JSON arrows (``properties->>'key'``) are kept as arrows, which PostgreSQL understands for
both ``json`` and ``jsonb``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

import sqlglot
from sqlglot import exp
from sqlglot.dialects.dialect import arrow_json_extract_sql
from sqlglot.dialects.postgres import Postgres

from tradewinds.warehouse.errors import WarehouseError


class _PostgresArrows(Postgres):
    class Generator(Postgres.Generator):
        TRANSFORMS = {
            **Postgres.Generator.TRANSFORMS,
            exp.JSONExtract: arrow_json_extract_sql,
            exp.JSONExtractScalar: arrow_json_extract_sql,
        }


Params = Sequence[Any] | Mapping[str, Any] | None


@lru_cache(maxsize=1024)
def _translate(sql: str) -> tuple[str, tuple[str | int, ...]]:
    try:
        statements = [s for s in sqlglot.parse(sql, read="duckdb") if s is not None]
    except sqlglot.errors.ParseError as exc:
        raise WarehouseError(f"could not parse SQL: {exc}") from exc
    order: list[str | int] = []
    positional = 0
    out = []
    for statement in statements:
        for node in list(statement.find_all(exp.Placeholder, bfs=False)):  # source order
            name = str(node.this) if node.this is not None else ""
            if not name:
                key: str | int = positional
                positional += 1
            elif name.isdigit():
                key = int(name) - 1
            else:
                key = name
            order.append(key)
            node.replace(exp.var(f"${len(order)}"))
        out.append(statement.sql(dialect=_PostgresArrows))
    return ";\n".join(out), tuple(order)


def to_postgres(sql: str, params: Params = None) -> tuple[str, list[Any] | None]:
    """Rewrite DuckDB SQL and its parameters for PostgreSQL (native ``$n`` placeholders)."""
    pg_sql, order = _translate(sql)
    if not order:
        return pg_sql, None
    if params is None:
        raise WarehouseError("the query has placeholders but no parameters were given")
    if isinstance(params, Mapping):
        return pg_sql, [
            params[k] if isinstance(k, str) else list(params.values())[k] for k in order
        ]
    seq = list(params)
    return pg_sql, [seq[k] if isinstance(k, int) else _named_missing(k) for k in order]


def _named_missing(name: str) -> Any:
    raise WarehouseError(f"placeholder ${name} needs a dict of parameters")
