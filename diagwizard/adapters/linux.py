"""Linux OS access."""

from __future__ import annotations

import os
import platform

from diagwizard.adapters.base import OsAdapter


class LinuxAdapter(OsAdapter):
    system = "linux"

    def os_name(self) -> str:
        try:
            info = platform.freedesktop_os_release()
            return info.get("PRETTY_NAME") or info.get("NAME", "Linux")
        except OSError:
            return f"Linux {platform.release()}"

    def is_admin(self) -> bool | None:
        return os.geteuid() == 0
