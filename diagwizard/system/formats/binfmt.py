"""Which CPU architecture(s) a shared library was built for (ELF, PE, Mach-O).

Reading the header before loading lets us report "wrong architecture" (a 32-bit
HiCOSPKCS11.dll for a 64-bit Python, for instance) as its own finding instead of an
opaque loader error. Never raises: unreadable or unknown files give an empty tuple.
"""

from __future__ import annotations

import platform
import struct
import sys
from pathlib import Path

from diagwizard.core import safefile

_ELF_MACHINES = {
    3: "x86",
    62: "x86_64",
    40: "arm",
    183: "arm64",
    8: "mips",
    20: "ppc",
    21: "ppc64",
    243: "riscv",
}
_PE_MACHINES = {0x14C: "x86", 0x8664: "x86_64", 0xAA64: "arm64", 0x1C4: "arm"}
_MACHO_CPUS = {7: "x86", 0x01000007: "x86_64", 12: "arm", 0x0100000C: "arm64"}


def running_arch() -> str:
    machine = platform.machine().lower()
    bits64 = sys.maxsize > 2**32
    if machine in ("x86_64", "amd64", "i386", "i686", "x86"):
        return "x86_64" if bits64 else "x86"
    if machine in ("arm64", "aarch64"):
        return "arm64" if bits64 else "arm"
    return machine


def library_archs(path: Path) -> tuple[str, ...]:
    try:
        head = safefile.read_head(path, 4096)  # a FIFO or device is refused, not waited on
    except OSError:
        return ()
    try:
        return _elf(head) or _pe(head) or _macho(head)
    except (struct.error, IndexError, ValueError):
        return ()


def _elf(h: bytes) -> tuple[str, ...]:
    if h[:4] != b"\x7fELF" or len(h) < 20:
        return ()
    endian = "<" if h[5] == 1 else ">"
    (machine,) = struct.unpack_from(endian + "H", h, 18)
    name = _ELF_MACHINES.get(machine, f"elf-{machine}")
    if name == "x86_64" and h[4] == 1:
        return ("x86",)
    return (name,)


def _pe(h: bytes) -> tuple[str, ...]:
    if h[:2] != b"MZ" or len(h) < 0x40:
        return ()
    (pe_off,) = struct.unpack_from("<I", h, 0x3C)
    if h[pe_off : pe_off + 4] != b"PE\0\0":
        return ()
    (machine,) = struct.unpack_from("<H", h, pe_off + 4)
    return (_PE_MACHINES.get(machine, f"pe-{machine:#x}"),)


def _macho(h: bytes) -> tuple[str, ...]:
    magic = h[:4]
    if magic in (b"\xca\xfe\xba\xbe", b"\xca\xfe\xba\xbf"):  # universal (fat) binary
        (count,) = struct.unpack_from(">I", h, 4)
        step = 20 if magic[3] == 0xBE else 32
        return tuple(
            _MACHO_CPUS.get(struct.unpack_from(">I", h, 8 + i * step)[0], "macho")
            for i in range(min(count, 8))
        )
    if magic in (b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe"):
        (cpu,) = struct.unpack_from("<I", h, 4)
        return (_MACHO_CPUS.get(cpu, "macho"),)
    return ()


def compatible(archs: tuple[str, ...], target: str | None = None) -> bool | None:
    """None when the format is unknown (let the loader decide)."""
    if not archs:
        return None
    return (target or running_arch()) in archs
