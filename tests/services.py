"""Reaching the real servers tests need (PostgreSQL, Redis, ...).

A test that needs a server which is absent skips with the reason, unless
TRADEWINDS_REQUIRE_SERVICES=1 (as in CI), where it fails instead.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

POSTGRES_URL = os.environ.get(
    "TRADEWINDS_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def services_required() -> bool:
    return os.environ.get("TRADEWINDS_REQUIRE_SERVICES", "") not in ("", "0", "false")


def port_open(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def need(service: str, host: str, port: int) -> None:
    """Skip (or fail when services are required) if host:port does not answer."""
    if port_open(host, port):
        return
    reason = f"{service} is not reachable at {host}:{port}"
    if services_required():
        pytest.fail(f"{reason} and TRADEWINDS_REQUIRE_SERVICES=1")
    pytest.skip(reason)


def need_postgres() -> str:
    need("PostgreSQL", "127.0.0.1", 5432)
    return POSTGRES_URL


@contextmanager
def postgres_schema() -> Iterator[tuple[str, str]]:
    """A fresh PostgreSQL schema for one test; yields (url, schema) and drops it after.

    The URL sets the schema as the connection's search_path, so code under test that
    connects with it sees only its own tables.
    """
    import sqlalchemy as sa

    from tradewinds.warehouse.postgres_roles import console_role_name

    base = need_postgres()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(base)
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base else "?"
    url = f"{base}{sep}options=-csearch_path%3D{schema}"
    try:
        yield url, schema
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            conn.execute(sa.text(f'DROP ROLE IF EXISTS "{console_role_name(schema)}"'))
        engine.dispose()
