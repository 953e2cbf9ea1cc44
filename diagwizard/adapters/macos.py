"""macOS OS access. The smart-card service (CryptoTokenKit) is built in."""

from __future__ import annotations

import os
import platform
from pathlib import Path

from diagwizard.adapters.base import OsAdapter, ServiceState


class MacAdapter(OsAdapter):
    system = "macos"

    def os_name(self) -> str:
        return f"macOS {platform.mac_ver()[0] or platform.release()}"

    def is_admin(self) -> bool | None:
        return os.geteuid() == 0

    def pcsc_service(self) -> ServiceState:
        return ServiceState(True, True, detail="built in")

    def library_candidates(self, product: str) -> list[Path]:
        home = Path.home()
        if product == "hicos":
            name = "libHicos_p11v1.dylib"
            dirs = [
                Path("/usr/local/lib"),
                Path("/Library/HiPKILocalSignServer"),
                home / "Library" / "HiPKILocalSignServer",
                home / "lib",
            ]
        else:
            name = "libaetpkss.dylib"
            dirs = [Path("/usr/local/lib"), Path("/Library/Frameworks"), home / "lib"]
        return [d / name for d in dirs]
