"""Broken and odd PKCS#11 module files, made on the spot."""

from __future__ import annotations

import shutil
import struct
import subprocess
from pathlib import Path

SOURCE = Path(__file__).with_name("broken_module.c")


def build_broken(out_dir: Path, mode: str) -> Path:
    """A shared library whose C_Initialize crashes (mode "CRASH"), hangs ("HANG"), or
    leaves a process behind in a session of its own ("SETSID", "DAEMON")."""
    gcc = shutil.which("gcc") or shutil.which("cc")
    if gcc is None:
        raise RuntimeError("gcc is part of the test stack")
    out = out_dir / f"libbroken_{mode.lower()}.so"
    subprocess.run(
        [gcc, "-shared", "-fPIC", f"-DMODE_{mode}", "-o", str(out), str(SOURCE)], check=True
    )
    return out


def elf32_stub(out: Path) -> Path:
    """An ELF header for 32-bit x86: a module of the wrong architecture."""
    header = b"\x7fELF" + bytes([1, 1, 1, 0]) + bytes(8) + struct.pack("<HHI", 3, 3, 1) + bytes(32)
    out.write_bytes(header)
    return out


def not_a_library(out: Path) -> Path:
    out.write_text("this is not a shared library\n")
    return out
