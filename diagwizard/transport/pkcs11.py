"""PKCS#11 access through PyKCS11. Runs only inside an isolated child process.

``scan_module`` lists slots, tokens, flags and the public certificate objects, in a
read-only session *without* logging in: no PIN try can be used. ``login_once`` is the
single exception, used only by the explicit, opt-in PIN test.
"""

from __future__ import annotations

import base64
from dataclasses import asdict, dataclass, field
from typing import Any

PIN_FLAGS = {
    0x00010000: "USER_PIN_COUNT_LOW",
    0x00020000: "USER_PIN_FINAL_TRY",
    0x00040000: "USER_PIN_LOCKED",
    0x00080000: "USER_PIN_TO_BE_CHANGED",
    0x00100000: "SO_PIN_COUNT_LOW",
    0x00200000: "SO_PIN_FINAL_TRY",
    0x00400000: "SO_PIN_LOCKED",
    0x00800000: "SO_PIN_TO_BE_CHANGED",
}
OTHER_FLAGS = {
    0x00000001: "RNG",
    0x00000002: "WRITE_PROTECTED",
    0x00000004: "LOGIN_REQUIRED",
    0x00000008: "USER_PIN_INITIALIZED",
    0x00000100: "PROTECTED_AUTHENTICATION_PATH",
    0x00000400: "TOKEN_INITIALIZED",
}


def flag_names(flags: int) -> list[str]:
    return [name for bit, name in {**OTHER_FLAGS, **PIN_FLAGS}.items() if flags & bit]


@dataclass
class CertObject:
    label: str
    id_hex: str
    der_b64: str


@dataclass
class TokenReport:
    slot: int
    slot_description: str
    label: str
    serial: str
    manufacturer: str
    model: str
    flags: list[str]
    certificates: list[CertObject] = field(default_factory=list)
    cert_error: str = ""


@dataclass
class ModuleReport:
    path: str
    loaded: bool
    error: str = ""
    error_code: str = ""
    description: str = ""
    version: str = ""
    tokens: list[TokenReport] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _s(value: Any) -> str:
    return str(value).strip().rstrip("\x00").strip()


def _version(v: Any) -> str:
    try:
        return ".".join(str(x) for x in v)
    except TypeError:
        return _s(v)


def _error(exc: Exception) -> tuple[str, str]:
    code = getattr(exc, "value", None)
    name = ""
    if isinstance(code, int):
        import PyKCS11  # lazy: start-up time (issue 15), child-only native wrapper

        name = (
            PyKCS11.CKR.get(code, f"0x{code:08X}") if hasattr(PyKCS11, "CKR") else f"0x{code:08X}"
        )
    return f"{type(exc).__name__}: {exc}".strip(), str(name)


def scan_module(path: str) -> ModuleReport:
    import PyKCS11  # lazy: start-up time (issue 15), child-only native wrapper

    lib = PyKCS11.PyKCS11Lib()
    try:
        lib.load(path)
    except Exception as exc:  # PyKCS11Error, OSError from dlopen
        message, name = _error(exc)
        return ModuleReport(path, False, message, name)
    report = ModuleReport(path, True)
    try:
        info = lib.getInfo()
        report.description = _s(info.libraryDescription)
        report.version = _version(info.libraryVersion)
        for slot in lib.getSlotList(tokenPresent=True):
            ti = lib.getTokenInfo(slot)
            if not int(ti.flags) & 0x400 and not _s(ti.label):
                continue  # an empty, uninitialised spare slot (SoftHSM keeps one)
            si = lib.getSlotInfo(slot)
            token = TokenReport(
                slot=int(slot),
                slot_description=_s(si.slotDescription),
                label=_s(ti.label),
                serial=_s(ti.serialNumber),
                manufacturer=_s(ti.manufacturerID),
                model=_s(ti.model),
                flags=flag_names(int(ti.flags)),
            )
            try:
                token.certificates = _certificates(lib, slot)
            except Exception as exc:  # reading objects failed; the token itself is known
                token.cert_error = _error(exc)[0]
            report.tokens.append(token)
    except Exception as exc:
        report.error, report.error_code = _error(exc)
    return report


def _certificates(lib: Any, slot: int) -> list[CertObject]:
    import PyKCS11  # lazy: start-up time (issue 15), child-only native wrapper

    session = lib.openSession(slot, PyKCS11.CKF_SERIAL_SESSION)  # read-only, no login
    try:
        out = []
        for obj in session.findObjects([(PyKCS11.CKA_CLASS, PyKCS11.CKO_CERTIFICATE)]):
            value, cka_id, label = session.getAttributeValue(
                obj, [PyKCS11.CKA_VALUE, PyKCS11.CKA_ID, PyKCS11.CKA_LABEL]
            )
            out.append(
                CertObject(
                    label=_s(label or ""),
                    id_hex=bytes(cka_id or b"").hex(),
                    der_b64=base64.b64encode(bytes(value or b"")).decode(),
                )
            )
        return out
    finally:
        session.closeSession()


@dataclass
class LoginOutcome:
    ok: bool
    code: str  # "CKR_OK", "CKR_PIN_INCORRECT", "CKR_PIN_LOCKED", ...
    flags_after: list[str]


def login_once(path: str, slot: int, pin: str) -> LoginOutcome:
    """Exactly one C_Login with the user PIN, then log out. Only for the opt-in PIN test."""
    import PyKCS11  # lazy: start-up time (issue 15), child-only native wrapper

    from diagwizard.child import progress  # lazy: child-only helper

    lib = PyKCS11.PyKCS11Lib()
    lib.load(path)
    session = lib.openSession(slot, PyKCS11.CKF_SERIAL_SESSION)
    try:
        try:
            progress("login_started")  # from here on a try may be used
            try:
                session.login(pin)
            finally:
                progress("login_returned")
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
    return asdict(login_once(path, slot, pin))
