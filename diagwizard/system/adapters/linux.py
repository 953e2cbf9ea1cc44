"""Linux OS access: /etc/os-release, pcscd in /proc, and USB readers in sysfs."""

from __future__ import annotations

import os
import platform
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from diagwizard.system.adapters.base import OsAdapter, ReaderDevice, ServiceState

if TYPE_CHECKING:
    from diagwizard.system.adapters.certstore import ModuleRegistration

CCID_CLASS = "0b"  # USB interface class of smart-card readers
PCSCD_PATHS = ("/usr/sbin/pcscd", "/usr/bin/pcscd", "/usr/local/sbin/pcscd")
PCSCD_SOCKET = Path("/run/pcscd/pcscd.comm")
# The state letters of /proc/<pid>/stat (proc(5)), as psutil names them.
_STATE_WORDS = {
    "R": "running",
    "S": "sleeping",
    "D": "disk-sleep",
    "I": "idle",
    "T": "stopped",
    "t": "tracing-stop",
    "Z": "zombie",
    "X": "dead",
}
_STUCK = frozenset("TtZX")  # a paused (SIGSTOP), traced, zombie or dead process cannot answer


def process_states(name: str, procfs: Path = Path("/proc")) -> list[str]:
    """The state letter of every process whose command name is ``name``.

    Read from /proc/<pid>/stat rather than through psutil: psutil's import alone costs
    the card check ~26 ms, more than all of PC/SC (issue 15). The command name sits in
    parentheses and may itself hold ") ", hence the search from the right.
    """
    wanted = name.encode()
    states = []
    try:
        pids = sorted((n for n in os.listdir(procfs) if n.isdigit()), key=int)
    except OSError:
        return []
    for pid in pids:
        try:
            with open(os.path.join(procfs, pid, "stat"), "rb") as f:
                stat = f.read(512)
        except OSError:  # the process ended meanwhile, or is hidden from us
            continue
        comm, _, rest = stat.partition(b"(")[2].rpartition(b")")
        fields = rest.split() if comm == wanted else []
        if fields:
            states.append(fields[0].decode("ascii", "replace"))
    return states


class LinuxAdapter(OsAdapter):
    system = "linux"

    def __init__(
        self,
        sysfs: Path = Path("/sys"),
        home: Path | None = None,
        p11kit_dirs: tuple[Path, ...] | None = None,
        procfs: Path = Path("/proc"),
    ) -> None:
        self.sysfs = sysfs
        self.procfs = procfs
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
        states = process_states("pcscd", self.procfs)
        if states:
            stuck = all(s in _STUCK for s in states)
            detail = ", ".join(_STATE_WORDS.get(s, s) for s in states)
            return ServiceState(True, True, responsive=not stuck, detail=f"pcscd {detail}")
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
        from diagwizard.system.adapters import certstore  # lazy: start-up time (hashlib, ctypes)

        dbs = certstore.nss_databases(self.home or Path.home())
        found = [m for db in dbs for m in certstore.parse_pkcs11_txt(db / "pkcs11.txt")]
        found += certstore.p11kit_modules(self.p11kit_dirs or certstore.P11KIT_DIRS)
        return found, [str(db) for db in dbs]
