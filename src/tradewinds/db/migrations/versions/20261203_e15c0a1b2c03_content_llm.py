"""content studio LLM provider: settings per workspace, usage and cost, answer cache

Revision ID: e15c0a1b2c03
Revises: d81f3a6c2b57
Create Date: 2026-12-03 20:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "e15c0a1b2c03"
down_revision = "d81f3a6c2b57"
branch_labels = None
depends_on = None


def _workspace_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["workspace_id"],
        ["workspaces.id"],
        name=op.f(f"fk_{table}_workspace_id_workspaces"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "content_llm_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("base_url", sa.String(length=500), nullable=False),
        sa.Column("model", sa.String(length=200), nullable=False),
        sa.Column("api_key_enc", sa.Text(), nullable=True),
        sa.Column("price_input_per_1k", sa.Numeric(precision=18, scale=6), nullable=False),
        sa.Column("price_output_per_1k", sa.Numeric(precision=18, scale=6), nullable=False),
        sa.Column("monthly_budget", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("timeout_seconds", sa.Float(), nullable=False),
        sa.Column("max_attempts", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.String(length=320), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        _workspace_fk("content_llm_settings"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_llm_settings")),
        sa.UniqueConstraint("workspace_id", name=op.f("uq_content_llm_settings_workspace_id")),
    )
    op.create_table(
        "content_llm_usage",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("model", sa.String(length=200), nullable=False),
        sa.Column("prompt_tokens", sa.Integer(), nullable=False),
        sa.Column("completion_tokens", sa.Integer(), nullable=False),
        sa.Column("cost", sa.Numeric(precision=18, scale=6), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("cached", sa.Boolean(), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        _workspace_fk("content_llm_usage"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_llm_usage")),
    )
    op.create_index(
        "ix_content_llm_usage_workspace_at", "content_llm_usage", ["workspace_id", "at"]
    )
    op.create_table(
        "content_llm_cache",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("model", sa.String(length=200), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("prompt_tokens", sa.Integer(), nullable=False),
        sa.Column("completion_tokens", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("hits", sa.Integer(), nullable=False),
        sa.Column("last_hit_at", sa.DateTime(timezone=True), nullable=True),
        _workspace_fk("content_llm_cache"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_llm_cache")),
        sa.UniqueConstraint("workspace_id", "request_hash", name="uq_content_llm_cache_request"),
    )


def downgrade() -> None:
    op.drop_table("content_llm_cache")
    op.drop_index("ix_content_llm_usage_workspace_at", table_name="content_llm_usage")
    op.drop_table("content_llm_usage")
    op.drop_table("content_llm_settings")
