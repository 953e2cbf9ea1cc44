"""Windows paths through the real adapter code, fed with documented Windows behaviour:
crypt32's buffer ownership, service start types, WMI device records, WinHTTP proxy
configurations, registry views and WOW64 redirection."""

from __future__ import annotations

import base64
import ctypes

import pytest
from stack.certs import der, make_ca, make_card_cert
from stack.fake_crypt32 import HICOS_CSP, FakeCrypt32Lib

from diagwizard.adapters.certstore import Crypt32Store, buffer_string, key_provider_name

# -- crypt32: CRYPT_KEY_PROV_INFO points into the caller's buffer ---------------------------


def test_provider_strings_are_read_inside_the_callers_buffer() -> None:
    width = ctypes.sizeof(ctypes.c_void_p)
    buf = ctypes.create_string_buffer(6 * width + 64)
    base = ctypes.addressof(buf)
    container, provider = "c1\0".encode("utf-16-le"), (HICOS_CSP + "\0").encode("utf-16-le")
    ctypes.memmove(base + 6 * width, container, len(container))
    ctypes.memmove(base + 6 * width + len(container), provider, 64 - len(container))
    ctypes.memmove(base, (base + 6 * width).to_bytes(width, "little"), width)
    ctypes.memmove(
        base + width, (base + 6 * width + len(container)).to_bytes(width, "little"), width
    )
    raw = buf.raw
    name = key_provider_name(raw, base)
    assert HICOS_CSP.startswith(name) and name.startswith("HiCOS PKI Smart Card")
    # A pointer outside the buffer is never followed.
    assert buffer_string(raw, base, base + len(raw) + 8) == ""
    assert buffer_string(raw, base, 0) == ""


def test_store_reads_key_provider_before_the_buffer_is_released() -> None:
    card = der(make_card_cert(make_ca()))
    lib = FakeCrypt32Lib([(card, "我的憑證", HICOS_CSP), (card, "", "")])
    certs = Crypt32Store(lib=lib).personal()
    assert [c.provider for c in certs] == [HICOS_CSP, ""]
    assert certs[0].friendly_name == "我的憑證"
    assert certs[0].der_b64 == base64.b64encode(card).decode()


def test_store_is_opened_read_only_and_always_closed() -> None:
    lib = FakeCrypt32Lib([])
    assert Crypt32Store(lib=lib).personal() == []
    assert lib.opened and lib.opened[0] & Crypt32Store.CERT_STORE_READONLY_FLAG
    assert lib.closed == 1

    class Broken(FakeCrypt32Lib):
        def CertGetCertificateContextProperty(self, *args):
            raise OSError("access violation")

    broken = Broken([(b"\x30\x00", "", HICOS_CSP)])
    with pytest.raises(OSError):
        Crypt32Store(lib=broken).personal()
    assert broken.closed == 1


def test_open_failure_names_the_windows_error() -> None:
    lib = FakeCrypt32Lib([], open_fails=1)
    with pytest.raises(OSError) as err:
        Crypt32Store(lib=lib, last_error=lambda: 5).personal()
    assert "CertOpenStore" in str(err.value) and err.value.errno == 5
