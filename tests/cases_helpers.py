"""Shared by the case-log tests: case codes to decode, and cases logged at chosen times."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from diagwizard.cases.caselog import CaseLog
from diagwizard.cases.record import Case, CaseProblem, Outcome, utc_now
from diagwizard.core.config import Config
from diagwizard.core.model import Status
from diagwizard.diagnosis import casecode

SERVICE = "pcsc.E002"  # the smart-card service is not running
LOCKED = "ask.E007"  # the caller saw "Token Locked"


def service_code() -> str:
    """A caller whose smart-card service is stopped (one problem)."""
    state = casecode.CaseState("windows", {"pcsc.service": (Status.FAIL, SERVICE)}, {})
    return casecode.encode(state)


def locked_code() -> str:
    """A macOS caller whose card is locked and whose service is stopped (two problems)."""
    state = casecode.CaseState(
        "macos", {"pcsc.service": (Status.FAIL, SERVICE)}, {"pin_dialog_message": "token_locked"}
    )
    return casecode.encode(state)


def add_cases(
    codes: list[str], ago: list[timedelta], cfg: Config | None = None, now: datetime | None = None
) -> list[int]:
    """One case per entry of ``ago``, logged that long before ``now``, with ``codes`` as its
    problems; through the configured store. Their numbers."""
    now = (now or utc_now()).replace(microsecond=0)
    log = CaseLog(cfg or Config())
    with log.open() as store:
        return [
            store.add(
                Case(
                    uid=str(uuid.uuid4()),
                    case_code="DW1-TEST",
                    logged_at=now - delta,
                    platform="windows",
                    problems=[CaseProblem(code) for code in codes],
                    outcome=Outcome.OPEN,
                )
            )
            for delta in ago
        ]
