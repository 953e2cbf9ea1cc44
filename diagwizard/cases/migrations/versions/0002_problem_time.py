"""Problem rows carry their case's time, indexed with the code: counting problems per
hour (``cases stats``) then reads one index and joins nothing, which keeps a million
cases in PostgreSQL under a second (benchmarks/cases_bench.py).

Revision ID: 0002
Revises: 0001
Create Date: 2025-06-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("case_problems", sa.Column("created_at", sa.DateTime(timezone=True)))
    op.execute(
        "UPDATE case_problems SET created_at ="
        " (SELECT cases.created_at FROM cases WHERE cases.id = case_problems.case_id)"
    )
    with op.batch_alter_table("case_problems") as batch:
        batch.alter_column("created_at", existing_type=sa.DateTime(timezone=True), nullable=False)
        batch.drop_index("ix_case_problems_code")
        batch.create_index("ix_case_problems_time_code", ["created_at", "code"])
        batch.create_index("ix_case_problems_code_time", ["code", "created_at"])


def downgrade() -> None:
    with op.batch_alter_table("case_problems") as batch:
        batch.drop_index("ix_case_problems_code_time")
        batch.drop_index("ix_case_problems_time_code")
        batch.create_index("ix_case_problems_code", ["code"])
        batch.drop_column("created_at")
