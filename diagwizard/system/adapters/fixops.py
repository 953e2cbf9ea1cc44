"""The narrow OS adapter for fixes: the exact commands a fix runs, and running them.

A fix's plan holds the commands this adapter gives it, so what is shown before asking is
exactly what runs. Commands go through one seam (``run``): the real one runs them; tests
on Windows and macOS record them and answer like the OS would.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Sequence
from pathlib import Path, PureWindowsPath
from typing import TYPE_CHECKING, Any, Protocol

from diagwizard.core.errors import FixFailed
from diagwizard.core.words import fixes as words
from diagwizard.system.adapters import wincommand, winservice
from diagwizard.system.adapters.commands import (
    CommandResult,
    CommandRunner,
    run_command,
    shown,
)

if TYPE_CHECKING:
    from diagwizard.system.adapters.base import OsAdapter

__all__ = ["CommandResult", "CommandRunner", "FixOps", "run_command", "shown"]

Command = tuple[str, ...]

FAILED = words.COMMAND_FAILED


class CertEditor(Protocol):
    """Removing and restoring certificates in the personal store (Windows)."""

    def delete(self, thumbprint: str) -> str:
        """Remove it; return its serialised store element (base64) for :meth:`restore`."""
        ...

    def restore(self, element_b64: str) -> None:
        """Put a removed certificate back with all its properties (its key link too)."""
        ...

    def add(self, der_b64: str, friendly_name: str = "") -> None:
        """Put back a certificate removed by an older version (only its bytes and name)."""
        ...

    def clear_friendly_name(self, thumbprint: str) -> None: ...


class FixOps:
    """Default: nothing can be fixed here; platforms override what they can do."""

    system = "unknown"
    # Whether a command that needs administrator rights can be run from an unelevated
    # program (Windows asks for each one); elsewhere such a fix asks for sudo instead.
    elevates = False

    def __init__(self, run: CommandRunner = run_command) -> None:
        self._run = run

    def run(self, command: Command, ok_codes: tuple[int, ...] = (0,)) -> CommandResult:
        return self.checked(command, self._run(command), ok_codes)

    @staticmethod
    def checked(command: Command, res: CommandResult, ok_codes: tuple[int, ...]) -> CommandResult:
        """``res``, or FixFailed naming the command and its last line of output."""
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

    def service_at_boot(self) -> bool:
        """Whether :meth:`service_start` also makes the service start at every boot."""
        return False

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

    def service_at_boot(self) -> bool:
        return self.systemd  # enabled with systemctl; a bare pcscd lasts this session only

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


# psutil's start type -> the word ``sc config ... start=`` takes.
SC_START_TYPES = {"automatic": "auto", "manual": "demand", "disabled": "disabled"}
SCARD_SERVICE = "SCardSvr"
ERROR_SERVICE_ALREADY_RUNNING = 1056  # "sc start" on a running service: the goal reached


class WindowsFixOps(FixOps):
    """System programs by their full System32 path, each change elevated on its own.

    diagwizard never runs as administrator: when it is not, every command here (each
    one changes the system) is started through Windows' permission prompt, one command
    at a time (:func:`wincommand.run_elevated`). The seams (``run``, ``elevate``,
    ``is_admin``, ``start_type``, ``system_dir``) let tests answer like Windows would.
    """

    system = "windows"
    elevates = True

    def __init__(
        self,
        run: CommandRunner = wincommand.run,
        cert_editor: CertEditor | None = None,
        *,
        elevate: CommandRunner = wincommand.run_elevated,
        is_admin: Callable[[], bool | None] = wincommand.is_admin,
        start_type: Callable[[str], str | None] = winservice.start_type,
        system_dir: PureWindowsPath | None = None,
    ) -> None:
        super().__init__(run)
        self._editor = cert_editor
        self._elevate = elevate
        self._is_admin = is_admin
        self._start_type = start_type
        self.system_dir = system_dir or wincommand.system_dir()

    def program(self, name: str) -> str:
        """A system program's full path, e.g. C:\\Windows\\System32\\sc.exe."""
        return str(self.system_dir / f"{name}.exe")

    def service_start_type(self) -> str:
        try:
            start = self._start_type(SCARD_SERVICE)
        except Exception:  # the service API refused (psutil.AccessDenied...): not known
            return ""
        return SC_START_TYPES.get(start or "", "")

    def service_undo(self, start_type: str) -> list[Command]:
        # Only a start type sc knows goes on the command line (undo comes from a log).
        if start_type not in SC_START_TYPES.values():
            return []
        return [(self.program("sc"), "config", SCARD_SERVICE, "start=", start_type)]

    def service_at_boot(self) -> bool:
        return True  # the start type is set to automatic

    def service_start(self) -> list[Command]:
        sc = self.program("sc")
        return [(sc, "config", SCARD_SERVICE, "start=", "auto"), (sc, "start", SCARD_SERVICE)]

    def run(self, command: Command, ok_codes: tuple[int, ...] = (0,)) -> CommandResult:
        if command[:2] == (self.program("sc"), "start"):
            ok_codes = (*ok_codes, ERROR_SERVICE_ALREADY_RUNNING)
        if self._is_admin() is not False:
            return super().run(command, ok_codes)
        try:
            res = self._elevate(command)
        except wincommand.ElevationDeclined:
            raise FixFailed(words.ELEVATION_DECLINED, command=shown(command)) from None
        return self.checked(command, res, ok_codes)

    def time_sync(self) -> list[Command]:
        # w32tm /resync needs the time service running ("sc start" on a running one is fine).
        return [(self.program("sc"), "start", "w32time"), (self.program("w32tm"), "/resync")]

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
