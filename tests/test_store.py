"""Certificate stores the browser reads: real NSS databases (certutil/modutil) on Linux,
a recorded Windows store through the crypt32 adapter's interface, recorded macOS output."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import pytest
from helpers import codes, run_cli
from helpers import run_probes as run
from stack.certs import der, make_ca, make_card_cert
from stack.fake_crypt32 import HICOS_CSP, FakeCrypt32Store
from stack.hipki_double import HipkiDouble, answer
from stack.nss_fixtures import make_nssdb
from stack.pkcs11_fixtures import SOFTHSM_MODULE, b64

from checks.friendly_names import apply, propose
from diagwizard.core.config import Config, Hipki, Pkcs11
from diagwizard.core.model import Result
from diagwizard.system.adapters.certstore import StoreBackend, StoreCert
from diagwizard.system.adapters.linux import LinuxAdapter
from diagwizard.system.adapters.macos import MacAdapter
from diagwizard.system.adapters.windows import WindowsAdapter

# -- Linux: a real NSS database ----------------------------------------------------------


@pytest.mark.parametrize("browser", ["chrome", "firefox"])
def test_nss_database_with_and_without_the_module(
    soft_tokens, tmp_path: Path, monkeypatch, browser: str
) -> None:
    token = soft_tokens["healthy"]
    monkeypatch.setenv("SOFTHSM2_CONF", str(token.conf))
    home = tmp_path / "home"
    db = (
        home / ".pki" / "nssdb"
        if browser == "chrome"
        else home / ".mozilla" / "firefox" / "abcd.default-release"
    )
    make_nssdb(db, None, token.env)
    cfg = Config(pkcs11=Pkcs11(modules=[SOFTHSM_MODULE]))
    adapter = LinuxAdapter(home=home, p11kit_dirs=(tmp_path / "no-p11kit",))
    res = run(adapter, ["store.registered"], cfg)["store.registered"]
    assert res.status == "fail" and codes(res) == ["store.E003"]
    assert str(db) in res.findings[0].render("en")
    subprocess.run(
        [
            "modutil",
            "-dbdir",
            f"sql:{db}",
            "-add",
            "Card module",
            "-libfile",
            SOFTHSM_MODULE,
            "-force",
        ],
        check=True,
        capture_output=True,
        env={**os.environ, **token.env},
    )
    assert "libsofthsm2.so" in (db / "pkcs11.txt").read_text()
    res = run(adapter, ["store.registered"], cfg)["store.registered"]
    assert res.status == "ok", [f.render("en") for f in res.findings]


def test_p11kit_registration_counts(soft_tokens, tmp_path: Path, monkeypatch) -> None:
    token = soft_tokens["healthy"]
    monkeypatch.setenv("SOFTHSM2_CONF", str(token.conf))
    home = tmp_path / "home"
    make_nssdb(home / ".pki" / "nssdb", None, token.env)
    modules = tmp_path / "p11kit"
    modules.mkdir()
    (modules / "softhsm2.module").write_text(f"module: {SOFTHSM_MODULE}\n")
    adapter = LinuxAdapter(home=home, p11kit_dirs=(modules,))
    res = run(adapter, ["store.registered"], Config(pkcs11=Pkcs11(modules=[SOFTHSM_MODULE])))[
        "store.registered"
    ]
    assert res.status == "ok"


def test_no_browser_database(soft_tokens, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOFTHSM2_CONF", str(soft_tokens["healthy"].conf))
    adapter = LinuxAdapter(home=tmp_path / "empty-home", p11kit_dirs=(tmp_path / "none",))
    res = run(adapter, ["store.registered"], Config(pkcs11=Pkcs11(modules=[SOFTHSM_MODULE])))[
        "store.registered"
    ]
    assert res.status == "skip" and codes(res) == ["store.I004"]


# -- Windows: the recorded store ---------------------------------------------------------


@pytest.fixture(scope="module")
def certs():
    ca = make_ca()
    now = dt.datetime.now(dt.UTC)
    return {
        "card": b64(der(make_card_cert(ca))),
        "old_expired": b64(
            der(
                make_card_cert(
                    ca,
                    serial=11,
                    not_before=now - dt.timedelta(days=2000),
                    not_after=now - dt.timedelta(days=30),
                )
            )
        ),
        "old_valid": b64(
            der(make_card_cert(ca, serial=12, not_before=now - dt.timedelta(days=900)))
        ),
        "xca_primary": b64(
            der(
                make_card_cert(
                    make_ca("組織及團體憑證管理中心", bytes(20)),
                    name="測試財團法人1",
                    serial=21,
                    role="1",
                )
            )
        ),
        "xca_secondary": b64(
            der(
                make_card_cert(
                    make_ca("組織及團體憑證管理中心", bytes(20)),
                    name="測試財團法人1",
                    serial=22,
                    role="2",
                )
            )
        ),
    }


def windows_with(store: StoreBackend, hipki_certs: list[str]):
    """The real Windows adapter holding the recorded store; the card's certificate comes
    from a HiPKI Local Server double, as it would on Windows."""
    double = HipkiDouble()
    double.set(answer(certs=hipki_certs))
    adapter = WindowsAdapter(
        service_status=lambda n: "running", uninstall=lambda: [], cert_store=store
    )
    return adapter, double


def run_windows(store: FakeCrypt32Store, card: list[str], only: list[str]) -> dict[str, Result]:
    adapter, double = windows_with(store, card)
    with double:
        return run(adapter, only, Config(hipki=Hipki(base_url=double.url)))


def test_windows_card_certificate_registered(certs) -> None:
    store = FakeCrypt32Store([StoreCert(certs["card"], "", HICOS_CSP)])
    res = run_windows(store, [certs["card"]], ["store.registered"])["store.registered"]
    assert res.status == "ok"


def test_windows_card_certificate_missing(certs) -> None:
    store = FakeCrypt32Store([StoreCert(certs["old_valid"], "", HICOS_CSP)])
    res = run_windows(store, [certs["card"]], ["store.registered"])["store.registered"]
    assert res.status == "fail" and codes(res) == ["store.E001"]


def test_windows_certificate_without_key_link(certs) -> None:
    store = FakeCrypt32Store([StoreCert(certs["card"], "", "")])
    res = run_windows(store, [certs["card"]], ["store.registered"])["store.registered"]
    assert codes(res) == ["store.W002"]


def test_windows_stale_copies(certs) -> None:
    store = FakeCrypt32Store(
        [
            StoreCert(certs["card"], "", HICOS_CSP),
            StoreCert(certs["old_expired"], "", HICOS_CSP),
            StoreCert(certs["old_valid"], "", HICOS_CSP),
        ]
    )
    res = run_windows(store, [certs["card"]], ["store.stale"])["store.stale"]
    assert res.status == "warn"
    assert codes(res) == ["store.W010", "store.W011"]


def test_windows_same_names_then_the_fix_with_consent(certs) -> None:
    store = FakeCrypt32Store(
        [
            StoreCert(certs["xca_primary"], "", HICOS_CSP),
            StoreCert(certs["xca_secondary"], "", HICOS_CSP),
        ]
    )
    res = run_windows(store, [], ["store.names"])["store.names"]
    assert res.status == "warn" and codes(res) == ["store.W020"]
    assert "測試財團法人1" in res.findings[0].render("zh-TW")
    roles = sorted(d["card_role"] for d in res.fact("duplicates"))
    assert roles == ["primary", "secondary"]
    proposals = propose(store, "zh-TW")
    assert len(proposals) == 2 and {p.proposed.split("（")[1][:2] for p in proposals} == {
        "正卡",
        "附卡",
    }
    assert store.writes == []  # nothing changes before consent
    apply(store, proposals)
    assert len(store.writes) == 2
    again = run_windows(store, [], ["store.names"])["store.names"]
    assert again.status == "ok"


def test_set_names_refuses_off_windows() -> None:
    r = run_cli("set-names", "--lang", "en")
    assert r.code == 2 and "only be set on Windows" in r.out


# -- macOS -----------------------------------------------------------------------------


def test_macos_hicos_card_is_not_a_keychain_token(soft_tokens, monkeypatch) -> None:
    """A HiCOS card used through HiPKI/PKCS#11 never shows in `security list-smartcards`:
    that is how every Mac user logs in, not a fault."""
    monkeypatch.setenv("SOFTHSM2_CONF", str(soft_tokens["healthy"].conf))
    cfg = Config(pkcs11=Pkcs11(modules=[str(SOFTHSM_MODULE)]))
    empty = MacAdapter(run=lambda argv: "")
    res = run(empty, ["store.registered"], cfg)["store.registered"]
    assert res.status == "ok" and codes(res) == []
    assert res.fact("card_certificates") >= 1 and res.fact("cryptotokenkit_tokens") == 0


def test_macos_smartcard_identities_without_a_card_read() -> None:
    cfg = Config(pkcs11=Pkcs11(modules=["/nonexistent/libHicos_p11v1.dylib"]))
    seen = MacAdapter(run=lambda argv: "com.apple.pivtoken:ABCD1234\n")
    assert run(seen, ["store.registered"], cfg)["store.registered"].status == "ok"
    none = MacAdapter(run=lambda argv: "")
    res = run(none, ["store.registered"], cfg)["store.registered"]
    assert res.status == "skip" and codes(res) == []
