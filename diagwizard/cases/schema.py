"""The case log's tables as the newest migration leaves them (SQLAlchemy Core).

``cases`` and ``case_problems`` hold the cases; ``problem_hours`` and ``outcome_hours``
count them per UTC hour (by problem, by outcome), kept in step by every write in the same
transaction, so that ``cases stats`` over a week reads a few thousand counts instead of
every case (a million cases: benchmarks/cases_bench.py).

The migrations in :mod:`diagwizard.cases.migrations` create and change the tables; this
module describes the result for the queries. ``tests/test_cases_migrations.py`` checks
that the two agree.
"""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
)

from diagwizard.cases.record import (
    AGENT_LEN,
    CODE_LEN,
    ENTRY_LEN,
    FINDING_LEN,
    FIX_LEN,
    NOTE_LEN,
    OUTCOME_LEN,
    PLATFORM_LEN,
    UID_LEN,
)

metadata = MetaData()

cases = Table(
    "cases",
    metadata,
    Column("id", Integer, primary_key=True),  # the case number people quote
    Column("uid", String(UID_LEN), nullable=False, unique=True),
    Column("case_code", String(CODE_LEN), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("platform", String(PLATFORM_LEN), nullable=False),
    Column("outcome", String(OUTCOME_LEN), nullable=False),
    Column("fix", String(FIX_LEN), nullable=False, server_default=""),
    Column("note", String(NOTE_LEN), nullable=False, server_default=""),
    Column("agent", String(AGENT_LEN), nullable=False, server_default=""),
    CheckConstraint("outcome IN ('open', 'fixed', 'escalated')", name="ck_cases_outcome"),
    Index("ix_cases_created_at", "created_at"),
    sqlite_autoincrement=True,  # a number is never given twice, even after a deletion
)

# One row per problem of a case, in the diagnosis's order, with its case's time (which
# never changes): the newest cases with a problem, and the last hour's, come from an index.
case_problems = Table(
    "case_problems",
    metadata,
    Column("case_id", Integer, ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("code", String(FINDING_LEN), nullable=False),
    Column("entry", String(ENTRY_LEN), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    PrimaryKeyConstraint("case_id", "position", name="pk_case_problems"),
    Index("ix_case_problems_time_code", "created_at", "code"),
    Index("ix_case_problems_code_time", "code", "created_at"),
)

# Problems per hour: how many of the cases logged in that UTC hour had this problem.
problem_hours = Table(
    "problem_hours",
    metadata,
    Column("hour", DateTime(timezone=True), nullable=False),
    Column("code", String(FINDING_LEN), nullable=False),
    Column("cases", Integer, nullable=False),
    PrimaryKeyConstraint("hour", "code", name="pk_problem_hours"),
    Index("ix_problem_hours_code_hour", "code", "hour"),
)

# Cases per hour and outcome (a case's outcome may change: its count moves with it).
outcome_hours = Table(
    "outcome_hours",
    metadata,
    Column("hour", DateTime(timezone=True), nullable=False),
    Column("outcome", String(OUTCOME_LEN), nullable=False),
    Column("cases", Integer, nullable=False),
    PrimaryKeyConstraint("hour", "outcome", name="pk_outcome_hours"),
)
