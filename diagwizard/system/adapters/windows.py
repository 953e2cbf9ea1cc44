"""Windows OS access. Windows-only imports stay inside the functions that need them.

Services, commands, the registry and WinHTTP are reached through small seams (constructor
arguments), so tests feed documented Windows answers through the same parsing code.
Nothing here parses localized text: devices come from WMI as JSON with numeric codes.
"""

from __future__ import annotations

import ctypes
import importlib
import json
import os
import platform
import re
import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import psutil

from diagwizard.system.adapters.base import (
    InstalledProduct,
    OsAdapter,
    OsProxy,
    ReaderDevice,
    ServiceState,
)
from diagwizard.system.adapters.certstore import Crypt32Store, StoreBackend
from diagwizard.system.adapters.winproxy import IeProxyConfig, current_user_ie_proxy, ie_proxy

SCARD_SERVICE = "SCardSvr"
ServiceStatus = Callable[[str], str | None]  # name -> "running"/"stopped"/... or None if missing
StartType = Callable[[str], str | None]  # name -> "automatic"/"manual"/"disabled"
Runner = Callable[[list[str]], str]
UninstallReader = Callable[[], list[dict[str, str]]]
IeProxyReader = Callable[[], IeProxyConfig]

UNINSTALL_KEY = r"SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall"
LIBRARY_NAMES = {"hicos": "HiCOSPKCS11.dll", "safesign": "aetpkss1.dll"}
WINDOWS_11_BUILD = 22000  # Windows 11 still reports release "10"; the build tells


def windows_release(release: str, version: str) -> str:
    """ "11" for builds ≥ 22000 (``platform.win32_ver`` says "10" there on Python 3.11)."""
    try:
        build = int(version.split(".")[2])
    except (IndexError, ValueError):
        return release
    return "11" if release == "10" and build >= WINDOWS_11_BUILD else release


def _read_uninstall_registry(winreg: Any = None) -> list[dict[str, str]]:
    """DisplayName/DisplayVersion/InstallLocation of every installed program.

    HKLM is read in both registry views explicitly (KEY_WOW64_64KEY and KEY_WOW64_32KEY),
    so a 32-bit Python on 64-bit Windows still sees 64-bit programs and vice versa.
    """
    if winreg is None:
        winreg = importlib.import_module("winreg")  # Windows only
    read = winreg.KEY_READ
    sources = [
        (winreg.HKEY_LOCAL_MACHINE, read | winreg.KEY_WOW64_64KEY),
        (winreg.HKEY_LOCAL_MACHINE, read | winreg.KEY_WOW64_32KEY),
        (winreg.HKEY_CURRENT_USER, read),
    ]
    entries: list[dict[str, str]] = []
    for hive, access in sources:
        try:
            root = winreg.OpenKey(hive, UNINSTALL_KEY, 0, access)
        except OSError:
            continue
        with root:
            for i in range(winreg.QueryInfoKey(root)[0]):
                try:
                    with winreg.OpenKey(root, winreg.EnumKey(root, i), 0, access) as sub:
                        entry = {}
                        for value in ("DisplayName", "DisplayVersion", "InstallLocation"):
                            try:
                                entry[value] = str(winreg.QueryValueEx(sub, value)[0])
                            except OSError:
                                pass
                        if entry.get("DisplayName") and entry not in entries:
                            entries.append(entry)
                except OSError:
                    continue
    return entries


def _psutil_service_status(name: str) -> str | None:
    try:
        return str(psutil.win_service_get(name).status())  # type: ignore[attr-defined,unused-ignore]
    except psutil.NoSuchProcess:
        return None


def _psutil_start_type(name: str) -> str | None:
    try:
        return str(psutil.win_service_get(name).start_type())  # type: ignore[attr-defined,unused-ignore]
    except psutil.NoSuchProcess:
        return None


def oem_encoding() -> str:
    """The console (OEM) code page console programs write in, e.g. "cp950"."""
    try:
        return f"cp{getattr(ctypes, 'windll').kernel32.GetOEMCP()}"  # noqa: B009
    except (AttributeError, OSError):
        return "utf-8"


def _run_command(argv: list[str]) -> str:
    out = subprocess.run(argv, capture_output=True, timeout=10, check=False).stdout
    encoding = "utf-8" if "[Console]::OutputEncoding" in " ".join(argv) else oem_encoding()
    return out.decode(encoding, "replace")


# WMI Win32_PnPEntity: smart-card readers, and devices with a problem that look like one
# (USB interface class 0B = CCID). Output forced to UTF-8 JSON; no localized labels.
READER_QUERY = (
    "$ErrorActionPreference='Stop';[Console]::OutputEncoding=[Text.Encoding]::UTF8;"
    "@(Get-CimInstance -ClassName Win32_PnPEntity "
    "-Filter \"PNPClass='SmartCardReader' OR ConfigManagerErrorCode<>0\" | "
    "Where-Object { $_.PNPClass -eq 'SmartCardReader' -or "
    "($_.CompatibleID -match '^USB\\\\Class_0B') } | "
    "Select-Object Name,DeviceID,PNPClass,Present,ConfigManagerErrorCode) | "
    "ConvertTo-Json -Compress"
)
CM_PROBLEMS = {
    1: "CM_PROB_NOT_CONFIGURED",
    10: "CM_PROB_FAILED_START",
    18: "CM_PROB_REINSTALL",
    22: "CM_PROB_DISABLED",
    24: "CM_PROB_DEVICE_NOT_THERE",
    28: "CM_PROB_FAILED_INSTALL",
    31: "CM_PROB_FAILED_ADD",
    39: "CM_PROB_DRIVER_FAILED_LOAD",
    43: "CM_PROB_FAILED_POST_START",
    45: "CM_PROB_PHANTOM",
}


def parse_pnp_entities(output: str) -> list[ReaderDevice]:
    """Readers from ``Win32_PnPEntity`` records (JSON: one object or a list).

    Devices that are not present (unplugged, still remembered) are left out.
    """
    try:
        data = json.loads(output) if output.strip() else []
    except ValueError:
        return []
    records = data if isinstance(data, list) else [data]
    devices = []
    for rec in records:
        if not isinstance(rec, dict) or rec.get("Present") is False:
            continue
        code = rec.get("ConfigManagerErrorCode")
        if code == 45:  # phantom: remembered, not plugged in
            continue
        usb = re.search(r"VID_([0-9A-F]{4})&PID_([0-9A-F]{4})", str(rec.get("DeviceID")), re.I)
        problem = (
            f"{code} ({CM_PROBLEMS.get(code, 'CM_PROB')})" if isinstance(code, int) and code else ""
        )
        devices.append(
            ReaderDevice(
                str(rec.get("Name") or rec.get("DeviceID") or "?"),
                f"{usb.group(1)}:{usb.group(2)}".lower() if usb else "",
                problem,
            )
        )
    return devices


class WindowsAdapter(OsAdapter):
    system = "windows"

    def __init__(
        self,
        service_status: ServiceStatus = _psutil_service_status,
        run: Runner = _run_command,
        uninstall: UninstallReader = _read_uninstall_registry,
        windir: Path | None = None,
        ie_proxy_config: IeProxyReader = current_user_ie_proxy,
        cert_store: StoreBackend | None = None,
        service_start_type: StartType = _psutil_start_type,
        environ: Mapping[str, str] | None = None,
        win32_ver: Callable[[], tuple[str, str, str, str]] = platform.win32_ver,
    ) -> None:
        self._cert_store = cert_store
        self._ie_proxy_config = ie_proxy_config
        self._service_status = service_status
        self._start_type = service_start_type
        self._run = run
        self._uninstall = uninstall
        self._environ = os.environ if environ is None else environ
        self._win32_ver = win32_ver
        self.windir = windir or Path(self._environ.get("SystemRoot", r"C:\Windows"))

    # -- system ----------------------------------------------------------------------------
    def os_version(self) -> str:
        release, version, _csd, _ptype = self._win32_ver()
        return windows_release(release, version)

    def os_name(self) -> str:
        _release, version, _csd, _ptype = self._win32_ver()
        edition = platform.win32_edition() if hasattr(platform, "win32_edition") else ""
        return " ".join(p for p in ("Windows", self.os_version(), edition, version) if p)

    def is_admin(self) -> bool | None:
        try:
            return bool(getattr(ctypes, "windll").shell32.IsUserAnAdmin())  # noqa: B009
        except (AttributeError, OSError):
            return None

    def is_wow64(self) -> bool:
        """32-bit Python on 64-bit Windows: System32 is redirected to SysWOW64."""
        return bool(self._environ.get("PROCESSOR_ARCHITEW6432"))

    def native_system_dir(self) -> Path:
        return self.windir / ("Sysnative" if self.is_wow64() else "System32")

    # -- smart cards -----------------------------------------------------------------------
    def pcsc_service(self) -> ServiceState:
        status = self._service_status(SCARD_SERVICE)
        if status is None:
            return ServiceState(False, False, detail="SCardSvr not installed")
        if status == "running":
            return ServiceState(True, True, detail="SCardSvr running")
        try:
            start = self._start_type(SCARD_SERVICE) or ""
        except (OSError, AttributeError):
            start = ""
        detail = f"SCardSvr {status}, start type {start or 'unknown'}"
        if start not in ("manual", "automatic"):  # disabled, or cannot tell: a fault
            return ServiceState(True, False, detail=detail)
        # Windows 8+: started by a trigger when a reader appears; stopped is normal.
        return ServiceState(True, None, detail=detail, on_demand=True)

    def reader_devices(self) -> list[ReaderDevice] | None:
        shell = self.native_system_dir() / "WindowsPowerShell" / "v1.0" / "powershell.exe"
        try:
            out = self._run([str(shell), "-NoProfile", "-NonInteractive", "-Command", READER_QUERY])
        except (OSError, subprocess.SubprocessError):
            return None
        return parse_pnp_entities(out)

    # -- middleware ------------------------------------------------------------------------
    def installed_products(self) -> list[InstalledProduct]:
        try:
            entries = self._uninstall()
        except (OSError, ImportError):
            return []
        return [
            InstalledProduct(
                e["DisplayName"], e.get("DisplayVersion", ""), e.get("InstallLocation", "")
            )
            for e in entries
            if e.get("DisplayName")
        ]

    def library_candidates(self, product: str) -> list[Path]:
        name = LIBRARY_NAMES[product]
        return [self.native_system_dir() / name, self.windir / "SysWOW64" / name]

    # -- network and certificates ----------------------------------------------------------
    def proxy_settings(self) -> OsProxy:
        try:
            return ie_proxy(self._ie_proxy_config())
        except (OSError, ValueError, AttributeError):
            return OsProxy(source="windows-winhttp")

    def cert_store(self) -> StoreBackend | None:
        if self._cert_store is None:
            self._cert_store = Crypt32Store()
        return self._cert_store
