"""The narrow OS adapter for fixes: the exact commands a fix runs, and running them.

A fix's plan holds the commands this adapter gives it, so what is shown before asking is
exactly what runs. Commands go through one seam (``run``): the real one runs them; tests
on Windows and macOS record them and answer like the OS would.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from diagwizard.core.errors import FixFailed
from diagwizard.core.words import fixes as words


def shown(command: Sequence[str]) -> str:
    """A command as a person would type it (quoted where needed)."""
    return " ".join(shlex.quote(part) for part in command)

if TYPE_CHECKING:
    from diagwizard.system.adapters.base import OsAdapter

Command = tuple[str, ...]


@dataclass(frozen=True)
class CommandResult:
    code: int
    out: str = ""
    err: str = ""


CommandRunner = Callable[[Sequence[str]], CommandResult]

FAILED = words.COMMAND_FAILED


def run_command(argv: Sequence[str], timeout: float = 30.0) -> CommandResult:
    try:
        proc = subprocess.run(
            list(argv), capture_output=True, text=True, timeout=timeout, check=False
        )
    except FileNotFoundError:
        return CommandResult(127, "", f"{argv[0]}: not found")
    except subprocess.TimeoutExpired:
        return CommandResult(124, "", f"no answer within {timeout:.0f} s")
    except OSError as exc:
        return CommandResult(126, "", str(exc))
    return CommandResult(proc.returncode, proc.stdout, proc.stderr)


class CertEditor(Protocol):
    """Removing and restoring certificates in the personal store (Windows)."""

    def delete(self, thumbprint: str) -> None: ...

    def add(self, der_b64: str, friendly_name: str = "") -> None: ...

    def clear_friendly_name(self, thumbprint: str) -> None: ...


class FixOps:
    """Default: nothing can be fixed here; platforms override what they can do."""

    system = "unknown"

    def __init__(self, run: CommandRunner = run_command) -> None:
        self._run = run

    def run(self, command: Command, ok_codes: tuple[int, ...] = (0,)) -> CommandResult:
        res = self._run(command)
        if res.code not in ok_codes:
            err = (res.err or res.out).strip().splitlines()
            raise FixFailed(
                FAILED, code=res.code, command=shown(command), err=err[-1] if err else ""
            )
        return res

    def run_all(self, commands: Sequence[Sequence[str]]) -> None:
        for command in commands:
            self.run(tuple(command))

    # -- smart-card service -------------------------------------------------------------
    def service_start(self) -> list[Command]:
        return []

    def service_started(self) -> None:
        """Wait (briefly, bounded) until a just-started service accepts connections."""

    def service_start_type(self) -> str:
        """How the service starts today ("disabled", "demand"...); "" where not tracked."""
        return ""

    def service_undo(self, start_type: str) -> list[Command]:
        return []

    # -- clock --------------------------------------------------------------------------
    def time_sync(self) -> list[Command]:
        return []

    def time_sync_undo(self) -> list[Command]:
        return []

    def time_sync_on(self) -> bool | None:
        """Whether network time sync is already on; None where not known."""
        return None

    # -- browser NSS databases (Linux) --------------------------------------------------
    def nss_tools(self) -> bool:
        return False

    def nss_add(self, db: str, name: str, library: str) -> Command:
        return ("modutil", "-dbdir", f"sql:{db}", "-add", name, "-libfile", library, "-force")

    def nss_delete(self, db: str, name: str) -> Command:
        return ("modutil", "-dbdir", f"sql:{db}", "-delete", name, "-force")

    # -- Windows personal store ---------------------------------------------------------
    def cert_editor(self) -> CertEditor | None:
        return None


class LinuxFixOps(FixOps):
    system = "linux"
    SOCKET = Path("/run/pcscd/pcscd.comm")
    PCSCD = ("/usr/sbin/pcscd", "/usr/bin/pcscd", "/usr/local/sbin/pcscd")

    def __init__(
        self,
        run: CommandRunner = run_command,
        systemd: bool | None = None,
        socket: Path | None = None,
    ) -> None:
        super().__init__(run)
        # systemd is the service manager only where it booted the machine.
        self.systemd = Path("/run/systemd/system").is_dir() if systemd is None else systemd
        self.socket = socket or self.SOCKET

    def service_start(self) -> list[Command]:
        if self.systemd:
            return [("systemctl", "enable", "--now", "pcscd.socket")]
        binary = shutil.which("pcscd") or next((p for p in self.PCSCD if Path(p).exists()), "")
        # No service manager (containers, minimal installs): pcscd starts itself as a daemon.
        return [(binary,)] if binary else []

    def service_started(self) -> None:
        deadline = time.monotonic() + 5.0
        while not self.socket.exists() and time.monotonic() < deadline:
            time.sleep(0.05)

    def time_sync(self) -> list[Command]:
        return [("timedatectl", "set-ntp", "true")]

    def time_sync_undo(self) -> list[Command]:
        return [("timedatectl", "set-ntp", "false")]

    def time_sync_on(self) -> bool | None:
        res = self._run(("timedatectl", "show", "--property=NTP", "--value"))
        return {"yes": True, "no": False}.get(res.out.strip()) if res.code == 0 else None

    def nss_tools(self) -> bool:
        return shutil.which("modutil") is not None


SC_START_TYPES = {"2": "auto", "3": "demand", "4": "disabled"}


def parse_sc_start_type(text: str) -> str:
    """``sc qc NAME``: "START_TYPE : 4 DISABLED" → "disabled" ("" if not found)."""
    m = re.search(r"START_TYPE\s*:\s*(\d+)", text)
    return SC_START_TYPES.get(m.group(1), "") if m else ""


class WindowsFixOps(FixOps):
    system = "windows"

    def __init__(
        self, run: CommandRunner = run_command, cert_editor: CertEditor | None = None
    ) -> None:
        super().__init__(run)
        self._editor = cert_editor

    def service_start_type(self) -> str:
        return parse_sc_start_type(self._run(("sc", "qc", "SCardSvr")).out)

    def service_undo(self, start_type: str) -> list[Command]:
        # Only a start type sc knows goes on the command line (undo comes from a log).
        if start_type not in SC_START_TYPES.values():
            return []
        return [("sc", "config", "SCardSvr", "start=", start_type)]

    def service_start(self) -> list[Command]:
        return [("sc", "config", "SCardSvr", "start=", "auto"), ("sc", "start", "SCardSvr")]

    def run(self, command: Command, ok_codes: tuple[int, ...] = (0,)) -> CommandResult:
        # sc start on a service that already runs answers 1056: that is the goal reached.
        if command[:2] == ("sc", "start"):
            ok_codes = (*ok_codes, 1056)
        return super().run(command, ok_codes)

    def time_sync(self) -> list[Command]:
        # w32tm /resync needs the time service running ("sc start" on a running one is fine).
        return [("sc", "start", "w32time"), ("w32tm", "/resync")]

    def cert_editor(self) -> CertEditor | None:
        if self._editor is None:
            from diagwizard.system.adapters.crypt32_edit import Crypt32Editor  # lazy: Windows only

            self._editor = Crypt32Editor()
        return self._editor


class MacFixOps(FixOps):
    system = "macos"

    def time_sync(self) -> list[Command]:
        return [("systemsetup", "-setusingnetworktime", "on")]

    def time_sync_undo(self) -> list[Command]:
        return [("systemsetup", "-setusingnetworktime", "off")]

    def time_sync_on(self) -> bool | None:
        out = self._run(("systemsetup", "-getusingnetworktime")).out  # "Network Time: On"
        state = out.strip().rpartition(":")[2].strip().lower()
        return {"on": True, "off": False}.get(state)


def for_adapter(os_adapter: OsAdapter, **kwargs: Any) -> FixOps:
    """The fix adapter for the platform the OS adapter stands for."""
    cls = {"linux": LinuxFixOps, "windows": WindowsFixOps, "macos": MacFixOps}.get(
        os_adapter.system, FixOps
    )
    return cls(**kwargs)
