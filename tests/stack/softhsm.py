"""SoftHSM2 tokens built per scenario, each in its own token directory and config."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import PyKCS11
from cryptography import x509

SOFTHSM_MODULE = "/usr/lib/softhsm/libsofthsm2.so"
USER_PIN = "123456"
SO_PIN = "12345678"


@dataclass
class SoftToken:
    conf: Path
    label: str
    serial: str

    @property
    def env(self) -> dict[str, str]:
        return {"SOFTHSM2_CONF": str(self.conf)}


def make_token(
    root: Path, label: str, certs: list[tuple[bytes, bytes]] = (), *, wrong_logins: int = 0
) -> SoftToken:
    """A fresh SoftHSM2 token holding ``certs`` (DER, CKA_ID) as public certificate objects."""
    tokens = root / "tokens"
    tokens.mkdir(parents=True, exist_ok=True)
    conf = root / "softhsm2.conf"
    conf.write_text(
        f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n"
    )
    env = dict(os.environ, SOFTHSM2_CONF=str(conf))
    subprocess.run(
        [
            "softhsm2-util",
            "--init-token",
            "--free",
            "--label",
            label,
            "--pin",
            USER_PIN,
            "--so-pin",
            SO_PIN,
        ],
        check=True,
        capture_output=True,
        env=env,
    )
    old = os.environ.get("SOFTHSM2_CONF")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    try:
        lib = PyKCS11.PyKCS11Lib()
        lib.load(SOFTHSM_MODULE)
        slot = next(
            s
            for s in lib.getSlotList(tokenPresent=True)
            if lib.getTokenInfo(s).label.strip() == label
        )
        serial = lib.getTokenInfo(slot).serialNumber.strip()
        session = lib.openSession(slot, PyKCS11.CKF_SERIAL_SESSION | PyKCS11.CKF_RW_SESSION)
        session.login(USER_PIN)  # the fixture's own set-up login, not a diagnosis
        for value, cka_id in certs:
            try:
                subject = x509.load_der_x509_certificate(value).subject.public_bytes()
            except ValueError:
                subject = b"\x30\x00"  # a corrupt object still needs a subject to be stored
            session.createObject(
                [
                    (PyKCS11.CKA_CLASS, PyKCS11.CKO_CERTIFICATE),
                    (PyKCS11.CKA_CERTIFICATE_TYPE, PyKCS11.CKC_X_509),
                    (PyKCS11.CKA_TOKEN, PyKCS11.CK_TRUE),
                    (PyKCS11.CKA_PRIVATE, PyKCS11.CK_FALSE),
                    (PyKCS11.CKA_LABEL, "card certificate"),
                    (PyKCS11.CKA_ID, cka_id),
                    (PyKCS11.CKA_SUBJECT, subject),
                    (PyKCS11.CKA_VALUE, value),
                ]
            )
        session.logout()
        for _ in range(wrong_logins):
            try:
                session.login("000000")
            except PyKCS11.PyKCS11Error:
                pass
        session.closeSession()
        lib.unload()
    finally:
        if old is None:
            os.environ.pop("SOFTHSM2_CONF", None)
        else:
            os.environ["SOFTHSM2_CONF"] = old
    return SoftToken(conf, label, serial)
