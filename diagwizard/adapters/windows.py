"""Windows OS access. Windows-only imports stay inside the methods that need them.

Commands and services are reached through two small seams (``_service_status`` and
``_run``), so tests can feed recorded Windows answers through the same parsing code.
"""

from __future__ import annotations

import importlib
import os
import platform
import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

from diagwizard.adapters.base import (
    InstalledProduct,
    OsAdapter,
    OsProxy,
    ReaderDevice,
    ServiceState,
)
from diagwizard.adapters.certstore import StoreBackend

SCARD_SERVICE = "SCardSvr"
ServiceStatus = Callable[[str], str | None]  # name -> "running"/"stopped"/... or None if missing
Runner = Callable[[list[str]], str]
UninstallReader = Callable[[], list[dict[str, str]]]
SettingsReader = Callable[[], dict[str, Any]]
INTERNET_SETTINGS = r"Software\Microsoft\Windows\CurrentVersion\Internet Settings"


def _read_internet_settings() -> dict[str, Any]:
    """HKCU Internet Settings values: ProxyEnable, ProxyServer, ProxyOverride, AutoConfigURL, AutoDetect."""
    winreg: Any = importlib.import_module("winreg")
    values: dict[str, Any] = {}
    try:
        with winreg.OpenKey(winreg.HKEY_CURRENT_USER, INTERNET_SETTINGS) as key:
            for name in (
                "ProxyEnable",
                "ProxyServer",
                "ProxyOverride",
                "AutoConfigURL",
                "AutoDetect",
            ):
                try:
                    values[name] = winreg.QueryValueEx(key, name)[0]
                except OSError:
                    pass
    except OSError:
        pass
    return values


def parse_proxy_server(value: str) -> str:
    """ProxyServer is "host:port" or "http=h:p;https=h:p;..."; return the one for https."""
    value = value.strip()
    if "=" not in value:
        return value
    entries = dict(part.split("=", 1) for part in value.split(";") if "=" in part)
    return entries.get("https") or entries.get("http") or ""


def internet_settings_proxy(values: dict[str, Any]) -> OsProxy:
    server = (
        parse_proxy_server(str(values.get("ProxyServer", "")))
        if int(values.get("ProxyEnable", 0) or 0)
        else ""
    )
    bypass = tuple(p.strip() for p in str(values.get("ProxyOverride", "")).split(";") if p.strip())
    return OsProxy(
        source="windows-registry",
        server=server,
        bypass=bypass,
        pac_url=str(values.get("AutoConfigURL", "") or ""),
        auto_detect=bool(int(values.get("AutoDetect", 0) or 0)),
    )


UNINSTALL_KEYS = (
    r"SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall",
    r"SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall",
)
LIBRARY_NAMES = {"hicos": "HiCOSPKCS11.dll", "safesign": "aetpkss1.dll"}


def _read_uninstall_registry() -> list[dict[str, str]]:
    """DisplayName/DisplayVersion/InstallLocation of every installed program."""
    winreg: Any = importlib.import_module("winreg")  # Windows only

    entries: list[dict[str, str]] = []
    for hive in (winreg.HKEY_LOCAL_MACHINE, winreg.HKEY_CURRENT_USER):
        for path in UNINSTALL_KEYS:
            try:
                root = winreg.OpenKey(hive, path)
            except OSError:
                continue
            with root:
                for i in range(winreg.QueryInfoKey(root)[0]):
                    try:
                        with winreg.OpenKey(root, winreg.EnumKey(root, i)) as sub:
                            entry = {}
                            for value in ("DisplayName", "DisplayVersion", "InstallLocation"):
                                try:
                                    entry[value] = str(winreg.QueryValueEx(sub, value)[0])
                                except OSError:
                                    pass
                            if entry.get("DisplayName"):
                                entries.append(entry)
                    except OSError:
                        continue
    return entries


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
        self,
        service_status: ServiceStatus = _psutil_service_status,
        run: Runner = _run_command,
        uninstall: UninstallReader = _read_uninstall_registry,
        windir: Path | None = None,
        internet_settings: SettingsReader = _read_internet_settings,
        cert_store: StoreBackend | None = None,
    ) -> None:
        self._cert_store = cert_store
        self._internet_settings = internet_settings
        self._service_status = service_status
        self._run = run
        self._uninstall = uninstall
        self.windir = windir or Path(os.environ.get("SystemRoot", r"C:\Windows"))

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

    def installed_products(self) -> list[InstalledProduct]:
        try:
            entries = self._uninstall()
        except OSError:
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
        return [self.windir / "System32" / name, self.windir / "SysWOW64" / name]

    def proxy_settings(self) -> OsProxy:
        try:
            return internet_settings_proxy(self._internet_settings())
        except (OSError, ValueError):
            return OsProxy(source="windows-registry")

    def cert_store(self) -> StoreBackend | None:
        if self._cert_store is None:
            from diagwizard.adapters.certstore import Crypt32Store

            self._cert_store = Crypt32Store()
        return self._cert_store
