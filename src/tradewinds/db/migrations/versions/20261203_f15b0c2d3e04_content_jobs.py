"""content jobs: bulk generation of a catalogue × markets, one item per product × market × field

Revision ID: f15b0c2d3e04
Revises: b14e7a2c9d01
Create Date: 2026-12-03 20:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "f15b0c2d3e04"
down_revision = "b14e7a2c9d01"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "content_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("platform", sa.String(length=40), nullable=False),
        sa.Column("markets", sa.JSON(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("products", sa.JSON(), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("variants", sa.Integer(), nullable=False),
        sa.Column("dropped", sa.Integer(), nullable=False),
        sa.Column("runs", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=320), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_content_jobs_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_jobs")),
    )
    with op.batch_alter_table("content_jobs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_content_jobs_workspace_id"), ["workspace_id"], unique=False
        )
    op.create_table(
        "content_job_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.String(length=200), nullable=False),
        sa.Column("market", sa.String(length=8), nullable=False),
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("variants", sa.JSON(), nullable=False),
        sa.Column("dropped", sa.JSON(), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["content_jobs.id"],
            name=op.f("fk_content_job_items_job_id_content_jobs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_job_items")),
        sa.UniqueConstraint("job_id", "product_id", "market", "field", name="uq_content_job_item"),
    )
    with op.batch_alter_table("content_job_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_content_job_items_job_id"), ["job_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("content_job_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_content_job_items_job_id"))
    op.drop_table("content_job_items")
    with op.batch_alter_table("content_jobs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_content_jobs_workspace_id"))
    op.drop_table("content_jobs")
