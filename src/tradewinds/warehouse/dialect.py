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
from sqlglot.tokens import Tokenizer, TokenType

from tradewinds.warehouse.errors import WarehouseError


class _PostgresArrows(Postgres):
    class Generator(Postgres.Generator):
        TRANSFORMS = {
            **Postgres.Generator.TRANSFORMS,
            exp.JSONExtract: arrow_json_extract_sql,
            exp.JSONExtractScalar: arrow_json_extract_sql,
        }


Params = Sequence[Any] | Mapping[str, Any] | None


def _numbered(sql: str) -> str:
    """``sql`` with each positional ``?`` written as ``$1``, ``$2`` … in the order they
    appear in the text. The parsed tree is not walked in text order (a ``LIMIT ?`` comes
    before the ``WHERE`` it follows), so the numbers are given before parsing, from the
    tokens (a ``?`` inside a string or a comment is no placeholder)."""
    if "?" not in sql:
        return sql
    spans = [
        (t.start, t.end)
        for t in Tokenizer(dialect="duckdb").tokenize(sql)
        if t.token_type == TokenType.PLACEHOLDER and t.text == "?"
    ]
    out, at = [], 0
    for n, (start, end) in enumerate(spans, 1):
        out += [sql[at:start], f"${n}"]
        at = end + 1
    return "".join(out) + sql[at:]


@lru_cache(maxsize=1024)
def _translate(sql: str) -> tuple[str, tuple[str | int, ...]]:
    try:
        sql = _numbered(sql)
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
