"""The Windows adapters against the real Windows API, on a Windows CI runner.

The test suite runs where no Windows does, through recorded answers; this script makes
the same code talk to Windows itself: every declared function exists with its DLL, the
system programs are found and their OEM output decoded, SetupAPI answers, a certificate
removed from CurrentUser\\MY comes back with its properties, an isolated child runs in
its job object and takes its grandchildren with it. Run by .github/workflows/build.yml
with build\\venv\\Scripts\\python.exe (the project installed as the programs hold it).
It changes the runner's own certificate store only (a throwaway machine).
"""

from __future__ import annotations

import base64
import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path


def check(what: str, ok: bool, detail: object = "") -> None:
    print(f"{'OK  ' if ok else 'FAIL'} {what}: {detail}")
    if not ok:
        raise SystemExit(1)


def grandchild() -> int:
    """In an isolated child: start a long-lived grandchild, answer with its pid."""
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    return proc.pid


def declarations() -> None:
    from diagwizard.system.adapters import winapi

    for dll in winapi.FUNCTIONS:
        winapi.load(dll)  # AttributeError if the table names a function the DLL lacks
    check("every declared function exists", True, ", ".join(winapi.FUNCTIONS))


def commands() -> None:
    from diagwizard.system.adapters import wincommand, winservice

    system = wincommand.system_dir()
    check("System32", Path(system, "sc.exe").is_file(), system)
    oem = wincommand.oem_encoding()
    check("OEM code page", oem.startswith("cp") and "".encode(oem) == b"", oem)
    check(
        "ANSI code page", isinstance(wincommand.ansi_code_page(), int), wincommand.ansi_code_page()
    )
    check(
        "short path",
        isinstance(wincommand.short_path(sys.executable), str),
        wincommand.short_path(sys.executable),
    )
    res = wincommand.run([str(system / "sc.exe"), "query", "SCardSvr"])
    check("sc query, decoded", res.code in (0, 1060) and isinstance(res.out, str), res)
    check(
        "SCardSvr via the service API",
        True,
        (winservice.status("SCardSvr"), winservice.start_type("SCardSvr")),
    )
    check("elevated now", True, wincommand.is_admin())


def devices() -> None:
    from diagwizard.system.adapters.windevices import SetupApiDevices, reader_devices

    records = SetupApiDevices().devices()
    check("SetupAPI readers and CCID devices", isinstance(records, list), reader_devices(records))


def console_and_proxy() -> None:
    from diagwizard.system.adapters import winconsole, winproxy

    check("console", True, (winconsole.read_console(), winconsole.current()))
    check("proxy settings", True, winproxy.current_user_ie_proxy())


def certificate_round_trip() -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    from diagwizard.system.adapters.certstore import Crypt32Store, StoreCert
    from diagwizard.system.adapters.crypt32_edit import Crypt32Editor

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "diagwizard CI smoke")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    der_b64 = base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()
    thumb = StoreCert(der_b64).thumbprint
    store, editor = Crypt32Store(), Crypt32Editor()
    editor.add(der_b64, "diagwizard 測試 friendly name")
    try:
        element = editor.delete(thumb)
        check("removed", thumb not in {c.thumbprint for c in store.personal()}, thumb)
        editor.restore(element)
        back = {c.thumbprint: c for c in store.personal()}.get(thumb)
        check(
            "restored with its friendly name",
            back is not None and back.friendly_name == "diagwizard 測試 friendly name",
            back,
        )
    finally:
        try:
            editor.delete(thumb)
        except LookupError:
            pass


def isolation() -> None:
    import psutil

    from diagwizard.isolation import calls as isolation

    os.environ["PYTHONPATH"] = str(Path(__file__).parent)
    pid = isolation.call_isolated("windows_smoke:grandchild", {}, 30.0)
    deadline = time.monotonic() + 5
    while psutil.pid_exists(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    check("a grandchild ends with its job object", not psutil.pid_exists(pid), pid)


def main() -> int:
    if sys.platform != "win32":
        print("Windows only")
        return 2
    for step in (
        declarations,
        commands,
        devices,
        console_and_proxy,
        certificate_round_trip,
        isolation,
    ):
        step()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
