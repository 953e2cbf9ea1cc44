"""Windows OS access. Windows-only imports stay inside the methods that need them.

Commands and services are reached through two small seams (``_service_status`` and
``_run``), so tests can feed recorded Windows answers through the same parsing code.
"""

from __future__ import annotations

import platform
import re
import subprocess
from collections.abc import Callable

from diagwizard.adapters.base import OsAdapter, ReaderDevice, ServiceState

SCARD_SERVICE = "SCardSvr"
ServiceStatus = Callable[[str], str | None]  # name -> "running"/"stopped"/... or None if missing
Runner = Callable[[list[str]], str]


def _psutil_service_status(name: str) -> str | None:
    import psutil

    try:
        return str(psutil.win_service_get(name).status())
    except psutil.NoSuchProcess:
        return None


def _run_command(argv: list[str]) -> str:
    return subprocess.run(argv, capture_output=True, text=True, timeout=10, check=False).stdout


def parse_pnputil_readers(output: str) -> list[ReaderDevice]:
    """Parse ``pnputil /enum-devices /class SmartCardReader`` (Windows 10 2004+)."""
    devices = []
    for block in re.split(r"\r?\n\s*\r?\n", output):
        fields = dict(
            (k.strip().lower(), v.strip())
            for k, v in (line.split(":", 1) for line in block.splitlines() if ":" in line)
        )
        desc = fields.get("device description")
        if not desc:
            continue
        usb = re.search(r"VID_([0-9A-F]{4})&PID_([0-9A-F]{4})", fields.get("instance id", ""), re.I)
        problem = fields.get("problem code", "")
        status = fields.get("status", "")
        if not problem and status and status.lower() not in ("started", "running"):
            problem = status
        devices.append(
            ReaderDevice(desc, f"{usb.group(1)}:{usb.group(2)}".lower() if usb else "", problem)
        )
    return devices


class WindowsAdapter(OsAdapter):
    system = "windows"

    def __init__(
        self, service_status: ServiceStatus = _psutil_service_status, run: Runner = _run_command
    ) -> None:
        self._service_status = service_status
        self._run = run

    def os_name(self) -> str:
        release, version, _csd, _ptype = platform.win32_ver()
        edition = platform.win32_edition() if hasattr(platform, "win32_edition") else ""
        return " ".join(p for p in ("Windows", release, edition, version) if p)

    def is_admin(self) -> bool | None:
        try:
            import ctypes

            return bool(ctypes.windll.shell32.IsUserAnAdmin())  # type: ignore[attr-defined]
        except (AttributeError, OSError):
            return None

    def pcsc_service(self) -> ServiceState:
        status = self._service_status(SCARD_SERVICE)
        if status is None:
            return ServiceState(False, False, detail="SCardSvr not installed")
        return ServiceState(True, status == "running", detail=f"SCardSvr {status}")

    def reader_devices(self) -> list[ReaderDevice] | None:
        try:
            out = self._run(["pnputil", "/enum-devices", "/class", "SmartCardReader"])
        except (OSError, subprocess.SubprocessError):
            return None
        return parse_pnputil_readers(out)
