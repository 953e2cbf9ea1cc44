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

# /proc/<pid>/stat state letters, in psutil's words (they appear in the probe's facts).
PROC_STATES = {
    "R": "running",
    "S": "sleeping",
    "D": "disk-sleep",
    "T": "stopped",
    "t": "tracing-stop",
    "Z": "zombie",
    "X": "dead",
    "x": "dead",
    "K": "wake-kill",
    "W": "waking",
    "I": "idle",
    "P": "parked",
}
STUCK_STATES = frozenset({"stopped", "zombie", "dead"})
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
        procs = process_states("pcscd")
        if procs:
            stuck = all(s in STUCK_STATES for s in procs)
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


def process_states(name: str, proc: str = "/proc") -> list[str]:
    """The states of the processes called ``name``, read from /proc directly (importing
    psutil and reading every process's details cost more than the whole scan, issue 15).
    The name is the kernel's (at most 15 bytes), as psutil gives it for short names."""
    wanted = name.encode()
    states = []
    try:
        pids = [p for p in os.listdir(proc) if p.isdigit()]
    except OSError:
        return []
    for pid in pids:
        try:
            with open(f"{proc}/{pid}/stat", "rb") as f:
                stat = f.read(512)
        except OSError:  # gone meanwhile, or not ours to read
            continue
        # "<pid> (<name>) <state> ...": the name may itself hold spaces or parentheses.
        left, right = stat.find(b"("), stat.rfind(b")")
        if left < 0 or right < left or stat[left + 1 : right] != wanted:
            continue
        letter = stat[right + 2 : right + 3].decode("ascii", "replace")
        states.append(PROC_STATES.get(letter, letter or "unknown"))
    return states
