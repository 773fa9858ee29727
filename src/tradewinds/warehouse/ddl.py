"""Table definitions for each backend, generated from :mod:`tradewinds.warehouse.schema`.

Logical types map to physical ones here and nowhere else:

* ``decimal``  -> ``DECIMAL(18,4)`` (exact to a hundredth of a cent; int64 storage in DuckDB);
  exchange rates (``fx_rates.rate``) -> ``DECIMAL(24,12)`` so small cross rates keep precision.
* ``timestamp`` -> ``TIMESTAMP`` without time zone, always holding UTC. Loading converts
  aware values to UTC; naive values are taken as UTC. Reads return aware UTC datetimes.
* ``json``     -> ``JSON`` (DuckDB) / ``JSONB`` (PostgreSQL).

Primary-key columns are ``NOT NULL``; a missing text key part is stored as ``''``.
"""

from __future__ import annotations

from typing import Literal

from tradewinds.warehouse.schema import TABLES, Column, Table

Dialect = Literal["duckdb", "postgres"]

MONEY_TYPE = "DECIMAL(18,4)"
MONEY_SCALE = 4
RATE_TYPE = "DECIMAL(24,12)"

# Decimal columns that are not money amounts and need another precision.
DECIMAL_OVERRIDES: dict[tuple[str, str], str] = {("fx_rates", "rate"): RATE_TYPE}

_TYPES: dict[Dialect, dict[str, str]] = {
    "duckdb": {
        "string": "VARCHAR",
        "int": "BIGINT",
        "double": "DOUBLE",
        "bool": "BOOLEAN",
        "date": "DATE",
        "timestamp": "TIMESTAMP",
        "json": "JSON",
    },
    "postgres": {
        "string": "TEXT",
        "int": "BIGINT",
        "double": "DOUBLE PRECISION",
        "bool": "BOOLEAN",
        "date": "DATE",
        "timestamp": "TIMESTAMP",
        "json": "JSONB",
    },
}


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def physical_type(table: Table, column: Column, dialect: Dialect) -> str:
    if column.type == "decimal":
        return DECIMAL_OVERRIDES.get((table.name, column.name), MONEY_TYPE)
    return _TYPES[dialect][column.type]


def column_ddl(table: Table, column: Column, dialect: Dialect) -> str:
    not_null = (not column.nullable) or column.name in table.primary_key
    suffix = " NOT NULL" if not_null else ""
    return f"{quote_ident(column.name)} {physical_type(table, column, dialect)}{suffix}"


def create_table_sql(table: Table, dialect: Dialect, *, schema: str | None = None) -> str:
    cols = [column_ddl(table, c, dialect) for c in table.columns]
    pk = ", ".join(quote_ident(c) for c in table.primary_key)
    cols.append(f"PRIMARY KEY ({pk})")
    body = ",\n  ".join(cols)
    return f"CREATE TABLE IF NOT EXISTS {qualified(table.name, schema)} (\n  {body}\n)"


def create_index_sql(table: Table, dialect: Dialect, *, schema: str | None = None) -> list[str]:
    """Secondary indexes (PostgreSQL only: DuckDB's zone maps serve range scans better)."""
    if dialect != "postgres":
        return []
    out = []
    for cols in table.indexes:
        name = quote_ident(f"ix_{table.name}_{'_'.join(cols)}")
        col_list = ", ".join(quote_ident(c) for c in cols)
        out.append(
            f"CREATE INDEX IF NOT EXISTS {name} ON {qualified(table.name, schema)} ({col_list})"
        )
    return out


def add_column_sql(
    table: Table, column: Column, dialect: Dialect, *, schema: str | None = None
) -> str:
    col = f"{quote_ident(column.name)} {physical_type(table, column, dialect)}"
    return f"ALTER TABLE {qualified(table.name, schema)} ADD COLUMN IF NOT EXISTS {col}"


def qualified(name: str, schema: str | None) -> str:
    return f"{quote_ident(schema)}.{quote_ident(name)}" if schema else quote_ident(name)


def get_table(name: str) -> Table:
    try:
        return TABLES[name]
    except KeyError:
        known = ", ".join(sorted(TABLES))
        raise KeyError(f"unknown warehouse table {name!r} (known: {known})") from None
