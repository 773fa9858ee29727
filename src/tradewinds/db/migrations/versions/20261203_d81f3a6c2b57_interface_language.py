"""interface language: users.locale (the picker's choice), workspaces.locale (the default)

Revision ID: d81f3a6c2b57
Revises: c4e2a7d9b1f3
Create Date: 2026-12-03 15:10:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "d81f3a6c2b57"
down_revision = "c4e2a7d9b1f3"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("locale", sa.String(length=16), nullable=True))
    with op.batch_alter_table("workspaces") as batch:
        batch.add_column(sa.Column("locale", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("workspaces") as batch:
        batch.drop_column("locale")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("locale")
