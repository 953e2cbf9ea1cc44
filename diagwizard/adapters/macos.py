"""macOS OS access. The smart-card service (CryptoTokenKit) is built in."""

from __future__ import annotations

import os
import platform
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from diagwizard.adapters.base import OsAdapter, OsProxy, ServiceState


def _run(argv: list[str]) -> str:
    return subprocess.run(argv, capture_output=True, text=True, timeout=10, check=False).stdout


def parse_scutil_proxy(text: str) -> OsProxy:
    """Parse `scutil --proxy` output (a nested <dictionary> listing)."""
    values: dict[str, str] = {}
    exceptions: list[str] = []
    in_exceptions = False
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("ExceptionsList"):
            in_exceptions = True
            continue
        if in_exceptions:
            if line == "}":
                in_exceptions = False
                continue
            m = re.match(r"\d+\s*:\s*(.+)", line)
            if m:
                exceptions.append(m.group(1).strip())
            continue
        m = re.match(r"(\w+)\s*:\s*(.+)", line)
        if m:
            values[m.group(1)] = m.group(2).strip()
    server = ""
    for scheme in ("HTTPS", "HTTP"):
        if values.get(f"{scheme}Enable") == "1" and values.get(f"{scheme}Proxy"):
            server = f"{values[f'{scheme}Proxy']}:{values.get(f'{scheme}Port', '8080')}"
            break
    pac = (
        values.get("ProxyAutoConfigURLString", "")
        if values.get("ProxyAutoConfigEnable") == "1"
        else ""
    )
    return OsProxy(
        source="scutil",
        server=server,
        bypass=tuple(exceptions),
        pac_url=pac,
        auto_detect=values.get("ProxyAutoDiscoveryEnable") == "1",
    )


class MacAdapter(OsAdapter):
    system = "macos"

    def __init__(self, run: Callable[[list[str]], str] = _run) -> None:
        self._run = run

    def proxy_settings(self) -> OsProxy:
        try:
            return parse_scutil_proxy(self._run(["scutil", "--proxy"]))
        except (OSError, subprocess.SubprocessError):
            return OsProxy(source="scutil")

    def os_name(self) -> str:
        return f"macOS {platform.mac_ver()[0] or platform.release()}"

    def is_admin(self) -> bool | None:
        if sys.platform == "win32":  # never here; keeps `mypy --platform win32` exact
            return None
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

    def smartcard_identities(self) -> list[str] | None:
        """`security list-smartcards`: one token id per line (e.g. com.apple.pivtoken:…)."""
        try:
            out = self._run(["security", "list-smartcards"])
        except (OSError, subprocess.SubprocessError):
            return None
        return [line.strip() for line in out.splitlines() if line.strip() and ":" in line]
