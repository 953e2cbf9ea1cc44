"""What kind of console window the program was started in (Windows), before the wizard
draws anything.

* A modern terminal (Windows Terminal, also when Windows 11 hands a double-clicked
  program to it; VS Code; ConEmu): escape codes and Unicode frames work.
* The classic console window (conhost) with escape codes: it draws box-drawing and other
  East Asian "ambiguous" characters as wide as the font draws them, and the zh-TW fonts
  draw them full-width, so frames break: the wizard draws with ASCII instead.
* The legacy console ("Use legacy console" ticked, or a Windows before 10): no escape
  codes at all; the wizard would fill the window with them.

How it tells: ``WT_SESSION`` (set by Windows Terminal for what it starts) or another
terminal's own variable; the console window's class, which is ``PseudoConsoleWindow``
for every ConPTY terminal (this covers Windows 11's hand-off, where ``WT_SESSION`` is not
set); and whether ``ENABLE_VIRTUAL_TERMINAL_PROCESSING`` can be set on the output
(restored afterwards). :func:`read_console` asks Windows; :func:`console_kind` decides
from those facts, so tests give recorded ones.
"""

from __future__ import annotations

import ctypes
import enum
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from diagwizard.system.adapters import winapi

ENABLE_VIRTUAL_TERMINAL_PROCESSING = 0x0004
STD_OUTPUT_HANDLE = 0xFFFFFFF5  # (DWORD)-11
PSEUDO_CONSOLE_CLASS = "PseudoConsoleWindow"
# Variables modern terminals set for the programs they start.
TERMINAL_VARIABLES = ("WT_SESSION", "TERM_PROGRAM", "ConEmuPID", "ALACRITTY_WINDOW_ID")
# The person's (or helpdesk's) choice, over what is detected.
OVERRIDE = "DIAGWIZARD_CONSOLE"


class ConsoleKind(enum.StrEnum):
    TERMINAL = "full"  # the full wizard
    CONHOST = "ascii"  # the wizard drawn with ASCII, and a note
    LEGACY = "plain"  # the plain check output, and a note
    NONE = "none"  # not a console (redirected): no wizard


@dataclass(frozen=True)
class ConsoleFacts:
    window_class: str = ""  # class of GetConsoleWindow(); "" when there is none
    mode: int | None = None  # GetConsoleMode of the output; None: not a console
    vt_settable: bool = False  # SetConsoleMode(mode | VT) was accepted


def read_console(kernel32: Any = None, user32: Any = None) -> ConsoleFacts:
    """Ask Windows about this process's console; the mode is left as it was found.
    ``kernel32`` and ``user32`` are seams for tests."""
    kernel32 = kernel32 or winapi.load("kernel32")
    user32 = user32 or winapi.load("user32")
    handle = kernel32.GetStdHandle(STD_OUTPUT_HANDLE)
    mode = ctypes.c_uint32(0)
    if not handle or not kernel32.GetConsoleMode(handle, ctypes.byref(mode)):
        return ConsoleFacts()
    window, name = kernel32.GetConsoleWindow(), ""
    if window:
        buf = ctypes.create_string_buffer(2 * 256)
        length = user32.GetClassNameW(window, buf, 256)
        name = buf.raw[: 2 * max(length, 0)].decode("utf-16-le", "replace")
    settable = bool(mode.value & ENABLE_VIRTUAL_TERMINAL_PROCESSING)
    if not settable and kernel32.SetConsoleMode(
        handle, mode.value | ENABLE_VIRTUAL_TERMINAL_PROCESSING
    ):
        settable = True
        kernel32.SetConsoleMode(handle, mode.value)
    return ConsoleFacts(name, mode.value, settable)


def chosen(environ: Mapping[str, str]) -> ConsoleKind | None:
    """The kind named in ``DIAGWIZARD_CONSOLE`` (full, ascii or plain), if any."""
    value = environ.get(OVERRIDE, "").strip().lower()
    return next((k for k in ConsoleKind if k.value == value and k is not ConsoleKind.NONE), None)


def console_kind(facts: ConsoleFacts, environ: Mapping[str, str]) -> ConsoleKind:
    override = chosen(environ)
    if override is not None:
        return override
    if facts.mode is None:
        return ConsoleKind.NONE
    if not facts.vt_settable:
        return ConsoleKind.LEGACY
    if facts.window_class == PSEUDO_CONSOLE_CLASS or any(
        environ.get(v) for v in TERMINAL_VARIABLES
    ):
        return ConsoleKind.TERMINAL
    return ConsoleKind.CONHOST


def current(environ: Mapping[str, str] | None = None) -> ConsoleKind:
    """This process's console, as the wizard should treat it; elsewhere than Windows a
    terminal (unless ``DIAGWIZARD_CONSOLE`` says otherwise)."""
    environ = os.environ if environ is None else environ
    if sys.platform != "win32":
        return chosen(environ) or ConsoleKind.TERMINAL
    try:
        facts = read_console()
    except (AttributeError, OSError):  # could not ask: the frames that hold everywhere
        facts = ConsoleFacts("", 0, True)
    return console_kind(facts, environ)
