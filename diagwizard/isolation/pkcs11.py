"""PKCS#11 access through PyKCS11; the native module is only ever loaded in a child.

``scan_modules`` scans every module in its own isolated child, all at once, so a module
that hangs or crashes loses only its own results (issue 15). The scan itself
(``transport.pkcs11_scan``) reads slots, tokens, flags and the public certificate
objects in a read-only session *without* logging in: no PIN try can be used.
``login_once`` is the single exception, used only by the explicit, opt-in PIN test.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import msgspec

from diagwizard import isolation
from diagwizard.system.transport.pkcs11_scan import OTHER_FLAGS, PIN_FLAGS, flag_names

SCAN_TARGET = "diagwizard.system.transport.pkcs11_scan:scan"


class CertObject(msgspec.Struct, forbid_unknown_fields=True):
    label: str
    id_hex: str
    der_b64: str
    info: dict[str, Any] | None = None  # the child's ``certinfo`` analysis, if it made one


class TokenReport(msgspec.Struct, forbid_unknown_fields=True):
    slot: int
    slot_description: str
    label: str
    serial: str
    manufacturer: str
    model: str
    flags: list[str]
    certificates: list[CertObject] = msgspec.field(default_factory=list)
    cert_error: str = ""


class ModuleReport(msgspec.Struct, forbid_unknown_fields=True):
    path: str
    loaded: bool
    error: str = ""
    error_code: str = ""
    description: str = ""
    version: str = ""
    tokens: list[TokenReport] = msgspec.field(default_factory=list)


class ModuleFailed(msgspec.Struct):
    """The module's child crashed or hung (``timed_out``); nothing it read survived."""

    path: str
    how: str
    timed_out: bool = False


def scan_one(
    path: str, timeout: float, spare: bool = False, analyse: bool = False
) -> ModuleReport | ModuleFailed:
    """Scan one module in its own child; ``spare`` lets it use the child started ahead,
    ``analyse`` has the child analyse the certificates too (see ``pkcs11_scan``)."""
    args = {"path": path, "analyse": analyse}
    try:
        raw = isolation.call_isolated(SCAN_TARGET, args, timeout, use_spare=spare)
    except isolation.ChildFailed as exc:
        if exc.answered:  # Python failed in the child (no PyKCS11?): the module did not load
            return ModuleReport(path, False, error=exc.how)
        return ModuleFailed(path, exc.how, exc.timed_out)
    except (OSError, ValueError) as exc:  # the child could not be started or talked to
        return ModuleFailed(path, f"{type(exc).__name__}: {exc}")
    try:
        return msgspec.convert(raw, ModuleReport)  # the scan's plain dicts, checked
    except msgspec.ValidationError as exc:
        return ModuleFailed(path, f"unexpected answer ({type(exc).__name__}: {exc})")


def scan_modules(
    paths: Sequence[str], timeout: float, analyse: bool = False
) -> list[ModuleReport | ModuleFailed]:
    """Scan each module in its own isolated child, all at the same time, in ``paths`` order.

    Each child is killed at ``timeout``; one that hangs or crashes costs only its own
    module's report. The first module takes the child started ahead of time, which alone
    is asked to ``analyse`` the certificates: it loaded ``cryptography`` while it waited,
    whereas a fresh child would load it on the critical path.
    """
    out: list[ModuleReport | ModuleFailed | None] = [None] * len(paths)
    warm = analyse and isolation.spare_waiting()

    def one(n: int) -> None:
        out[n] = scan_one(paths[n], timeout, spare=n == 0, analyse=warm and n == 0)

    threads = [threading.Thread(target=one, args=(n,), daemon=True) for n in range(1, len(paths))]
    for t in threads:
        t.start()
    if paths:
        one(0)
    for t in threads:
        t.join(timeout + 1.0)  # each child is killed at the timeout: this is a backstop
    return [
        r if r is not None else ModuleFailed(p, f"no answer within {timeout:g} s", timed_out=True)
        for p, r in zip(paths, out, strict=True)
    ]


class LoginOutcome(msgspec.Struct):
    ok: bool
    code: str  # "CKR_OK", "CKR_PIN_INCORRECT", "CKR_PIN_LOCKED", ...
    flags_after: list[str]


def login_once(path: str, slot: int, pin: str) -> LoginOutcome:
    """Exactly one C_Login with the user PIN, then log out. Only for the opt-in PIN test."""
    import PyKCS11  # lazy: start-up time (issue 15), child-only native wrapper

    lib = PyKCS11.PyKCS11Lib()
    lib.load(path)
    session = lib.openSession(slot, PyKCS11.CKF_SERIAL_SESSION)
    try:
        try:
            isolation.progress("login_started")  # from here on a try may be used
            try:
                session.login(pin)
            finally:
                isolation.progress("login_returned")
        except PyKCS11.PyKCS11Error as exc:
            code = PyKCS11.CKR.get(exc.value, f"0x{exc.value:08X}")
            flags = flag_names(int(lib.getTokenInfo(slot).flags))
            return LoginOutcome(False, str(code), flags)
        session.logout()
        return LoginOutcome(True, "CKR_OK", flag_names(int(lib.getTokenInfo(slot).flags)))
    finally:
        session.closeSession()


def login_once_json(path: str, slot: int, pin: str) -> dict[str, Any]:
    """``login_once`` for ``call_isolated``: plain JSON in and out."""
    return msgspec.structs.asdict(login_once(path, slot, pin))


__all__ = [
    "OTHER_FLAGS",
    "PIN_FLAGS",
    "CertObject",
    "ModuleFailed",
    "ModuleReport",
    "TokenReport",
    "flag_names",
    "login_once",
    "login_once_json",
    "scan_modules",
    "scan_one",
]
