"""campaign mappings: the seller's touch campaign -> ad-platform campaign table

Revision ID: c4e2a7d9b1f3
Revises: 5b0d7e3f9a21
Create Date: 2026-12-03 10:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "c4e2a7d9b1f3"
down_revision = "5b0d7e3f9a21"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "campaign_mappings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=40), nullable=False),
        sa.Column("touch_campaign", sa.String(length=255), nullable=False),
        sa.Column("campaign_id", sa.String(length=255), nullable=False),
        sa.Column("updated_by", sa.String(length=320), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_campaign_mappings_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign_mappings")),
        sa.UniqueConstraint(
            "workspace_id", "platform", "touch_campaign", name="uq_campaign_mapping_touch"
        ),
    )
    with op.batch_alter_table("campaign_mappings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_campaign_mappings_workspace_id"), ["workspace_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("campaign_mappings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_campaign_mappings_workspace_id"))
    op.drop_table("campaign_mappings")
