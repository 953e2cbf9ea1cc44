"""macOS OS access. The smart-card service (CryptoTokenKit) is built in."""

from __future__ import annotations

import os
import platform
import re
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from diagwizard.system.adapters.base import OsAdapter, OsProxy, ServiceState


def _run(argv: list[str]) -> str:
    return subprocess.run(argv, capture_output=True, text=True, timeout=10, check=False).stdout


def parse_scutil(text: str) -> dict[str, Any]:
    """`scutil --proxy` output as the nested dictionary it prints (arrays become lists)."""
    root: dict[str, Any] = {}
    stack: list[Any] = [root]
    for raw in text.splitlines():
        line = raw.strip()
        if line == "}":
            if len(stack) > 1:
                stack.pop()
            continue
        m = re.match(r"(\S+)\s*:\s*(.*)$", line)
        if not m:
            continue
        key, value = m.group(1), m.group(2).strip()
        top = stack[-1]
        if value.startswith(("<dictionary>", "<array>")):
            child: Any = {} if value.startswith("<dictionary>") else []
            if isinstance(top, list):
                top.append(child)
            else:
                top[key] = child
            stack.append(child)
        elif isinstance(top, list):
            top.append(value)
        else:
            top[key] = value
    return root


def proxy_from_settings(values: Mapping[str, Any], source: str) -> OsProxy:
    """The system-wide proxy from SCDynamicStoreCopyProxies' dictionary.

    Only the top-level keys apply to the primary network service; the per-interface
    copies under ``__SCOPED__`` (VPN tunnels, Wi-Fi, Ethernet) are not the default route.
    """

    def on(key: str) -> bool:
        return str(values.get(key, "0")) == "1"

    server = ""
    for scheme in ("HTTPS", "HTTP"):
        if on(f"{scheme}Enable") and values.get(f"{scheme}Proxy"):
            server = f"{values[f'{scheme}Proxy']}:{values.get(f'{scheme}Port', '8080')}"
            break
    socks = ""
    if not server and on("SOCKSEnable") and values.get("SOCKSProxy"):
        socks = f"{values['SOCKSProxy']}:{values.get('SOCKSPort', '1080')}"
    pac = str(values.get("ProxyAutoConfigURLString", "")) if on("ProxyAutoConfigEnable") else ""
    exceptions = values.get("ExceptionsList") or []
    return OsProxy(
        source=source,
        server=server,
        bypass=tuple(str(e) for e in exceptions),
        pac_url=pac,
        auto_detect=on("ProxyAutoDiscoveryEnable"),
        socks=socks,
    )


def parse_scutil_proxy(text: str) -> OsProxy:
    """Parse `scutil --proxy` output (a nested <dictionary> listing)."""
    return proxy_from_settings(parse_scutil(text), "scutil")


def _system_proxies() -> dict[str, Any] | None:
    """SCDynamicStoreCopyProxies(NULL) through pyobjc (installed with pypac on macOS)."""
    try:
        from SystemConfiguration import SCDynamicStoreCopyProxies  # type: ignore[import-not-found,unused-ignore]  # lazy: macOS only
    except ImportError:
        return None
    proxies = SCDynamicStoreCopyProxies(None)
    if proxies is None:
        return None
    return {str(k): [str(x) for x in v] if k == "ExceptionsList" else v for k, v in proxies.items()}


class MacAdapter(OsAdapter):
    system = "macos"

    def __init__(
        self,
        run: Callable[[list[str]], str] = _run,
        system_proxies: Callable[[], dict[str, Any] | None] = _system_proxies,
    ) -> None:
        self._run = run
        self._system_proxies = system_proxies

    def proxy_settings(self) -> OsProxy:
        try:
            values = self._system_proxies()
            if values is not None:
                return proxy_from_settings(values, "macos")
        except (OSError, ValueError, AttributeError):
            pass
        try:  # no framework binding: the same dictionary as scutil prints it
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
