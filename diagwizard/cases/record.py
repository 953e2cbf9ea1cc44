"""One logged case, as every part of the case log passes it around."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

import msgspec

from diagwizard.core.text import Text
from diagwizard.core.words import cases as words

# Stored sizes (the tables' columns); what a person types is checked against them first.
UID_LEN = 36
CODE_LEN = 120
PLATFORM_LEN = 16
OUTCOME_LEN = 16
FIX_LEN = 100
NOTE_LEN = 1000
AGENT_LEN = 100
FINDING_LEN = 64
ENTRY_LEN = 100


class Outcome(StrEnum):
    """How the call ended (so far)."""

    OPEN = "open"
    FIXED = "fixed"
    ESCALATED = "escalated"

    @property
    def label(self) -> Text:
        return words.OUTCOMES[self.value]


class CaseProblem(msgspec.Struct, frozen=True):
    """One problem of the case, as the diagnosis named it: its finding code and the KB
    entry that explains it (None when no entry maps the code)."""

    code: str
    entry: str | None = None


class Case(msgspec.Struct, kw_only=True):
    """A case: no personal data (the code carries none; the note is redacted)."""

    uid: str  # the key that makes logging idempotent: made once, when the case is logged
    case_code: str
    logged_at: datetime  # UTC
    platform: str
    problems: list[CaseProblem] = msgspec.field(default_factory=list)
    outcome: Outcome = Outcome.OPEN
    fix: str = ""  # the fix that worked: an automatic fix id or a KB entry id
    note: str = ""
    agent: str = ""
    number: int | None = None  # given by the store that keeps it
    updated_at: datetime | None = None

    @property
    def codes(self) -> list[str]:
        return [p.code for p in self.problems]


def utc_now() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """A stored time as an aware UTC time (SQLite gives it back without a zone)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def local_text(value: datetime, seconds: bool = False) -> str:
    """A UTC time as this machine's local time, e.g. ``2025-06-01 10:32``."""
    return as_utc(value).astimezone().strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")
