"""Running a system program and reading what it said, on any platform.

Output is always read as bytes and decoded here, with the encoding the program writes
in and undecodable bytes replaced: a Windows console program writes the OEM code page
(cp950 on a zh-TW display), which Python's own ``text=True`` would read as UTF-8 in
UTF-8 mode, and a decode error would lose the whole output.
"""

from __future__ import annotations

import shlex
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import PureWindowsPath


@dataclass(frozen=True)
class CommandResult:
    code: int
    out: str = ""
    err: str = ""


CommandRunner = Callable[[Sequence[str]], CommandResult]


def decode(data: bytes | None, encoding: str) -> str:
    """A program's output as text; bytes the encoding cannot read become U+FFFD."""
    try:
        return (data or b"").decode(encoding, "replace")
    except LookupError:  # a code page Python does not know
        return (data or b"").decode("ascii", "replace")


def run_command(
    argv: Sequence[str], timeout: float = 30.0, encoding: str = "utf-8"
) -> CommandResult:
    """Run ``argv`` (no shell); its exit code and output, decoded with ``encoding``."""
    try:
        proc = subprocess.run(list(argv), capture_output=True, timeout=timeout, check=False)
    except FileNotFoundError:
        return CommandResult(127, "", f"{argv[0]}: not found")
    except subprocess.TimeoutExpired:
        return CommandResult(124, "", f"no answer within {timeout:.0f} s")
    except OSError as exc:
        return CommandResult(126, "", str(exc))
    return CommandResult(
        proc.returncode, decode(proc.stdout, encoding), decode(proc.stderr, encoding)
    )


def is_windows_command(command: Sequence[str]) -> bool:
    """A command whose program is a full Windows path (``C:\\Windows\\System32\\sc.exe``)."""
    return bool(command) and bool(PureWindowsPath(command[0]).drive)


def shown(command: Sequence[str]) -> str:
    """A command as a person would type it: quoted the way cmd.exe reads it for a
    Windows program, the way a POSIX shell does otherwise."""
    if is_windows_command(command):
        return subprocess.list2cmdline(list(command))
    return " ".join(shlex.quote(part) for part in command)
