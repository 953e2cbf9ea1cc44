"""Old name of :mod:`diagwizard.runner_results`, kept while other branches still import it."""

from diagwizard.runner_results import (
    CODES,
    CRASHED,
    DEADLINE,
    NEED_FAILED,
    NEED_MISSING,
    RAISED,
    TIMED_OUT,
    crashed,
    deadline_reached,
    raised,
    skipped_need,
    specialise,
    timed_out,
)

__all__ = [
    "CODES",
    "CRASHED",
    "DEADLINE",
    "NEED_FAILED",
    "NEED_MISSING",
    "RAISED",
    "TIMED_OUT",
    "crashed",
    "deadline_reached",
    "raised",
    "skipped_need",
    "specialise",
    "timed_out",
]
