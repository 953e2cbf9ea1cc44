"""Windows system programs, run the way an agency machine needs them run.

* By full path in System32 (``GetSystemDirectoryW``), never through the search path,
  which starts with the program's own folder (often Downloads): a planted ``sc.exe``
  there would otherwise run, as administrator when elevated.
* Their output read as bytes and decoded with the console (OEM) code page they write
  in, e.g. cp950 on a zh-TW display (:func:`run`).
* Elevated one command at a time (:func:`run_elevated`): Windows asks the person
  (UAC) for that single command; diagwizard itself never runs as administrator, which
  PyInstaller's one-file programs must not.
"""

from __future__ import annotations

import ctypes
import subprocess
from collections.abc import Callable, Sequence
from pathlib import PureWindowsPath
from typing import Any

from diagwizard.system.adapters import winapi
from diagwizard.system.adapters.commands import CommandResult, run_command

DEFAULT_SYSTEM_DIR = PureWindowsPath(r"C:\Windows\System32")
ERROR_CANCELLED = 1223  # the person answered "No" in the UAC prompt
WAIT_TIMEOUT = 0x102


def system_dir() -> PureWindowsPath:
    """System32 as Windows reports it (``GetSystemDirectoryW``); the usual place where
    it cannot be asked (not Windows)."""
    try:
        kernel32 = winapi.load("kernel32")
    except (AttributeError, OSError):
        return DEFAULT_SYSTEM_DIR
    buf = ctypes.create_string_buffer(2 * 520)
    length = kernel32.GetSystemDirectoryW(buf, 520)
    if not 0 < length < 520:
        return DEFAULT_SYSTEM_DIR
    return PureWindowsPath(buf.raw[: 2 * length].decode("utf-16-le"))


def oem_encoding() -> str:
    """The console (OEM) code page console programs write in, e.g. "cp950"."""
    try:
        return f"cp{winapi.load('kernel32').GetOEMCP()}"
    except (AttributeError, OSError):
        return "utf-8"


def ansi_code_page() -> int | None:
    """The ANSI code page ``LoadLibraryA`` reads paths in (950 on zh-TW; 65001 where
    "Beta: Use Unicode UTF-8" is on); None where it cannot be asked."""
    try:
        return int(winapi.load("kernel32").GetACP())
    except (AttributeError, OSError):
        return None


def short_path(path: str) -> str:
    """The 8.3 short form of an existing path (``GetShortPathNameW``); "" when the
    volume keeps no short names or the call fails."""
    try:
        kernel32 = winapi.load("kernel32")
    except (AttributeError, OSError):
        return ""
    size = 1024
    buf = ctypes.create_string_buffer(2 * size)
    length = kernel32.GetShortPathNameW(path, buf, size)
    if not 0 < length < size:
        return ""
    return buf.raw[: 2 * length].decode("utf-16-le")


def is_admin() -> bool | None:
    """Whether this process runs elevated (``IsUserAnAdmin``); None where unknown."""
    try:
        return bool(winapi.load("shell32").IsUserAnAdmin())
    except (AttributeError, OSError):
        return None


def run(argv: Sequence[str], timeout: float = 30.0) -> CommandResult:
    """Run a console program; its output decoded with the OEM code page."""
    return run_command(argv, timeout, oem_encoding())


class ElevationDeclined(Exception):
    """The person answered "No" in Windows' permission prompt: nothing ran."""


class ShellExecuteInfo(ctypes.Structure):
    """SHELLEXECUTEINFOW (112 bytes on 64-bit Windows)."""

    _fields_ = [
        ("cbSize", winapi.DWORD),
        ("fMask", winapi.ULONG),
        ("hwnd", winapi.HANDLE),
        ("lpVerb", winapi.LPCWSTR),
        ("lpFile", winapi.LPCWSTR),
        ("lpParameters", winapi.LPCWSTR),
        ("lpDirectory", winapi.LPCWSTR),
        ("nShow", winapi.INT),
        ("hInstApp", winapi.HANDLE),
        ("lpIDList", winapi.PVOID),
        ("lpClass", winapi.LPCWSTR),
        ("hkeyClass", winapi.HANDLE),
        ("dwHotKey", winapi.DWORD),
        ("hIconOrMonitor", winapi.HANDLE),
        ("hProcess", winapi.HANDLE),
    ]


COINIT_APARTMENTTHREADED = 0x2
COINIT_DISABLE_OLE1DDE = 0x4
SEE_MASK_NOCLOSEPROCESS = 0x00000040  # give us the process handle, to wait on
SEE_MASK_NOASYNC = 0x00000100  # finish before returning
SEE_MASK_FLAG_NO_UI = 0x00000400  # errors come back to us, no message box
SW_HIDE = 0


def error_text(code: int) -> str:
    """Windows' own words for an exit code that is a Win32 error or HRESULT, in the
    display language; "" where there are none."""
    format_error = getattr(ctypes, "FormatError", None)
    if format_error is None or not code:
        return ""
    text = str(format_error(code & 0xFFFFFFFF)).strip()
    return "" if text.startswith("<no description") else text


def run_elevated(
    argv: Sequence[str],
    timeout: float = 60.0,
    *,
    shell32: Any = None,
    kernel32: Any = None,
    ole32: Any = None,
    last_error: Callable[[], int] = winapi.last_error,
) -> CommandResult:
    """Run one program as administrator: Windows shows its permission prompt (UAC) for
    exactly this command line; wait for it and return its exit code. An elevated
    program's output cannot be read, so a failure is described by Windows' text for
    its exit code. Raises :class:`ElevationDeclined` if the person says no.

    ShellExecuteEx may hand the verb to a Shell extension, so COM is set up on this
    thread first (single-threaded apartment, as its documentation asks).
    ``shell32``, ``kernel32``, ``ole32`` and ``last_error`` are seams for tests."""
    ole32 = ole32 or winapi.load("ole32")
    # S_OK, or S_FALSE when this thread had COM already: either is undone once at the end.
    com = ole32.CoInitializeEx(None, COINIT_APARTMENTTHREADED | COINIT_DISABLE_OLE1DDE) in (0, 1)
    try:
        return _shell_execute_runas(
            argv,
            timeout,
            shell32 or winapi.load("shell32"),
            kernel32 or winapi.load("kernel32"),
            last_error,
        )
    finally:
        if com:
            ole32.CoUninitialize()


def _shell_execute_runas(
    argv: Sequence[str],
    timeout: float,
    shell32: Any,
    kernel32: Any,
    last_error: Callable[[], int],
) -> CommandResult:
    info = ShellExecuteInfo()
    info.cbSize = ctypes.sizeof(ShellExecuteInfo)
    info.fMask = SEE_MASK_NOCLOSEPROCESS | SEE_MASK_NOASYNC | SEE_MASK_FLAG_NO_UI
    info.hwnd = kernel32.GetConsoleWindow()  # the prompt comes to the front of this window
    info.lpVerb = "runas"
    info.lpFile = str(argv[0])
    info.lpParameters = subprocess.list2cmdline(list(argv[1:]))
    info.nShow = SW_HIDE
    if not shell32.ShellExecuteExW(ctypes.byref(info)):
        code = last_error()
        if code == ERROR_CANCELLED:
            raise ElevationDeclined(argv[0])
        return CommandResult(126, "", error_text(code) or f"ShellExecuteExW failed ({code})")
    if not info.hProcess:
        return CommandResult(126, "", "no process handle")
    try:
        if kernel32.WaitForSingleObject(info.hProcess, int(timeout * 1000)) == WAIT_TIMEOUT:
            return CommandResult(124, "", f"no answer within {timeout:.0f} s")
        status = ctypes.c_uint32(0)
        if not kernel32.GetExitCodeProcess(info.hProcess, ctypes.byref(status)):
            return CommandResult(126, "", "exit code unknown")
    finally:
        kernel32.CloseHandle(info.hProcess)
    exit_code = ctypes.c_int32(status.value).value  # as the program returned it
    return CommandResult(exit_code, "", error_text(exit_code))
