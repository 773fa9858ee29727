"""A migrated app DB for each test without running every migration for each test.

The migrations run once per test process into a template (a SQLite file; a PostgreSQL
schema, dumped with ``pg_dump``); each test then gets a copy of that template, which is
the same database the migrations build (tables, indexes, constraints, sequences and the
``alembic_version`` row; ``tests/test_migrated.py`` compares the two). The migrations are
still run step by step from scratch where that is what a test checks
(``tests/auth/test_audit.py``, ``tradewinds init`` in the browser tests, the module-wide
set-ups that call ``upgrade()``).

``TRADEWINDS_TEST_MIGRATE_EACH=1`` turns the copy off: every test migrates its own DB.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from contextlib import ExitStack
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from .services import postgres_schema

SEARCH_PATH = re.compile(r"search_path%3D(\w+)")


def migrate_each() -> bool:
    return os.environ.get("TRADEWINDS_TEST_MIGRATE_EACH", "") not in ("", "0", "false")


class MigratedTemplates:
    """Templates made on first use, kept until the end of the test process."""

    def __init__(self, workdir: Path) -> None:
        self._workdir = workdir
        self._stack = ExitStack()
        self._sqlite: Path | None = None
        self._postgres_dump: tuple[str, str] | None = None  # (schema, SQL)

    def close(self) -> None:
        self._stack.close()

    def apply(self, url: str) -> None:
        """Make the (empty, freshly created) DB at ``url`` the migrated DB."""
        from tradewinds.db.migrate import upgrade

        if migrate_each():
            upgrade(url)
        elif url.startswith("sqlite:///"):
            self._copy_sqlite(Path(url.removeprefix("sqlite:///")))
        else:
            match = SEARCH_PATH.search(url)
            dump = self._postgres() if match else None
            if dump is None:
                upgrade(url)
            else:
                self._restore_postgres(url, match.group(1), *dump)

    def _copy_sqlite(self, target: Path) -> None:
        from tradewinds.db.migrate import upgrade

        if self._sqlite is None:
            template = self._workdir / "template.db"
            upgrade(f"sqlite:///{template}")
            self._sqlite = template
        shutil.copyfile(self._sqlite, target)  # created under the umask, as SQLite would

    def _postgres(self) -> tuple[str, str] | None:
        """(template schema, its dump) or None when ``pg_dump`` is not there."""
        from tradewinds.db.migrate import upgrade

        if self._postgres_dump is None:
            pg_dump = shutil.which("pg_dump")
            if pg_dump is None:
                return None
            url, schema = self._stack.enter_context(postgres_schema())
            upgrade(url)
            base = make_url(url).set(drivername="postgresql", query={})
            sql = subprocess.run(
                [
                    pg_dump,
                    "--schema",
                    schema,
                    "--no-owner",
                    "--no-privileges",
                    "--inserts",
                    base.render_as_string(hide_password=False),
                ],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            self._postgres_dump = (schema, _restorable(sql, schema))
        return self._postgres_dump

    @staticmethod
    def _restore_postgres(url: str, schema: str, template: str, sql: str) -> None:
        engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
        try:
            raw = engine.raw_connection()
            try:
                with raw.cursor() as cur:
                    cur.execute(sql.replace(template, schema))
                raw.commit()
            finally:
                raw.close()
        finally:
            engine.dispose()


def _restorable(sql: str, schema: str) -> str:
    """The dump without psql commands and without creating the schema (it exists)."""
    keep = []
    for line in sql.splitlines():
        if line.startswith("\\") or line.startswith(f"CREATE SCHEMA {schema};"):
            continue
        keep.append(line)
    return "\n".join(keep)
