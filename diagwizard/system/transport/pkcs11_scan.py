"""The read-only PKCS#11 scan of one module, run inside an isolated child process.

It answers a :class:`ModuleReport`, which crosses back to the parent in msgspec's own
encoding (``diagwizard.isolation``). With ``analyse`` the child also reads each
certificate (``certinfo.read``); which CA issued it is left to the parent, which has
the KB (``certinfo.place``).

The session is opened *without* logging in: no PIN try can be used.
"""

from __future__ import annotations

import base64
from typing import Any

import msgspec

from diagwizard.system.formats.certinfo import CertInfo, read


class CertObject(msgspec.Struct, forbid_unknown_fields=True):
    label: str
    id_hex: str
    der_b64: str
    info: CertInfo | None = None  # the child's ``certinfo.read`` of it, if asked for


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
TOKEN_INITIALIZED = 0x00000400


def flag_names(flags: int) -> list[str]:
    return [name for bit, name in {**OTHER_FLAGS, **PIN_FLAGS}.items() if flags & bit]


def text(value: Any) -> str:
    """A fixed-width PKCS#11 string field without its blank or NUL padding."""
    return str(value).strip().rstrip("\x00").strip()


def _version(v: Any) -> str:
    try:
        return ".".join(str(x) for x in v)
    except TypeError:
        return text(v)


def error_of(exc: Exception) -> tuple[str, str]:
    """(message, CKR_ name) of a PyKCS11 error; the name is "" for other exceptions."""
    code = getattr(exc, "value", None)
    name = ""
    if isinstance(code, int):
        import PyKCS11  # lazy: only the child loads the native wrapper; the parent imports the records

        name = (
            PyKCS11.CKR.get(code, f"0x{code:08X}") if hasattr(PyKCS11, "CKR") else f"0x{code:08X}"
        )
    return f"{type(exc).__name__}: {exc}".strip(), str(name)


def scan(path: str, analyse: bool = False) -> ModuleReport:
    """Slots, tokens, flags and public certificate objects of the module at ``path``.

    Never raises for a module's own failure: a module that cannot be loaded answers
    ``loaded=False`` with the error, one that fails later keeps what was read.
    ``analyse`` adds each certificate's ``certinfo.read`` as ``info``.
    """
    import PyKCS11  # lazy: only the child loads the native wrapper; the parent imports the records

    report = ModuleReport(path, loaded=False)
    lib = PyKCS11.PyKCS11Lib()
    try:
        lib.load(path)
    except Exception as exc:  # PyKCS11Error, OSError from dlopen
        report.error, report.error_code = error_of(exc)
        return report
    report.loaded = True
    try:
        info = lib.getInfo()
        report.description = text(info.libraryDescription)
        report.version = _version(info.libraryVersion)
        for slot in lib.getSlotList(tokenPresent=True):
            token = _token(lib, slot)
            if token is not None:
                report.tokens.append(token)
    except Exception as exc:
        report.error, report.error_code = error_of(exc)
    if analyse:
        for cert in (c for t in report.tokens for c in t.certificates):
            cert.info = read(cert.der_b64, cka_id_hex=cert.id_hex)
    return report


def _token(lib: Any, slot: int) -> TokenReport | None:
    ti = lib.getTokenInfo(slot)
    if not int(ti.flags) & TOKEN_INITIALIZED and not text(ti.label):
        return None  # an empty, uninitialised spare slot (SoftHSM keeps one)
    si = lib.getSlotInfo(slot)
    token = TokenReport(
        slot=int(slot),
        slot_description=text(si.slotDescription),
        label=text(ti.label),
        serial=text(ti.serialNumber),
        manufacturer=text(ti.manufacturerID),
        model=text(ti.model),
        flags=flag_names(int(ti.flags)),
    )
    try:
        token.certificates = _certificates(lib, slot)
    except Exception as exc:  # reading objects failed; the token itself is known
        token.cert_error = error_of(exc)[0]
    return token


def _certificates(lib: Any, slot: int) -> list[CertObject]:
    import PyKCS11  # lazy: only the child loads the native wrapper; the parent imports the records

    session = lib.openSession(slot, PyKCS11.CKF_SERIAL_SESSION)  # read-only, no login
    try:
        out = []
        for obj in session.findObjects([(PyKCS11.CKA_CLASS, PyKCS11.CKO_CERTIFICATE)]):
            value, cka_id, label = session.getAttributeValue(
                obj, [PyKCS11.CKA_VALUE, PyKCS11.CKA_ID, PyKCS11.CKA_LABEL]
            )
            out.append(
                CertObject(
                    label=text(label or ""),
                    id_hex=bytes(cka_id or b"").hex(),
                    der_b64=base64.b64encode(bytes(value or b"")).decode(),
                )
            )
        return out
    finally:
        session.closeSession()
