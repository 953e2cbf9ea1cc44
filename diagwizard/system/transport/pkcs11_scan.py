"""The read-only PKCS#11 scan of one module, run inside an isolated child process.

Kept lean on purpose (issue 15): a child started ahead of time imports this module and
PyKCS11 while it waits, so the scan starts the moment its module path arrives. It
answers plain JSON-able dicts (no dataclasses: their import alone costs the child more
than the scan); ``transport.pkcs11`` turns them into typed reports in the parent.

With ``analyse`` the child also reads each certificate (``certinfo.read``): the child
loads ``cryptography`` in the background while it waits, on another core, instead of the
parent loading it on the critical path. Which CA issued each one is left to the parent,
which has the KB loaded (``certinfo.place``): the child imports neither it nor msgspec.

The session is opened *without* logging in: no PIN try can be used.
"""

from __future__ import annotations

import base64
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
TOKEN_INITIALIZED = 0x00000400

# What a child started ahead of time imports while it waits (see child.WARM_ENV): the
# scan first, then, in the background, what reading the certificates needs.
WARM_MODULES = ("diagwizard.system.transport.pkcs11_scan", "PyKCS11")
WARM_LATER = ("cryptography.x509", "diagwizard.system.formats.certinfo")


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
        import PyKCS11  # lazy: start-up time (issue 15), child-only native wrapper

        name = (
            PyKCS11.CKR.get(code, f"0x{code:08X}") if hasattr(PyKCS11, "CKR") else f"0x{code:08X}"
        )
    return f"{type(exc).__name__}: {exc}".strip(), str(name)


def scan(path: str, analyse: bool = False) -> dict[str, Any]:
    """Slots, tokens, flags and public certificate objects of the module at ``path``.

    Never raises for a module's own failure: a module that cannot be loaded answers
    ``loaded: false`` with the error, one that fails later keeps what was read.
    ``analyse`` adds each certificate's ``certinfo`` analysis as ``info`` where it can.
    """
    import PyKCS11  # lazy: start-up time (issue 15), child-only native wrapper

    report: dict[str, Any] = {"path": path, "loaded": False, "error": "", "error_code": ""}
    lib = PyKCS11.PyKCS11Lib()
    try:
        lib.load(path)
    except Exception as exc:  # PyKCS11Error, OSError from dlopen
        report["error"], report["error_code"] = error_of(exc)
        return report
    report.update(loaded=True, description="", version="", tokens=[])
    try:
        info = lib.getInfo()
        report["description"] = text(info.libraryDescription)
        report["version"] = _version(info.libraryVersion)
        for slot in lib.getSlotList(tokenPresent=True):
            token = _token(lib, slot)
            if token is not None:
                report["tokens"].append(token)
    except Exception as exc:
        report["error"], report["error_code"] = error_of(exc)
    if analyse:
        _analyse([c for t in report["tokens"] for c in t["certificates"]])
    return report


def _analyse(certs: list[dict[str, Any]]) -> None:
    """Add ``info`` to each certificate; without it the parent analyses that one itself."""
    try:
        from dataclasses import asdict  # lazy: start-up time (issue 15), only with analyse

        from diagwizard.system.formats.certinfo import read  # lazy: heavy, warmed later
    except Exception:  # e.g. cryptography missing: the parent will say so
        return
    for cert in certs:
        try:
            cert["info"] = asdict(read(cert["der_b64"], cka_id_hex=cert["id_hex"]))
        except Exception:
            continue


def _token(lib: Any, slot: int) -> dict[str, Any] | None:
    ti = lib.getTokenInfo(slot)
    if not int(ti.flags) & TOKEN_INITIALIZED and not text(ti.label):
        return None  # an empty, uninitialised spare slot (SoftHSM keeps one)
    si = lib.getSlotInfo(slot)
    token: dict[str, Any] = {
        "slot": int(slot),
        "slot_description": text(si.slotDescription),
        "label": text(ti.label),
        "serial": text(ti.serialNumber),
        "manufacturer": text(ti.manufacturerID),
        "model": text(ti.model),
        "flags": flag_names(int(ti.flags)),
        "certificates": [],
        "cert_error": "",
    }
    try:
        token["certificates"] = _certificates(lib, slot)
    except Exception as exc:  # reading objects failed; the token itself is known
        token["cert_error"] = error_of(exc)[0]
    return token


def _certificates(lib: Any, slot: int) -> list[dict[str, str]]:
    import PyKCS11  # lazy: start-up time (issue 15), child-only native wrapper

    session = lib.openSession(slot, PyKCS11.CKF_SERIAL_SESSION)  # read-only, no login
    try:
        out = []
        for obj in session.findObjects([(PyKCS11.CKA_CLASS, PyKCS11.CKO_CERTIFICATE)]):
            value, cka_id, label = session.getAttributeValue(
                obj, [PyKCS11.CKA_VALUE, PyKCS11.CKA_ID, PyKCS11.CKA_LABEL]
            )
            out.append(
                {
                    "label": text(label or ""),
                    "id_hex": bytes(cka_id or b"").hex(),
                    "der_b64": base64.b64encode(bytes(value or b"")).decode(),
                }
            )
        return out
    finally:
        session.closeSession()
