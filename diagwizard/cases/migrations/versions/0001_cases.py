"""The first case log: cases and their problems.

Revision ID: 0001
Revises:
Create Date: 2025-06-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("uid", sa.String(36), nullable=False, unique=True),
        sa.Column("case_code", sa.String(120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("fix", sa.String(100), nullable=False, server_default=""),
        sa.Column("note", sa.String(1000), nullable=False, server_default=""),
        sa.Column("agent", sa.String(100), nullable=False, server_default=""),
        sa.CheckConstraint(
            "outcome IN ('open', 'fixed', 'escalated')", name="ck_cases_outcome"
        ),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_cases_created_at", "cases", ["created_at"])
    op.create_table(
        "case_problems",
        sa.Column(
            "case_id",
            sa.Integer,
            sa.ForeignKey("cases.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("entry", sa.String(100), nullable=True),
        sa.PrimaryKeyConstraint("case_id", "position", name="pk_case_problems"),
    )
    op.create_index("ix_case_problems_code", "case_problems", ["code"])


def downgrade() -> None:
    op.drop_table("case_problems")
    op.drop_table("cases")
