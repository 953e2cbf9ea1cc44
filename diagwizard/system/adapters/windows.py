"""Windows OS access. Windows-only imports stay inside the functions that need them.

Services, devices, the registry and WinHTTP are reached through small seams (constructor
arguments), so tests feed documented Windows answers through the same decision code.
Nothing here parses localized text: services come from the service API, devices from
SetupAPI with class GUIDs and numeric problem codes.
"""

from __future__ import annotations

import importlib
import os
import platform
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from diagwizard.system.adapters import wincommand, winservice
from diagwizard.system.adapters.base import (
    InstalledProduct,
    OsAdapter,
    OsProxy,
    ReaderDevice,
    ServiceState,
)
from diagwizard.system.adapters.certstore import Crypt32Store, StoreBackend
from diagwizard.system.adapters.windevices import DeviceQuery, SetupApiDevices, reader_devices
from diagwizard.system.adapters.winproxy import IeProxyConfig, current_user_ie_proxy, ie_proxy

SCARD_SERVICE = "SCardSvr"
UTF8_CODE_PAGE = 65001
ServiceStatus = Callable[[str], str | None]  # name -> "running"/"stopped"/... or None if missing
StartType = Callable[[str], str | None]  # name -> "automatic"/"manual"/"disabled"
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


# The Plug and Play manager answers in milliseconds, but waits while a device is being
# installed: the readers probe must keep its time for PC/SC.
DEVICE_QUERY_LIMIT = 1.5


def bounded(query: Callable[[], Any], limit: float) -> Any:
    """``query()`` in a thread of its own, given ``limit`` seconds: OSError after that
    (the thread is left to finish on its own; it only reads)."""
    box: dict[str, Any] = {}

    def work() -> None:
        try:
            box["value"] = query()
        except Exception as exc:  # handed to the caller below
            box["error"] = exc

    thread = threading.Thread(target=work, daemon=True, name="device-query")
    thread.start()
    thread.join(limit)
    if thread.is_alive():
        raise OSError(f"no answer from the Plug and Play manager within {limit:g} s")
    if "error" in box:
        error = box["error"]
        raise error if isinstance(error, OSError) else OSError(f"{type(error).__name__}: {error}")
    return box["value"]


class WindowsAdapter(OsAdapter):
    system = "windows"

    def __init__(
        self,
        service_status: ServiceStatus = winservice.status,
        devices: DeviceQuery | None = None,
        uninstall: UninstallReader = _read_uninstall_registry,
        windir: Path | None = None,
        ie_proxy_config: IeProxyReader = current_user_ie_proxy,
        cert_store: StoreBackend | None = None,
        service_start_type: StartType = winservice.start_type,
        environ: Mapping[str, str] | None = None,
        win32_ver: Callable[[], tuple[str, str, str, str]] = platform.win32_ver,
        ansi_code_page: Callable[[], int | None] = wincommand.ansi_code_page,
        short_path: Callable[[str], str] = wincommand.short_path,
    ) -> None:
        self._ansi_code_page = ansi_code_page
        self._short_path = short_path
        self._cert_store = cert_store
        self._ie_proxy_config = ie_proxy_config
        self._service_status = service_status
        self._start_type = service_start_type
        self._devices = devices or SetupApiDevices()
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
        return wincommand.is_admin()

    def is_wow64(self) -> bool:
        """32-bit Python on 64-bit Windows: System32 is redirected to SysWOW64."""
        return bool(self._environ.get("PROCESSOR_ARCHITEW6432"))

    def native_system_dir(self) -> Path:
        return self.windir / ("Sysnative" if self.is_wow64() else "System32")

    # -- smart cards -----------------------------------------------------------------------
    def pcsc_service(self) -> ServiceState:
        try:
            status = self._service_status(SCARD_SERVICE)
        except Exception as exc:  # the service API refused (psutil.AccessDenied...)
            # Cannot tell here: the probe asks PC/SC itself, which is the ground truth.
            return ServiceState(None, None, detail=f"SCardSvr state unknown: {exc!r}")
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
        """Readers and driverless CCID devices from SetupAPI (see ``windevices``);
        OSError when Windows could not be asked in time."""
        return reader_devices(bounded(self._devices.devices, DEVICE_QUERY_LIMIT))

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

    def module_load_name(self, path: str) -> str | None:
        """PyKCS11 hands a module's path to the ANSI ``LoadLibraryA`` as UTF-8 bytes,
        which Windows reads in the ANSI code page (cp950 on zh-TW): only an ASCII path
        arrives intact, unless that code page is UTF-8 (65001). Otherwise the path's
        8.3 short name, when the volume keeps one and it is ASCII; None when neither."""
        if path.isascii() or self._ansi_code_page() == UTF8_CODE_PAGE:
            return path
        short = self._short_path(path)
        return short if short and short.isascii() else None

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
