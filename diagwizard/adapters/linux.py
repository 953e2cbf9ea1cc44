"""Linux OS access: /etc/os-release, pcscd, and USB readers in sysfs."""

from __future__ import annotations

import os
import platform
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from diagwizard.adapters.base import OsAdapter, ReaderDevice, ServiceState

if TYPE_CHECKING:
    from diagwizard.adapters.certstore import ModuleRegistration

CCID_CLASS = "0b"  # USB interface class of smart-card readers
PCSCD_PATHS = ("/usr/sbin/pcscd", "/usr/bin/pcscd", "/usr/local/sbin/pcscd")
PCSCD_SOCKET = Path("/run/pcscd/pcscd.comm")


class LinuxAdapter(OsAdapter):
    system = "linux"

    def __init__(
        self,
        sysfs: Path = Path("/sys"),
        home: Path | None = None,
        p11kit_dirs: tuple[Path, ...] | None = None,
    ) -> None:
        self.sysfs = sysfs
        self.home = home
        self.p11kit_dirs = p11kit_dirs

    def os_name(self) -> str:
        try:
            info = platform.freedesktop_os_release()
            return info.get("PRETTY_NAME") or info.get("NAME", "Linux")
        except OSError:
            return f"Linux {platform.release()}"

    def is_admin(self) -> bool | None:
        if sys.platform == "win32":  # never here; keeps `mypy --platform win32` exact
            return None
        return os.geteuid() == 0

    def pcsc_service(self) -> ServiceState:
        installed = any(Path(p).exists() for p in PCSCD_PATHS) or shutil.which("pcscd") is not None
        import psutil  # lazy: start-up time (issue 15), only the PC/SC service check

        procs = []
        for proc in psutil.process_iter(["name", "status"]):
            if proc.info["name"] == "pcscd":
                procs.append(proc.info["status"])
        if procs:
            stuck = all(
                s in (psutil.STATUS_STOPPED, psutil.STATUS_ZOMBIE, psutil.STATUS_DEAD)
                for s in procs
            )
            return ServiceState(
                True, True, responsive=not stuck, detail=f"pcscd {', '.join(procs)}"
            )
        # systemd socket activation: no process yet, but the socket will start it
        if installed and PCSCD_SOCKET.exists():
            return ServiceState(True, True, detail="socket-activated")
        return ServiceState(installed, False)

    def reader_devices(self) -> list[ReaderDevice] | None:
        root = self.sysfs / "bus" / "usb" / "devices"
        if not root.is_dir():
            return None
        found = []
        for iface in sorted(root.glob("*:*")):
            try:
                if (iface / "bInterfaceClass").read_text().strip().lower() != CCID_CLASS:
                    continue
                dev = (
                    iface.parent
                    if (iface.parent / "idVendor").exists()
                    else root / iface.name.split(":")[0]
                )
                vid = (dev / "idVendor").read_text().strip()
                pid = (dev / "idProduct").read_text().strip()
                product = (
                    (dev / "product").read_text().strip()
                    if (dev / "product").exists()
                    else "USB smart-card reader"
                )
            except OSError:
                continue
            found.append(ReaderDevice(product, f"{vid}:{pid}"))
        return found

    def library_candidates(self, product: str) -> list[Path]:
        # No Linux HiCOS library name has been confirmed: HiCOS comes only from config.
        if product == "safesign":
            return [
                Path(d, name)
                for d in ("/usr/lib", "/usr/local/lib", "/usr/lib/x86_64-linux-gnu", "/usr/lib64")
                for name in ("libaetpkss.so", "libaetpkss.so.3")
            ]
        return []

    def browser_modules(self) -> tuple[list[ModuleRegistration], list[str]] | None:
        from diagwizard.adapters import certstore  # lazy: start-up time (hashlib, ctypes)

        dbs = certstore.nss_databases(self.home or Path.home())
        found = [m for db in dbs for m in certstore.parse_pkcs11_txt(db / "pkcs11.txt")]
        found += certstore.p11kit_modules(self.p11kit_dirs or certstore.P11KIT_DIRS)
        return found, [str(db) for db in dbs]
