"""import messages in the reader's language: the message id and values of each reason

``import_jobs.message_text`` and ``import_files.message_text`` keep the message id and values
of why a job or file failed, ``import_files.notes_text`` those of its notes (the row errors
keep theirs in ``import_files.errors``), so the Data page shows them in whoever reads them's
language. Rows imported before keep only their English text.

Revision ID: b14e7a2c9d01
Revises: e15c0a1b2c03
Create Date: 2026-12-03 20:40:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "b14e7a2c9d01"
down_revision = "e15c0a1b2c03"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("import_jobs") as batch:
        batch.add_column(sa.Column("message_text", sa.JSON(), nullable=True))
    with op.batch_alter_table("import_files") as batch:
        batch.add_column(sa.Column("message_text", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("notes_text", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("import_files") as batch:
        batch.drop_column("notes_text")
        batch.drop_column("message_text")
    with op.batch_alter_table("import_jobs") as batch:
        batch.drop_column("message_text")
