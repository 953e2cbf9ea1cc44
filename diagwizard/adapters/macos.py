"""macOS OS access."""

from __future__ import annotations

import os
import platform

from diagwizard.adapters.base import OsAdapter


class MacAdapter(OsAdapter):
    system = "macos"

    def os_name(self) -> str:
        return f"macOS {platform.mac_ver()[0] or platform.release()}"

    def is_admin(self) -> bool | None:
        return os.geteuid() == 0
