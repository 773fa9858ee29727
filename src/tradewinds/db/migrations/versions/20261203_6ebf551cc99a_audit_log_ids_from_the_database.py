"""audit log ids from the database

The audit log used to number its entries itself (last id + 1), which collided when two
processes appended at once. The database now assigns them: on SQLite the table is rebuilt
with AUTOINCREMENT (ids are never reused, even after the newest rows were deleted); on
PostgreSQL the column's sequence, unused until now, is moved past the existing ids.

Revision ID: 6ebf551cc99a
Revises: 33a8de72427f
Create Date: 2026-12-03 08:50:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "6ebf551cc99a"
down_revision = "33a8de72427f"
branch_labels = None
depends_on = None


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        with op.batch_alter_table(
            "audit_log", recreate="always", table_kwargs={"sqlite_autoincrement": True}
        ):
            pass
    elif dialect == "postgresql":
        op.execute(
            sa.text(
                "SELECT setval(pg_get_serial_sequence('audit_log', 'id'), "
                "COALESCE((SELECT MAX(id) FROM audit_log), 0) + 1, false)"
            )
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table(
            "audit_log", recreate="always", table_kwargs={"sqlite_autoincrement": False}
        ):
            pass
