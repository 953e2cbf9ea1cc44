"""Counts per hour, and problem rows that carry their case's time.

``cases stats`` over a million cases took about 2 s in PostgreSQL when it counted the
problem rows themselves (benchmarks/cases_bench.py on a 2-core VM): it now reads hourly
counts per problem and per outcome, which every write keeps in step. Problem rows get
their case's time and an index with the code, for the newest cases with a problem and the
last hour's counts. Existing cases are counted here.

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


def _hour(column: str) -> str:
    """SQL for the UTC hour ``column`` falls in, stored as SQLAlchemy stores a time."""
    if op.get_bind().dialect.name == "postgresql":
        return f"date_trunc('hour', {column})"
    return f"strftime('%Y-%m-%d %H:00:00.000000', {column})"


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
    op.create_table(
        "problem_hours",
        sa.Column("hour", sa.DateTime(timezone=True), nullable=False),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("cases", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("hour", "code", name="pk_problem_hours"),
    )
    op.create_index("ix_problem_hours_code_hour", "problem_hours", ["code", "hour"])
    op.create_table(
        "outcome_hours",
        sa.Column("hour", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("cases", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("hour", "outcome", name="pk_outcome_hours"),
    )
    op.execute(
        f"INSERT INTO problem_hours (hour, code, cases) SELECT {_hour('created_at')}, code,"
        f" count(*) FROM case_problems GROUP BY {_hour('created_at')}, code"
    )
    op.execute(
        f"INSERT INTO outcome_hours (hour, outcome, cases) SELECT {_hour('created_at')},"
        f" outcome, count(*) FROM cases GROUP BY {_hour('created_at')}, outcome"
    )


def downgrade() -> None:
    op.drop_table("outcome_hours")
    op.drop_table("problem_hours")
    with op.batch_alter_table("case_problems") as batch:
        batch.drop_index("ix_case_problems_code_time")
        batch.drop_index("ix_case_problems_time_code")
        batch.create_index("ix_case_problems_code", ["code"])
        batch.drop_column("created_at")
