"""PKCS#11 access through PyKCS11; the native module is only ever loaded in a child.

``scan_modules`` scans every module in its own isolated child, all at once, so a module
that hangs or crashes loses only its own results. The scan itself
(``transport.pkcs11_scan``) reads slots, tokens, flags and the public certificate
objects in a read-only session *without* logging in: no PIN try can be used.
``login_once`` is the single exception, used only by the explicit, opt-in PIN test.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import msgspec

from diagwizard.isolation import calls as isolation
from diagwizard.system.transport.pkcs11_scan import (
    OTHER_FLAGS,
    PIN_FLAGS,
    CertObject,
    ModuleReport,
    TokenReport,
    flag_names,
)

SCAN_TARGET = "diagwizard.system.transport.pkcs11_scan:scan"


class ModuleFailed(msgspec.Struct):
    """The module's child crashed or hung (``timed_out``); nothing it read survived.
    ``contained`` is False when its child could not be put in a job object (Windows),
    so the module was never loaded."""

    path: str
    how: str
    timed_out: bool = False
    contained: bool = True


def scan_one(
    path: str, timeout: float, spare: bool = False, analyse: bool = False
) -> ModuleReport | ModuleFailed:
    """Scan one module in its own child; ``spare`` lets it use the spare child (see
    ``isolation.spare``), ``analyse`` has the child read the certificates too."""
    args = {"path": path, "analyse": analyse}
    try:
        return isolation.call_isolated(
            SCAN_TARGET, args, timeout, returns=ModuleReport, use_spare=spare
        )
    except isolation.ChildFailed as exc:
        if exc.answered:  # Python failed in the child (no PyKCS11?): the module did not load
            return ModuleReport(path, False, error=exc.how)
        return ModuleFailed(path, exc.how, exc.timed_out, exc.contained)
    except msgspec.ValidationError as exc:  # the child answered, but not a scan's report
        return ModuleFailed(path, f"unexpected answer ({type(exc).__name__}: {exc})")
    except (OSError, ValueError) as exc:  # the child could not be started or talked to
        return ModuleFailed(path, f"{type(exc).__name__}: {exc}")


def scan_modules(
    paths: Sequence[str], timeout: float, analyse: bool = False
) -> list[ModuleReport | ModuleFailed]:
    """Scan each module in its own isolated child, all at the same time, in ``paths`` order.

    Each child is killed at ``timeout``; one that hangs or crashes costs only its own
    module's report. The first module takes the spare child, if one is waiting, which
    alone is asked to ``analyse`` the certificates: it loaded ``cryptography`` while it
    waited, whereas a fresh child would load it on the critical path.
    """
    out: list[ModuleReport | ModuleFailed | None] = [None] * len(paths)
    warm = analyse and isolation.spare.waiting()

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
    """Exactly one C_Login with the user PIN, then log out. Only for the opt-in PIN test,
    in a child (``call_isolated(LOGIN_TARGET, ..., returns=LoginOutcome)``)."""
    import PyKCS11  # lazy: only the child loads the native wrapper

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


LOGIN_TARGET = f"{__name__}:login_once"

__all__ = [
    "LOGIN_TARGET",
    "OTHER_FLAGS",
    "PIN_FLAGS",
    "CertObject",
    "LoginOutcome",
    "ModuleFailed",
    "ModuleReport",
    "TokenReport",
    "flag_names",
    "login_once",
    "scan_modules",
    "scan_one",
]
