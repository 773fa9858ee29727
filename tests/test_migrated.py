"""The copied app DB the ``app_db`` fixture hands out is the DB the migrations build."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from tradewinds.db.migrate import upgrade

from .migrated import MigratedTemplates
from .services import postgres_schema

PG_SHAPE = {
    "columns": """
        SELECT table_name, column_name, data_type, is_nullable, column_default,
               is_identity, identity_generation
        FROM information_schema.columns WHERE table_schema = :s
        ORDER BY table_name, column_name""",
    "constraints": """
        SELECT rel.relname, con.conname, con.contype, pg_get_constraintdef(con.oid)
        FROM pg_constraint con
        JOIN pg_class rel ON rel.oid = con.conrelid
        JOIN pg_namespace ns ON ns.oid = rel.relnamespace
        WHERE ns.nspname = :s ORDER BY rel.relname, con.conname""",
    "indexes": "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = :s ORDER BY 1",
    "sequences": """
        SELECT sequence_name, data_type, start_value, increment FROM information_schema.sequences
        WHERE sequence_schema = :s ORDER BY 1""",
}


def _pg_shape(url: str, schema: str) -> dict[str, list[tuple]]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            shape = {
                name: [
                    tuple(str(v).replace(schema, "<schema>") for v in row)
                    for row in conn.execute(sa.text(query), {"s": schema})
                ]
                for name, query in PG_SHAPE.items()
            }
            shape["alembic_version"] = [
                tuple(row) for row in conn.execute(sa.text("SELECT * FROM alembic_version"))
            ]
            return shape
    finally:
        engine.dispose()


def _sqlite_shape(url: str) -> list[tuple]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                sa.text("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name")
            )
            return [*map(tuple, rows), *conn.execute(sa.text("SELECT * FROM alembic_version"))]
    finally:
        engine.dispose()


def test_sqlite_copy_is_the_migrated_db(tmp_path: Path) -> None:
    templates = MigratedTemplates(tmp_path)
    try:
        fresh, copied = f"sqlite:///{tmp_path / 'fresh.db'}", f"sqlite:///{tmp_path / 'copy.db'}"
        upgrade(fresh)
        templates.apply(copied)
        assert _sqlite_shape(copied) == _sqlite_shape(fresh)
        assert any(row[0] == "table" and row[1] == "workspaces" for row in _sqlite_shape(fresh))
    finally:
        templates.close()


def test_postgres_copy_is_the_migrated_db(tmp_path: Path) -> None:
    templates = MigratedTemplates(tmp_path)
    try:
        with postgres_schema() as (fresh, fresh_schema), postgres_schema() as (copied, schema):
            upgrade(fresh)
            templates.apply(copied)
            want = _pg_shape(fresh, fresh_schema)
            got = _pg_shape(copied, schema)
            assert want["columns"], "the migrations built no tables"
            # schema names read "<schema>": a default or key naming the template would differ
            for part in want:
                assert got[part] == want[part], part
    finally:
        templates.close()


def test_migrating_each_db_can_be_asked_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRADEWINDS_TEST_MIGRATE_EACH", "1")
    templates = MigratedTemplates(tmp_path)
    try:
        templates.apply(f"sqlite:///{tmp_path / 'own.db'}")
        assert not (tmp_path / "template.db").exists()
        assert ("table", "alembic_version") in {
            row[:2] for row in _sqlite_shape(f"sqlite:///{tmp_path / 'own.db'}")
        }
    finally:
        templates.close()
