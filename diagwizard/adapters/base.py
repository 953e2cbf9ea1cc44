"""The narrow OS adapter. Probes reach the operating system only through this.

Each platform module implements it; tests substitute recorded fakes with the same shape.
"""

from __future__ import annotations

import platform
import sys
from dataclasses import dataclass


@dataclass(frozen=True)
class OsInfo:
    system: str  # linux / windows / macos
    name: str  # human-readable, e.g. "Debian GNU/Linux 12 (bookworm)"
    version: str
    arch: str  # x86_64, arm64, ...
    python: str
    python_bits: int


class OsAdapter:
    """Default behaviour shared by all platforms; subclasses override what differs."""

    system = "unknown"

    def os_info(self) -> OsInfo:
        return OsInfo(
            system=self.system,
            name=self.os_name(),
            version=platform.release(),
            arch=platform.machine() or "unknown",
            python=platform.python_version(),
            python_bits=64 if sys.maxsize > 2**32 else 32,
        )

    def os_name(self) -> str:
        return f"{platform.system()} {platform.release()}"

    def is_admin(self) -> bool | None:
        """True if running with administrator/root rights; None if unknown."""
        return None
