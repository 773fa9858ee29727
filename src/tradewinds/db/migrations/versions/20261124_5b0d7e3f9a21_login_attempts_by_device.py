"""login attempts remember the recognised device they came from

Revision ID: 5b0d7e3f9a21
Revises: 6ebf551cc99a
Create Date: 2026-11-24 09:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "5b0d7e3f9a21"
down_revision = "6ebf551cc99a"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("login_attempts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("device", sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f("ix_login_attempts_device"), ["device"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("login_attempts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_login_attempts_device"))
        batch_op.drop_column("device")
