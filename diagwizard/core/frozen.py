"""What changes when diagwizard runs as one frozen executable (PyInstaller).

A frozen program's ``sys.executable`` is the program itself, not a Python interpreter,
so ``python -m diagwizard.isolation.child`` cannot start an isolated child: the program starts
itself with a hidden first argument instead. A console window opened by a double-click
on Windows closes the moment the program ends, so after an error it waits for Enter.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

CHILD_MARKER = "--diagwizard-isolated-child"


def is_frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def child_command() -> list[str]:
    """The command line of an isolated child process (see isolation.py)."""
    if is_frozen():
        return [sys.executable, CHILD_MARKER]
    return [sys.executable, "-m", "diagwizard.isolation.child"]


def started_by_double_click(argv: Sequence[str]) -> bool:
    """A frozen Windows program without arguments was started from Explorer."""
    return is_frozen() and sys.platform == "win32" and not argv


def hold_console(code: int, argv: Sequence[str], lang: str, always: bool = False) -> None:
    """After an error in a double-clicked program, keep its window open until Enter
    (``always``: whatever the outcome, e.g. after the check shown instead of the wizard)."""
    if (code in (0, 130) and not always) or not started_by_double_click(argv):
        return
    from diagwizard.core.words.terminal import PRESS_ENTER  # lazy: start-up time (isolation)

    try:
        input(PRESS_ENTER.get(lang))
    except (EOFError, OSError, KeyboardInterrupt):
        pass
