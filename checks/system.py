"""System context a helpdesk asks for first: OS, architecture, rights, runtime versions."""

from __future__ import annotations

import getpass
import socket
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from diagwizard.api import Context, FindingDef, Result, Step, Text, found, ok, probe
from diagwizard.core.redact import is_builtin_account

NOT_ADMIN = FindingDef(
    "sys.I001",
    Text(
        "目前不是以系統管理員身分執行；安裝元件時需要管理員權限",
        "Not running as administrator; installing components needs admin rights",
    ),
)
LIB_MISSING = FindingDef(
    "sys.W001",
    Text("缺少必要的程式庫：{names}", "Required libraries are missing: {names}"),
)


def _local_addresses() -> list[str]:
    """This machine's own IP addresses (personal data: they identify the caller)."""
    import psutil  # lazy: start-up time, only this probe needs it

    addresses: list[str] = []
    for addrs in psutil.net_if_addrs().values():
        for a in addrs:
            if a.family in (socket.AF_INET, socket.AF_INET6):
                ip = a.address.split("%")[0]
                if not ip.startswith(("127.", "::1", "fe80")) and ip not in addresses:
                    addresses.append(ip)
    return addresses


KEY_LIBRARIES = ("pyscard", "PyKCS11", "cryptography", "psutil", "dnspython", "textual")


@probe(
    "sys.os",
    "作業系統",
    "Operating system",
    area="system",
    step=Step.SYSTEM,
    timeout=3.0,
    codes=(NOT_ADMIN,),
)
def os_probe(ctx: Context) -> Result:
    info = ctx.os.os_info()
    admin = ctx.os.is_admin()
    findings = [NOT_ADMIN()] if info.system == "windows" and admin is False else []
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = ""
    facts: dict[str, Any] = {
        "system": info.system,
        "os_name": info.name,
        "os_version": info.version,
        "arch": info.arch,
        "admin": admin,
    }
    personal: dict[str, Any] = {"hostname": socket.gethostname(), "addresses": _local_addresses()}
    # "root" or "Administrator" names nobody; a person's login name is personal.
    (facts if is_builtin_account(user) else personal)["user"] = user
    return ok(
        Text(f"{info.name}（{info.arch}）", f"{info.name} ({info.arch})"),
        *findings,
        facts=facts,
        personal=personal,
    )


@probe(
    "sys.runtime",
    "執行環境與程式庫版本",
    "Runtime and library versions",
    area="system",
    step=Step.SYSTEM,
    timeout=3.0,
    codes=(LIB_MISSING,),
)
def runtime_probe(ctx: Context) -> Result:
    info = ctx.os.os_info()
    versions: dict[str, str | None] = {}
    for name in KEY_LIBRARIES:
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            versions[name] = None
    missing = [n for n, v in versions.items() if v is None]
    facts = {"python": info.python, "python_bits": info.python_bits, "libraries": versions}
    if missing:
        return found(
            LIB_MISSING(names=", ".join(missing)),
            summary=Text(
                f"Python {info.python}，缺少 {len(missing)} 個程式庫",
                f"Python {info.python}, {len(missing)} libraries missing",
            ),
            facts=facts,
        )
    return ok(
        Text(
            f"Python {info.python}（{info.python_bits} 位元）",
            f"Python {info.python} ({info.python_bits}-bit)",
        ),
        facts=facts,
    )
