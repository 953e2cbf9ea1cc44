"""The emulated card stack for the paired card-facts benchmark (see bench.py).

pcscd with the vpcd reader, our PIV applet holding one card certificate, and OpenSC's
PKCS#11 module: the same stack the PKCS#11 tests use (tests/test_pkcs11.py).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

OPENSC_MODULE = "/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so"
NATIVE_TOOLS = ("pcscd", "opensc-tool", "pkcs11-tool", "openssl")


def available() -> bool:
    return (
        os.name == "posix"
        and os.geteuid() == 0
        and Path(OPENSC_MODULE).is_file()
        and all(shutil.which(t) for t in NATIVE_TOOLS)
    )


def _cert_id() -> str:
    """The CKA_ID of the card's first certificate object, as pkcs11-tool -O shows it."""
    out = subprocess.run(
        ["pkcs11-tool", "--module", OPENSC_MODULE, "-O"], capture_output=True, text=True
    ).stdout
    block = out.split("Certificate Object", 1)[-1]
    found = re.search(r"ID:\s*([0-9a-fA-F]+)", block)
    return found.group(1) if found else "01"


@contextlib.contextmanager
def piv_stack(folder: Path) -> Iterator[tuple[dict[str, str], str]]:
    """Yield (environment for diagwizard, certificate id) while the card is inserted."""
    from stack.cardemu import CardEmulator
    from stack.certs import der, make_ca, make_card_cert
    from stack.hipki_double import HipkiDouble
    from stack.pcscd import Pcscd, wait_for_card
    from stack.piv import PIV_ATR, PivCard

    pcscd = Pcscd(folder / "empty-card")
    pcscd.start(vpcd=True)
    card = CardEmulator(PIV_ATR, handler=PivCard(der(make_card_cert(make_ca()))))
    try:
        card.insert()
        wait_for_card(True)
        with HipkiDouble() as hipki:
            cfg = folder / "card.toml"
            cfg.write_text(
                f'[hipki]\nbase_url = "{hipki.url}"\n[pkcs11]\nmodules = ["{OPENSC_MODULE}"]\n'
            )
            yield {"DIAGWIZARD_CONFIG": str(cfg)}, _cert_id()
    finally:
        card.remove()
        pcscd.stop()


def native_sequence(cert_id: str) -> float:
    """Wall time of the commands a helpdesk expert types to see the same card facts."""
    p11 = ["pkcs11-tool", "--module", OPENSC_MODULE]
    with tempfile.TemporaryDirectory() as tmp:
        cert = str(Path(tmp) / "cert.der")
        steps = [
            ["opensc-tool", "-l", "-a"],
            [*p11, "-L"],
            [*p11, "-O"],
            [*p11, "-r", "--type", "cert", "--id", cert_id, "-o", cert],
            ["openssl", "x509", "-inform", "DER", "-in", cert, "-noout", "-text"],
        ]
        started = time.perf_counter()
        for step in steps:
            subprocess.run(step, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return time.perf_counter() - started
