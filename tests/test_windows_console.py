"""The console window the wizard starts in (Windows): recorded console facts decide
between the full wizard, the wizard drawn in ASCII (classic conhost) and the plain
check (legacy console); the ASCII and plain modes are then run for real in tmux
(``DIAGWIZARD_CONSOLE`` chooses them, as a helpdesk may)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pytest
from helpers import LOOPBACK_CONFIG

from diagwizard.core.words.terminal import CONSOLE_ASCII, CONSOLE_LEGACY
from diagwizard.system.adapters.winconsole import (
    ENABLE_VIRTUAL_TERMINAL_PROCESSING,
    ConsoleFacts,
    ConsoleKind,
    console_kind,
    read_console,
)
from diagwizard.ui.tui.ascii import ambiguous_table

CONHOST_MODE = 0x3  # ENABLE_PROCESSED_OUTPUT | ENABLE_WRAP_AT_EOL_OUTPUT: conhost's default
CONSOLES = {
    # Windows 11 hands a double-clicked program to Windows Terminal: no WT_SESSION then,
    # but the console window is ConPTY's pseudo window.
    "Windows 11, double-click": (ConsoleFacts("PseudoConsoleWindow", 0x7, True), {}),
    "Windows Terminal": (ConsoleFacts("PseudoConsoleWindow", 0x7, True), {"WT_SESSION": "x"}),
    "VS Code terminal": (
        ConsoleFacts("PseudoConsoleWindow", 0x7, True),
        {"TERM_PROGRAM": "vscode"},
    ),
    "Windows 10, double-click": (ConsoleFacts("ConsoleWindowClass", CONHOST_MODE, True), {}),
    "legacy console": (ConsoleFacts("ConsoleWindowClass", CONHOST_MODE, False), {}),
    # `start cmd` from Windows Terminal: a legacy conhost that inherited WT_SESSION.
    "legacy console, WT_SESSION inherited": (
        ConsoleFacts("ConsoleWindowClass", CONHOST_MODE, False),
        {"WT_SESSION": "x"},
    ),
    "output redirected": (ConsoleFacts(), {}),
    "helpdesk asks for ASCII": (
        ConsoleFacts("PseudoConsoleWindow", 0x7, True),
        {"DIAGWIZARD_CONSOLE": "ascii"},
    ),
}
EXPECTED = {
    "Windows 11, double-click": ConsoleKind.TERMINAL,
    "Windows Terminal": ConsoleKind.TERMINAL,
    "VS Code terminal": ConsoleKind.TERMINAL,
    "Windows 10, double-click": ConsoleKind.CONHOST,
    "legacy console": ConsoleKind.LEGACY,
    "legacy console, WT_SESSION inherited": ConsoleKind.LEGACY,
    "output redirected": ConsoleKind.NONE,
    "helpdesk asks for ASCII": ConsoleKind.CONHOST,
}


@pytest.mark.parametrize("console", sorted(CONSOLES))
def test_the_console_decides_how_the_wizard_is_drawn(console: str) -> None:
    facts, environ = CONSOLES[console]
    assert console_kind(facts, environ) is EXPECTED[console]


class FakeConsole:
    """kernel32's and user32's console calls; ``vt`` is whether SetConsoleMode accepts
    ENABLE_VIRTUAL_TERMINAL_PROCESSING (the legacy console refuses it)."""

    def __init__(self, mode: int | None, vt: bool, window_class: str) -> None:
        self.mode, self.vt, self.window_class = mode, vt, window_class
        self.set_calls: list[int] = []

    def GetStdHandle(self, which):
        return 0x50

    def GetConsoleMode(self, handle, pmode):
        if self.mode is None:
            return 0  # not a console: a pipe or a file
        pmode._obj.value = self.mode
        return 1

    def SetConsoleMode(self, handle, mode):
        self.set_calls.append(mode)
        if mode & ENABLE_VIRTUAL_TERMINAL_PROCESSING and not self.vt:
            return 0  # ERROR_INVALID_PARAMETER
        return 1

    def GetConsoleWindow(self):
        return 0x60 if self.window_class else 0

    def GetClassNameW(self, window, buf, size):
        name = self.window_class.encode("utf-16-le")
        buf[: len(name)] = name
        return len(self.window_class)


@pytest.mark.parametrize(
    ("mode", "vt", "window", "facts"),
    [
        (CONHOST_MODE, True, "ConsoleWindowClass", ConsoleFacts("ConsoleWindowClass", 3, True)),
        (CONHOST_MODE, False, "ConsoleWindowClass", ConsoleFacts("ConsoleWindowClass", 3, False)),
        (0x7, True, "PseudoConsoleWindow", ConsoleFacts("PseudoConsoleWindow", 7, True)),
        (None, False, "", ConsoleFacts()),
    ],
)
def test_console_facts_are_read_and_the_mode_left_as_found(
    mode: int | None, vt: bool, window: str, facts: ConsoleFacts
) -> None:
    fake = FakeConsole(mode, vt, window)
    assert read_console(fake, fake) == facts
    if mode is not None and not mode & ENABLE_VIRTUAL_TERMINAL_PROCESSING:
        tried = mode | ENABLE_VIRTUAL_TERMINAL_PROCESSING
        assert fake.set_calls == ([tried, mode] if vt else [tried])  # restored if changed


def test_every_ambiguous_character_has_a_one_cell_ascii_stand_in() -> None:
    table = ambiguous_table()
    assert all(len(v) == 1 and v.isascii() and v.isprintable() for v in table.values())
    frame = "╭─┬─╮│├┼┤╰┴╯┃━"
    assert frame.translate(table) == "+-+-+|++++++|-"
    assert "…→·✔".translate(table) == ".>.✔"  # ✔ is narrow everywhere: kept
    assert "憑證".translate(table) == "憑證"  # wide for everyone: kept


# -- for real, in a terminal ---------------------------------------------------------------

tmux_only = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is part of the stack")


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=False).stdout


def run_in_tmux(session: str, console: str, tmp_path: Path, until: str) -> str:
    tmux("kill-session", "-t", session)
    command = (
        f"cd {tmp_path} && DIAGWIZARD_CONSOLE={console} DIAGWIZARD_CONFIG={LOOPBACK_CONFIG} "
        f"LANG=C.UTF-8 {sys.executable} -m diagwizard; sleep 30"
    )
    tmux("new-session", "-d", "-s", session, "-x", "80", "-y", "24", command)
    deadline = time.monotonic() + 30
    shown = ""
    while time.monotonic() < deadline:
        shown = tmux("capture-pane", "-p", "-J", "-S", "-200", "-t", session)
        if until in shown:
            return shown
        time.sleep(0.2)
    raise AssertionError(f"{until!r} never appeared:\n{shown}")


@tmux_only
def test_the_wizard_in_a_classic_console_is_drawn_in_ascii(tmp_path: Path) -> None:
    session = "diagwizard-ascii"
    try:
        shown = run_in_tmux(session, "ascii", tmp_path, "全面檢查")
        deadline = time.monotonic() + 10
        while "舊式主控台" not in shown and time.monotonic() < deadline:
            time.sleep(0.2)
            shown = tmux("capture-pane", "-p", "-t", session)
        assert CONSOLE_ASCII.zh[:8] in shown  # the note says why, and what to do
        ambiguous = {c for c in shown if unicodedata.east_asian_width(c) == "A"}
        assert not ambiguous, ambiguous
        assert "+" in shown and "-" in shown  # the frames are there, in ASCII
        tmux("send-keys", "-t", session, "q")
    finally:
        tmux("kill-session", "-t", session)


@tmux_only
def test_a_legacy_console_gets_the_plain_check_and_says_why(tmp_path: Path) -> None:
    session = "diagwizard-plain"
    try:
        shown = run_in_tmux(session, "plain", tmp_path, "DW2-")  # the check ends on its code
        assert CONSOLE_LEGACY.zh[:12] in shown
        assert "作業系統" in shown  # the check's own lines, as `diagwizard check` prints them
        assert "您想要做什麼" not in shown  # and no wizard
    finally:
        tmux("kill-session", "-t", session)
