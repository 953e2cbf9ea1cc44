"""The narrow OS adapter. Probes reach the operating system only through this.

Each platform module implements it; tests substitute recorded fakes with the same shape.
"""

from __future__ import annotations

import platform
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import msgspec

if TYPE_CHECKING:
    from diagwizard.system.adapters.certstore import ModuleRegistration, StoreBackend


class OsInfo(msgspec.Struct, frozen=True):
    system: str  # linux / windows / macos
    name: str  # human-readable, e.g. "Debian GNU/Linux 12 (bookworm)"
    version: str
    arch: str  # x86_64, arm64, ...
    python: str
    python_bits: int


class ServiceState(msgspec.Struct, frozen=True):
    """The smart-card service as the OS sees it. None means "cannot tell here"."""

    installed: bool | None
    running: bool | None
    responsive: bool | None = None  # False: the process exists but is stopped/hung
    detail: str = ""
    # Stopped, but started by the OS when a reader appears (Windows 8+ trigger start).
    on_demand: bool = False


class ReaderDevice(msgspec.Struct, frozen=True):
    """A smart-card reader the OS sees on the bus, whether or not PC/SC lists it."""

    name: str
    usb_id: str = ""  # "vvvv:pppp"
    problem: str = ""  # non-empty when the OS reports a driver problem


class InstalledProduct(msgspec.Struct, frozen=True):
    """An entry of the OS's installed-programs list (Windows uninstall registry)."""

    name: str
    version: str = ""
    location: str = ""


class MiddlewareScan(msgspec.Struct, frozen=True):
    installed: tuple[InstalledProduct, ...] = ()
    libraries: tuple[str, ...] = ()  # existing library files


class OsProxy(msgspec.Struct, frozen=True):
    """The operating system's proxy settings, as the browser reads them."""

    source: str  # "windows-winhttp", "macos", or "" when the OS has none to offer
    server: str = ""  # "host:port" used for https, "" if none
    bypass: tuple[str, ...] = ()  # host patterns; "<local>" = names without a dot
    pac_url: str = ""
    auto_detect: bool = False
    socks: str = ""  # "host:port" of a SOCKS proxy used for https when no other is set


# Where each product's PKCS#11 library lives, per platform (see DOMAIN.md).
PRODUCT_NAMES = {"hicos": ("HiCOS PKI Smart Card", "HiCOS"), "safesign": ("SafeSign",)}


class OsAdapter:
    """Default behaviour shared by all platforms; subclasses override what differs."""

    system = "unknown"

    def os_info(self) -> OsInfo:
        return OsInfo(
            system=self.system,
            name=self.os_name(),
            version=self.os_version(),
            arch=platform.machine() or "unknown",
            python=platform.python_version(),
            python_bits=64 if sys.maxsize > 2**32 else 32,
        )

    def os_name(self) -> str:
        return f"{platform.system()} {platform.release()}"

    def os_version(self) -> str:
        return platform.release()

    def is_admin(self) -> bool | None:
        """True if running with administrator/root rights; None if unknown."""
        return None

    # -- smart cards ---------------------------------------------------------------------
    def pcsc_service(self) -> ServiceState:
        return ServiceState(installed=None, running=None)

    def reader_devices(self) -> list[ReaderDevice] | None:
        """Readers on the bus (USB CCID class); None where the OS does not show them.

        Raises OSError when the OS was asked and did not answer: whether a reader is
        plugged in is then unknown, which is not the same as "none"."""
        return None

    # -- certificate stores the browser reads --------------------------------------------
    def cert_store(self) -> StoreBackend | None:
        """The personal certificate store (Windows CurrentUser\\MY); None elsewhere."""
        return None

    def browser_modules(self) -> tuple[list[ModuleRegistration], list[str]] | None:
        """PKCS#11 modules the browsers load, and the NSS databases looked at (Linux)."""
        return None

    def smartcard_identities(self) -> list[str] | None:
        """Smart-card tokens the OS sees as identities (macOS); None elsewhere."""
        return None

    # -- network ---------------------------------------------------------------------------
    def proxy_settings(self) -> OsProxy:
        return OsProxy(source="")

    # -- middleware ------------------------------------------------------------------------
    def library_candidates(self, product: str) -> list[Path]:
        """Where ``product`` ("hicos" or "safesign") puts its PKCS#11 library here."""
        return []

    def installed_products(self) -> list[InstalledProduct]:
        """The OS's list of installed programs; empty where there is none to read."""
        return []

    def middleware_scan(self, product: str, extra: list[str] | None = None) -> MiddlewareScan:
        names = PRODUCT_NAMES[product]
        installed = tuple(
            p
            for p in self.installed_products()
            if any(p.name.lower().startswith(n.lower()) for n in names)
        )
        candidates = [*self.library_candidates(product), *(Path(e) for e in extra or [] if e)]
        seen: list[str] = []
        for path in candidates:
            if path.is_file() and str(path) not in seen:
                seen.append(str(path))
        return MiddlewareScan(installed, tuple(seen))

    def module_load_name(self, path: str) -> str | None:
        """The name a PKCS#11 module at ``path`` can be loaded by here; None if the
        loader cannot be given this path (see the Windows adapter)."""
        return path

    def atr_database(self) -> Path | None:
        """pcsc-tools' smartcard_list.txt, where installed."""
        for candidate in (
            Path("/usr/share/pcsc/smartcard_list.txt"),
            Path("/usr/local/share/pcsc/smartcard_list.txt"),
            Path.home() / ".cache" / "smartcard_list.txt",
        ):
            if candidate.is_file():
                return candidate
        return None
